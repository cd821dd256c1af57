/** Handlers of the import domain: inspect files, start an import (or an append). */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { importSchemas, ImportSettings } from '../../../shared/api/import';
import type { AppContext } from '../context';
import { getDataset } from '../datasets';
import { removeImportedUploads } from '../privacy/uploads';
import { resolveFiles } from './files';
import { inspectFiles } from './inspect';

export function startImportJob(ctx: AppContext, args: { files: Parameters<typeof resolveFiles>[1]; name: string; settings: ImportSettings; appendTo?: string; engine?: 'sqlite' | 'duckdb' }) {
  const s = ctx.requireSession();
  const files = resolveFiles(ctx, args.files);
  if (args.appendTo) getDataset(s.db, args.appendTo); // unknown dataset → clear error before the job starts
  return ctx.jobs.start('import/run', { files, name: args.name, settings: args.settings, appendTo: args.appendTo, ...(args.engine === 'duckdb' ? { engine: args.engine } : {}) }, {
    label: `import:${args.name}`,
    dbPath: s.path,
    passphrase: s.passphrase,
    onDone: (r) => {
      removeImportedUploads(ctx, args.files); // the rows are in the workspace now; no plaintext copy stays
      ctx.emit('datasets/changed', { id: (r as { datasetId: string }).datasetId });
    },
  });
}

export const importHandlers: DomainHandlers<typeof importSchemas> = {
  'import/inspect': (a, ctx) => {
    // an import follows: its job thread starts loading while the files are inspected
    if (ctx.session) ctx.jobs.prewarm();
    return inspectFiles(resolveFiles(ctx, a.files), a);
  },
  'import/start': (a, ctx) => ({ jobId: startImportJob(ctx, a).id }),
};
