/** The columns domain's job kind (joined in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { columnsJobs } from '../../../shared/api/columns';
import { setColumn } from './index';

export const columnsJobKinds: DomainJobs<typeof columnsJobs> = { 'columns/set': (job, a) => setColumn(job.db, a, job) };
