/**
 * Every kind of job a worker can run. Job functions live with their domain; this map is the
 * only place that names them, so the worker bundle contains exactly these.
 */
import type { JobFn } from './types';
import { joinUnique } from '../services/join';
import { runImport } from '../services/import/run';
import { buildDemo } from '../demo/build';
import { kmeansJob, migrationJob, rfmJob } from '../services/segments/jobs';
import { churnJob, clvJob, recommendJob, rulesJob } from '../services/value/jobs';
import { classifyJob } from '../services/text';
import { qualityJobKinds } from '../services/quality/jobs';
import { customersJobKinds } from '../services/customers/jobs';
import { privacyJobKinds } from '../services/privacy/jobs';
import { insightsJobKinds } from '../services/insights/jobs';

const coreJobKinds: Record<string, JobFn> = {
  'import/run': runImport,
  'demo/build': buildDemo,
  'segments/rfm': rfmJob,
  'segments/kmeans': kmeansJob,
  'segments/migration': migrationJob,
  'value/clv': clvJob,
  'value/churn': churnJob,
  'value/rules': rulesJob,
  'value/recommend': recommendJob,
  'text/classify': classifyJob,
};

/** A kind declared by two domains throws at start-up instead of one silently replacing the other. */
export const jobKinds: Record<string, JobFn> = joinUnique<Record<string, JobFn>>('job kind', coreJobKinds, qualityJobKinds, customersJobKinds, privacyJobKinds, insightsJobKinds);
