/** The columns domain's job kind (joined in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { setColumn } from './index';

export const columnsJobKinds: Record<string, JobFn> = { 'columns/set': (job, a) => setColumn(job.db, a, job) };
