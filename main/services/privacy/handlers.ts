/** Handlers of the privacy domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { privacySchemas } from '../../../shared/api/privacy';
import { startJob } from '../start-job';
import { planExport, previewExport } from './export';
import { fileStamp, resolveTarget } from '../files';
import { workspaceSecret } from './secret';

export const privacyHandlers: DomainHandlers<typeof privacySchemas> = {
  'privacy/export/preview': (a, ctx) => previewExport(ctx.requireSession().db, a),
  'privacy/export': async (given, ctx) => {
    const s = ctx.requireSession();
    // an Excel file is a workbook whatever format was asked for
    const a = given.purpose === 'excel' ? { ...given, format: 'xlsx' as const } : given;
    // Everything is checked before the job starts (columns, protection, template fields), and
    // the path before anything else: a path the user did not choose is refused.
    if (!a.download) ctx.checkWrite(a.path!);
    // the other datasets holding the members are the preview's to list, not the export's (a scan of each)
    const plan = await planExport(s.db, a, workspaceSecret(s.db), { candidates: false });
    const target = resolveTarget(ctx, a, `segmint-export-${fileStamp()}.${a.format}`);
    const { download: _d, fileName: _f, ...rest } = a;
    // the job reads the dataset and key column resolved here (no second search for them)
    const job = startJob(ctx, 'privacy/export', { ...rest, datasetId: plan.src.datasetId, keyColumn: plan.src.keyColumn ?? undefined, path: target.path, fileName: target.fileName, downloadId: target.downloadId }, `export ${plan.src.segment?.name ?? plan.src.info.name}`);
    return { jobId: job.id, path: target.path, downloadId: target.downloadId, fileName: target.fileName };
  },
};
