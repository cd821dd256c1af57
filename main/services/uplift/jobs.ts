/** The uplift domain's job kinds (joined in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { upliftJobs } from '../../../shared/api/uplift';
import { upliftFit, upliftPlan } from './index';

export const upliftJobKinds: DomainJobs<typeof upliftJobs> = {
  'uplift/fit': (job, a) => upliftFit(job.db, a, job),
  'uplift/plan': (job, a) => upliftPlan(job.db, a, job),
};
