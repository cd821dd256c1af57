/**
 * Every job kind the contract declares honours a cancel: run on real data with a cancel already
 * requested, each one stops with the one CancelledError (so the worker reports it as cancelled,
 * never failed) — a kind that finished anyway, or failed with another error, would break here.
 * The list of kinds comes from the contract, so a new kind without a case fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { loadAllJobKinds } from '../../../main/jobs/kinds';
import { CancelledError, type JobContext, type JobFn, type JobKinds } from '../../../main/jobs/types';
import { isCancelled } from '../../../shared/errors';
import { apiJobs, JOB_KINDS, type JobInput, type JobKind } from '../../../shared/api';
import { generateUpliftCampaign } from '../../../main/demo/messy/uplift';
import { Recipe } from '../../../shared/api/recipe';

// every domain's job kinds, loaded as a job thread loads each (main/jobs/kinds.ts)
let jobKinds: JobKinds;
beforeAll(async () => {
  jobKinds = await loadAllJobKinds();
});

let app: TestApp;
const ds: Record<string, string> = {};

beforeAll(async () => {
  app = testApp();
  const { jobId } = await app.call('demo/open', { seed: 7, customers: 300 });
  expect((await app.ctx.jobs.wait(jobId)).status).toBe('done');
  const c = generateUpliftCampaign({ seed: 3, customers: 600 });
  for (const key of ['orders', 'sends', 'replies', 'assignment', 'contacts'] as const) {
    const f = path.join(app.dir, `uplift-${key}.csv`);
    writeFileSync(f, c.files[key]);
    ds[`uplift-${key}`] = await importFile(app, f, `uplift ${key}`);
  }
  for (const d of await app.call('datasets/list', {})) ds[d.name] = d.id;
}, 300_000);
afterAll(() => app.close());

/** Valid arguments for each kind on the demo workspace (or the planted uplift campaign). */
function argsFor(kind: JobKind): unknown {
  const orders = ds['订单']!;
  const uplift = { assignment: ds['uplift-assignment']!, orders: ds['uplift-orders']!, replies: ds['uplift-replies']!, sends: ds['uplift-sends']!, profiles: ds['uplift-contacts']! };
  const cases: { [K in JobKind]: JobInput<K> } = {
    'demo/build': { seed: 1, customers: 60, dir: path.join(app.dir, 'demo-again') },
    'import/run': { files: [{ path: path.join(app.dir, 'uplift-orders.csv'), name: 'o.csv', size: 1, kind: 'text' }], name: 'again', settings: undefined as never },
    'segments/rfm': { datasetId: orders },
    'segments/kmeans': { datasetId: orders, features: ['数量', '实付金额'], k: 3 },
    'segments/migration': { datasetId: orders, from: '2024-03-01', to: '2024-09-01' },
    'value/clv': { datasetId: orders },
    'value/churn': { datasetId: orders, label: '订单状态', positive: '已退款' },
    'value/rules': { datasetId: orders },
    'value/recommend': { datasetId: orders },
    'text/classify': { datasetId: ds['满意度调查']!, textColumn: '反馈内容', labelColumn: '调研渠道' },
    'quality/profile': { datasetId: orders },
    'quality/apply': { datasetId: ds['CRM 联系人']!, recipe: Recipe.parse({ version: 1, steps: [{ op: 'trim', columns: ['姓名'] }] }) },
    'customers/dedupe': { datasetId: ds['CRM 联系人']! },
    'customers/link': { datasets: [ds['CRM 联系人']!, orders] },
    'privacy/export': { datasetId: ds['CRM 联系人']!, path: path.join(app.dir, 'out.csv'), fileName: 'out.csv', downloadId: null, format: 'csv', encoding: 'utf-8' },
    'uplift/fit': uplift,
    'uplift/plan': { ...uplift, size: 100 },
    'columns/set': { datasetId: orders, column: '实付金额', type: 'text' },
  };
  return cases[kind];
}

/**
 * The kind's function as the worker runs it, on the workspace inside a rolled-back transaction;
 * the cancel arrives after its first check, as when the analyst clicks while it works (a kind
 * that looks only once, at its start, would finish and fail this test).
 */
async function runCancelled(kind: JobKind, args: unknown): Promise<unknown> {
  const db = app.ctx.requireSession().db;
  let checks = 0;
  const check = () => {
    if (++checks > 1) throw new CancelledError();
  };
  const ctx: JobContext = { db, jobId: 'test', progress: check, checkCancel: check, cancelled: () => checks >= 1 };
  db.exec('BEGIN');
  try {
    await (jobKinds as Record<string, JobFn>)[kind]!(ctx, args);
    return 'finished';
  } catch (e) {
    return e;
  } finally {
    db.exec('ROLLBACK');
  }
}

describe('every job kind stops on cancel', () => {
  it.each(JOB_KINDS.filter((k) => k !== 'import/run'))('%s', async (kind) => {
    const args = (apiJobs[kind].args as { parse(x: unknown): unknown }).parse(argsFor(kind));
    const e = await runCancelled(kind, args);
    expect(isCancelled(e), `${kind}: ${e instanceof Error ? e.message : String(e)}`).toBe(true);
  }, 120_000);

  it('import/run', async () => {
    // several read chunks (1 MiB each), so the cancel lands between them
    const file = path.join(app.dir, 'long.csv');
    writeFileSync(file, 'id,phone,amount\n' + Array.from({ length: 120_000 }, (_, i) => `${i},1380013${String(i % 10_000).padStart(4, '0')},${(i % 97) + 0.5}`).join('\n'));
    const inspected = await app.call('import/inspect', { files: [{ path: file }] });
    const a = argsFor('import/run') as JobInput<'import/run'>;
    const args = apiJobs['import/run'].args.parse({ ...a, files: [{ ...a.files[0]!, path: file, size: inspected.files[0]!.size }], settings: inspected.settings });
    const e = await runCancelled('import/run', args);
    expect(isCancelled(e), String(e)).toBe(true);
  }, 120_000);
});
