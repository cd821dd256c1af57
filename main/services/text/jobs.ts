/** The text domain's job kinds (joined in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { classifyJob } from './index';

export const textJobKinds: Record<string, JobFn> = { 'text/classify': classifyJob };
