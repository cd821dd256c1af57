/** Job kinds of the quality domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';

export const qualityJobKinds: Record<string, JobFn> = {};
