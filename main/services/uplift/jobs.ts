/** The uplift domain's job kinds (joined in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { upliftFit, upliftPlan } from './index';

export const upliftJobKinds: Record<string, JobFn> = {
  'uplift/fit': (job, a) => upliftFit(job.db, a, job),
  'uplift/plan': (job, a) => upliftPlan(job.db, a, job),
};
