/** Job kinds of the quality domain (registered in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { qualityJobs } from '../../../shared/api/quality';
import { profileJob } from './profile';
import { applyJob } from './apply';

export const qualityJobKinds: DomainJobs<typeof qualityJobs> = {
  'quality/profile': profileJob,
  'quality/apply': applyJob,
};
