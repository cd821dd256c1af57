/** Job kinds of the insights domain (registered in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';

export const insightsJobKinds: Record<string, JobFn> = {};
