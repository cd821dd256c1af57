/** The text domain's job kinds (joined in main/jobs/kinds.ts). */
import type { DomainJobs } from '../../jobs/types';
import type { textJobs } from '../../../shared/api/text';
import { classifyJob } from './index';

export const textJobKinds: DomainJobs<typeof textJobs> = { 'text/classify': classifyJob };
