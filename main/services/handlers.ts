/**
 * The handler map: one entry per contract name. Handlers are thin: validation already happened
 * in the dispatcher, the work is in the domain services.
 */
import os from 'node:os';
import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import type { Handlers } from '../rpc/dispatch';
import { joinUnique } from './join';
import { AppError } from '../../shared/errors';
import type { AppContext } from './context';
import { listAudit } from './audit';
import { deleteDataset, getDataset, listDatasets, pageRows, renameDataset } from './datasets';
import { runQuery } from './query/runner';
import { publicSettings, readSettings, updateSettings } from './settings';
import {
  changePassphrase,
  closeWorkspace,
  createWorkspace,
  deleteWorkspace,
  listRecent,
  openWorkspace,
  renameWorkspace,
  workspaceInfo,
} from './workspace';
import { WORKSPACE_EXT } from '../../shared/api/workspace';
import { openDatabase } from '../db/open';
import { APP_VERSION } from './version';
import { segmentsHandlers } from './segments/handlers';
import { qualityHandlers } from './quality/handlers';
import { customersHandlers } from './customers/handlers';
import { privacyHandlers } from './privacy/handlers';
import { backupBefore } from './privacy/backup';
import { insightsHandlers } from './insights/handlers';
import { definitionsHandlers } from './definitions/handlers';
import { remoteHandlers } from './remote/handlers';
import { upliftHandlers } from './uplift/handlers';
import { columnsHandlers } from './columns/handlers';
import { smsHandlers } from './sms/handlers';
import { valueHandlers } from './value/handlers';
import { textHandlers } from './text/handlers';
import { dashboardHandlers } from './dashboard/handlers';
import { importHandlers } from './import/handlers';

function requireHost(ctx: AppContext) {
  if (!ctx.hostServices) throw new AppError('not_available', 'Native file dialogs exist only in the desktop app; upload the file instead.', '原生文件对话框仅在桌面版可用，请改用上传。');
  return ctx.hostServices;
}

export const DEMO_NAME = 'Segmint demo';

const coreHandlers: Partial<Handlers> = {
  'app/info': (_a, ctx) => ({
    version: APP_VERSION,
    host: ctx.host,
    dataDir: ctx.dataDir,
    platform: `${os.platform()} ${os.arch()}`,
    systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
  }),
  'settings/get': (_a, ctx) => publicSettings(readSettings(ctx)),
  'settings/set': (a, ctx) => {
    const s = updateSettings(ctx, Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)));
    if (ctx.host !== 'cli') ctx.presentation = s.presentationMode;
    return publicSettings(s);
  },

  'host/choose-files': async (a, ctx) => ({ paths: await requireHost(ctx).chooseFiles(a) }),
  'host/choose-save': async (a, ctx) => ({ path: await requireHost(ctx).chooseSavePath(a) }),

  'workspace/list': (_a, ctx) => ({ recent: listRecent(ctx), workspacesDir: ctx.workspacesDir }),
  'workspace/current': (_a, ctx) => (ctx.session ? workspaceInfo(ctx.session) : null),
  'workspace/create': (a, ctx) => createWorkspace(ctx, a),
  'workspace/open': (a, ctx) => openWorkspace(ctx, a),
  'workspace/close': async (_a, ctx) => {
    await ctx.jobs.cancelAll();
    return { closed: closeWorkspace(ctx) };
  },
  'workspace/rename': (a, ctx) => renameWorkspace(ctx, a),
  'workspace/delete': (a, ctx) => deleteWorkspace(ctx, a),
  'workspace/change-passphrase': (a, ctx) => changePassphrase(ctx, a),
  'audit/list': (a, ctx) => listAudit(ctx.requireSession().db, a),

  'datasets/list': (_a, ctx) => listDatasets(ctx.requireSession().db),
  'datasets/get': (a, ctx) => getDataset(ctx.requireSession().db, a.id),
  'datasets/rows': (a, ctx) => pageRows(ctx.requireSession().db, a),
  'datasets/rename': (a, ctx) => {
    const r = renameDataset(ctx.requireSession().db, a.id, a.name);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/delete': (a, ctx) => {
    if (getDataset(ctx.requireSession().db, a.id).name === a.confirmName) backupBefore(ctx, `deleting dataset ${a.id}`);
    const r = deleteDataset(ctx.requireSession().db, a.id, a.confirmName);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/query': (a, ctx, call) => runQuery(ctx, a, call?.signal),

  'jobs/list': (_a, ctx) => ctx.jobs.list(),
  'jobs/get': (a, ctx) => ctx.jobs.get(a.jobId),
  'jobs/cancel': (a, ctx) => ctx.jobs.cancel(a.jobId),
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

/** Every call: the core entries above and each domain's own map; a name declared twice throws. */
export const handlers: Handlers = joinUnique<Handlers>('call', coreHandlers, importHandlers, dashboardHandlers, valueHandlers, smsHandlers, textHandlers, segmentsHandlers, qualityHandlers, customersHandlers, privacyHandlers, insightsHandlers, definitionsHandlers, remoteHandlers, upliftHandlers, columnsHandlers);
