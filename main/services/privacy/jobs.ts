/** Job kinds of the privacy domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { exportJob } from './export';

export const privacyJobKinds: Record<string, JobFn> = {
  'privacy/export': exportJob,
};
