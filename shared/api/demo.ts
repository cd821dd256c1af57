import { z } from 'zod';
import { jobKind } from './jobs';

export const demoSchemas = {
  /** Build (or rebuild) the demo workspace in the data folder and open it. */
  'demo/open': z.object({ seed: z.number().int().min(0).max(2 ** 31).default(42), customers: z.number().int().min(50).max(200_000).default(2000) }).strict(),
};

export type DemoResults = {
  'demo/open': { jobId: string; path: string };
};

export const demoJobs = {
  'demo/build': jobKind(z.object({ seed: z.number().int(), customers: z.number().int().min(1), dir: z.string().min(1) }).strict()).returns<{ datasets: string[]; truth: string }>(),
};
