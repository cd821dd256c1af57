/**
 * Every kind of job a worker can run. Job functions live with their domain; this map is the
 * only place that names them, so the worker bundle contains exactly these.
 */
import type { JobFn } from './types';
import { joinUnique } from '../services/join';
import { importJobKinds } from '../services/import/jobs';
import { buildDemo } from '../demo/build';
import { segmentsJobKinds } from '../services/segments/jobs';
import { valueJobKinds } from '../services/value/jobs';
import { textJobKinds } from '../services/text/jobs';
import { qualityJobKinds } from '../services/quality/jobs';
import { customersJobKinds } from '../services/customers/jobs';
import { privacyJobKinds } from '../services/privacy/jobs';
import { insightsJobKinds } from '../services/insights/jobs';
import { upliftJobKinds } from '../services/uplift/jobs';
import { columnsJobKinds } from '../services/columns/jobs';

const coreJobKinds: Record<string, JobFn> = {
  'demo/build': buildDemo,
};

/** A kind declared by two domains throws at start-up instead of one silently replacing the other. */
export const jobKinds: Record<string, JobFn> = joinUnique<Record<string, JobFn>>('job kind', coreJobKinds, importJobKinds, segmentsJobKinds, valueJobKinds, textJobKinds, qualityJobKinds, customersJobKinds, privacyJobKinds, insightsJobKinds, upliftJobKinds, columnsJobKinds);
