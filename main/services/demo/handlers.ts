/** The demo workspace: rebuilt from its seed by the demo/build job (main/demo/build.ts). */
import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import type { DomainHandlers } from '../../rpc/dispatch';
import type { demoSchemas } from '../../../shared/api/demo';
import { WORKSPACE_EXT } from '../../../shared/api/workspace';
import { openDatabase } from '../../db/open';
import { closeWorkspace, openWorkspace } from '../workspace';

export const DEMO_NAME = 'Segmint demo';

export const demoHandlers: DomainHandlers<typeof demoSchemas> = {
  'demo/open': async (a, ctx) => {
    // The demo workspace is rebuilt from its seed each time: a fresh file beside the others.
    const file = path.join(ctx.workspacesDir, DEMO_NAME + WORKSPACE_EXT);
    // A build still queued or running writes into the file being replaced: stop it first, or
    // both builds would import into the new file (every demo dataset twice).
    await ctx.jobs.cancelKind('demo/build');
    if (ctx.session?.path === file) {
      await ctx.jobs.cancelAll();
      closeWorkspace(ctx);
    }
    for (const suf of ['', '-wal', '-shm']) if (existsSync(file + suf)) rmSync(file + suf);
    const db = openDatabase(file, { create: true });
    db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('name', ?), ('created_at', ?)").run(DEMO_NAME, new Date().toISOString());
    db.close();
    const job = ctx.jobs.start('demo/build', { seed: a.seed, customers: a.customers, dir: path.join(ctx.dataDir, 'demo-files') }, {
      label: 'demo',
      dbPath: file,
      passphrase: null,
      onDone: () => {
        openWorkspace(ctx, { path: file });
        ctx.emit('datasets/changed', { id: null });
      },
    });
    return { jobId: job.id, path: file };
  },
};
