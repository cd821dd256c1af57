import { z } from 'zod';
import type { JobInfo } from '../types';

export const jobsSchemas = {
  'jobs/list': z.object({}).strict(),
  'jobs/get': z.object({ jobId: z.string().min(1).max(64) }).strict(),
  'jobs/cancel': z.object({ jobId: z.string().min(1).max(64) }).strict(),
  /** Build (or rebuild) the demo workspace in the data folder and open it. */
  'demo/open': z.object({ seed: z.number().int().min(0).max(2 ** 31).default(42), customers: z.number().int().min(50).max(200_000).default(2000) }).strict(),
};

export type JobsResults = {
  'jobs/list': JobInfo[];
  'jobs/get': JobInfo;
  'jobs/cancel': JobInfo;
  'demo/open': { jobId: string; path: string };
};
