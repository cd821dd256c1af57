/** Job kinds of the customers domain (registered in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { customersJobs } from '../../../shared/api/customers';
import { dedupeJob } from './dedupe';
import { linkJob } from './link';

export const customersJobKinds: DomainJobs<typeof customersJobs> = {
  'customers/dedupe': dedupeJob,
  'customers/link': linkJob,
};
