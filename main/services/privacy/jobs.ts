/** Job kinds of the privacy domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';

export const privacyJobKinds: Record<string, JobFn> = {};
