/**
 * Every kind of job a worker can run. Job functions live with their domain; this map is the
 * only place that names them, so the worker bundle contains exactly these.
 */
import type { JobKinds } from './types';
import { joinUnique } from '../../shared/join';
import { importJobKinds } from '../services/import/jobs';
import { demoJobKinds } from '../services/demo/jobs';
import { segmentsJobKinds } from '../services/segments/jobs';
import { valueJobKinds } from '../services/value/jobs';
import { textJobKinds } from '../services/text/jobs';
import { qualityJobKinds } from '../services/quality/jobs';
import { customersJobKinds } from '../services/customers/jobs';
import { privacyJobKinds } from '../services/privacy/jobs';
import { upliftJobKinds } from '../services/uplift/jobs';
import { columnsJobKinds } from '../services/columns/jobs';

/** A kind declared by two domains throws at start-up instead of one silently replacing the other. */
export const jobKinds: JobKinds = joinUnique<JobKinds>('job kind', demoJobKinds, importJobKinds, segmentsJobKinds, valueJobKinds, textJobKinds, qualityJobKinds, customersJobKinds, privacyJobKinds, upliftJobKinds, columnsJobKinds);
