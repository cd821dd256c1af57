/** Job kinds of the quality domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { profileJob } from './profile';
import { applyJob } from './apply';

export const qualityJobKinds: Record<string, JobFn> = {
  'quality/profile': profileJob,
  'quality/apply': applyJob,
};
