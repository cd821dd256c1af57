import type { DomainJobs } from '../../jobs/types';
import type { demoJobs } from '../../../shared/api/demo';
import { buildDemo } from '../../demo/build';

export const demoJobKinds: DomainJobs<typeof demoJobs> = {
  'demo/build': buildDemo,
};
