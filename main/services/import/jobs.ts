/** The import domain's job kind (joined in main/jobs/kinds.ts). */
import type { ImportSummary } from '../../../shared/api/import';
import type { DomainJobs, JobContext } from '../../jobs/types';
import type { importJobs } from '../../../shared/api/import';
import { getDataset } from '../datasets';
import { syncSuppression } from '../sms/suppression';
import { runImport, type ImportJobArgs } from './run';

/**
 * Import (or append), then — for a replies dataset (reply text, phone, time) — put its unsubscribe
 * replies on the suppression list in the same transaction, so no export made after an import can
 * miss an opt-out that came with it.
 */
export async function importAndSuppress(job: JobContext, args: ImportJobArgs): Promise<ImportSummary> {
  const summary = await runImport(job, args);
  const roles = new Set(getDataset(job.db, summary.datasetId).columns.map((c) => c.role));
  if (roles.has('reply_text') && roles.has('phone') && roles.has('timestamp')) summary.suppression = syncSuppression(job.db, summary.datasetId);
  return summary;
}

export const importJobKinds: DomainJobs<typeof importJobs> = { 'import/run': importAndSuppress };
