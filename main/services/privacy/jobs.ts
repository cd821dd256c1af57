/** Job kinds of the privacy domain (registered in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { privacyJobs } from '../../../shared/api/privacy';
import { exportJob } from './export';

export const privacyJobKinds: DomainJobs<typeof privacyJobs> = {
  'privacy/export': exportJob,
};
