import type { ZodType } from 'zod';
import { z } from 'zod';
import type { JobInfo } from '../types';

export const jobsSchemas = {
  'jobs/list': z.object({}).strict(),
  'jobs/get': z.object({ jobId: z.string().min(1).max(64) }).strict(),
  'jobs/cancel': z.object({ jobId: z.string().min(1).max(64) }).strict(),
};

export type JobsResults = {
  'jobs/list': JobInfo[];
  'jobs/get': JobInfo;
  'jobs/cancel': JobInfo;
};

/**
 * A job kind as the contract declares it: the schema its arguments are checked against when it
 * starts (main/jobs/runner.ts) and, as a type only, what it returns. The renderer's `useJob(kind)`
 * and the CLI's `c.jobResult(kind, …)` read the result type from here, without casts.
 */
export interface JobKindSpec<S extends ZodType = ZodType, R = unknown> {
  args: S;
  /** Type only: never set at run time. */
  result?: R;
}

export function jobKind<S extends ZodType>(args: S): { returns<R>(): JobKindSpec<S, R> } {
  return { returns: () => ({ args }) };
}
