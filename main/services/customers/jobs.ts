/** Job kinds of the customers domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';

export const customersJobKinds: Record<string, JobFn> = {};
