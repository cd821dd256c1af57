/** Job kinds of the customers domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { dedupeJob } from './dedupe';
import { linkJob } from './link';

export const customersJobKinds: Record<string, JobFn> = {
  'customers/dedupe': dedupeJob,
  'customers/link': linkJob,
};
