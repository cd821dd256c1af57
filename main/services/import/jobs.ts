/** The import domain's job kind (joined in main/jobs/kinds.ts). */
import type { JobFn } from '../../jobs/types';
import { runImport } from './run';

export const importJobKinds: Record<string, JobFn> = { 'import/run': runImport };
