import type { DomainHandlers } from '../../rpc/dispatch';
import type { jobsSchemas } from '../../../shared/api/jobs';

export const jobsHandlers: DomainHandlers<typeof jobsSchemas> = {
  'jobs/list': (_a, ctx) => ctx.jobs.list(),
  'jobs/get': (a, ctx) => ctx.jobs.get(a.jobId),
  'jobs/cancel': (a, ctx) => ctx.jobs.cancel(a.jobId),
};
