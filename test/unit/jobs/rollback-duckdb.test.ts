/**
 * A job's DuckDB work is outside the workspace's transaction: when that transaction rolls back — here a
 * cancel noticed after the job's function returned, the last moment one can land — the table the job
 * wrote in the DuckDB file must go with the catalogue entry that named it (jobs/transaction.ts). Before,
 * an RFM result or an imported dataset stayed in the DuckDB file, named by nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, tempDir, testApp, type TestApp } from '../../helpers/app';
import { inJobTransaction } from '../../../main/jobs/transaction';
import { loadAllJobKinds } from '../../../main/jobs/kinds';
import type { JobKinds } from '../../../main/jobs/types';
import { CancelledError, type JobContext } from '../../../main/jobs/types';
import { duckAll, withDuck } from '../../../main/db/duckdb';
import type { DB } from '../../../main/db/open';

// every domain's job kinds, loaded as a job thread loads each (main/jobs/kinds.ts)
let jobKinds: JobKinds;
beforeAll(async () => {
  jobKinds = await loadAllJobKinds();
});

const t = tempDir();
let app: TestApp;
let db: DB;
let orders: string;
let file: string;

beforeAll(async () => {
  file = path.join(t.dir, 'orders.csv');
  const lines = ['订单号,会员编号,手机号码,下单时间,实付金额'];
  for (let i = 0; i < 300; i++) lines.push(`SO${i},M${i % 90},1380000${String(1000 + (i % 90))},2024-0${1 + (i % 9)}-1${i % 10} 10:00,${50 + (i % 7) * 10}`);
  writeFileSync(file, lines.join('\n') + '\n');
  app = testApp();
  await app.call('workspace/create', { name: 'rollback' });
  orders = await importFile(app, file, 'orders', 'duckdb');
  db = app.ctx.requireSession().db;
}, 120_000);
afterAll(() => {
  app.close();
  t.cleanup();
});

/** The DuckDB file's dataset tables (the identity maps' copies and the rows' customer numbers, caches kept by tag, are not a job's result). */
const duckTables = () => withDuck(db, async (c) => ((await duckAll(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name LIKE 'ds\\_%' ESCAPE '\\' AND table_name NOT LIKE '%\\_\\_customers' ESCAPE '\\' ORDER BY 1")) as [string][]).map((r) => r[0]));
const datasets = () => (db.prepare('SELECT id FROM datasets ORDER BY id').all() as { id: string }[]).map((r) => r.id);

/** Runs a job kind as the worker does, with a cancel that arrives once its function has returned. */
async function cancelledAtTheEnd(kind: 'segments/rfm' | 'import/run' | 'columns/set', args: unknown): Promise<{ made: unknown }> {
  let late = false;
  let made: unknown;
  const ctx: Omit<JobContext, 'onRollback' | 'afterCommit'> = {
    db,
    jobId: 'late-cancel',
    progress() {},
    checkCancel() {
      if (late) throw new CancelledError();
    },
    cancelled: () => late,
  };
  await expect(
    inJobTransaction(db, ctx, async (c) => {
      made = await (jobKinds[kind] as (c: JobContext, a: unknown) => Promise<unknown>)(c, args);
      late = true;
      return made;
    }),
  ).rejects.toBeInstanceOf(CancelledError);
  return { made };
}

describe('a DuckDB job whose transaction rolls back', () => {
  it('RFM: the result table goes with its catalogue entry', async () => {
    const tables = await duckTables();
    const ids = datasets();
    const { made } = await cancelledAtTheEnd('segments/rfm', { datasetId: orders, scheme: 'rfm11', threshold: 'mean', excludeCancellations: true, recencyFrom: 'asOf' });
    const resultId = (made as { datasetId: string }).datasetId;
    expect(tables).not.toContain(resultId); // it was made by this job
    expect(datasets()).toEqual(ids);
    expect(await duckTables()).toEqual(tables);
  });

  it('import: a new dataset’s table goes; rows appended to one are taken back', async () => {
    const inspect = await app.call('import/inspect', { files: [{ path: file }] });
    const tables = await duckTables();
    const ids = datasets();
    await cancelledAtTheEnd('import/run', { files: [{ path: file, name: 'orders.csv' }], name: 'again', settings: inspect.settings, engine: 'duckdb' });
    expect(datasets()).toEqual(ids);
    expect(await duckTables()).toEqual(tables);
    const count = async () => Number(((await withDuck(db, (c) => duckAll(c, `SELECT count(*) FROM "${orders}"`))) as [unknown][])[0]![0]);
    const rows = await count();
    await cancelledAtTheEnd('import/run', { files: [{ path: file, name: 'orders.csv' }], name: 'orders', settings: inspect.settings, appendTo: orders, engine: 'duckdb' });
    expect(await count()).toBe(rows);
  });

  it('a retyped column: the table keeps its old column when the job rolls back, and no copy is left when it commits', async () => {
    const phoneType = async () => ((await withDuck(db, (c) => duckAll(c, `SELECT data_type FROM information_schema.columns WHERE table_name = '${orders}' AND column_name = '手机号码'`))) as [string][])[0]![0];
    const values = () => withDuck(db, (c) => duckAll(c, `SELECT _row, "手机号码" FROM "${orders}" ORDER BY _row`));
    const catalogType = () => (JSON.parse((db.prepare('SELECT columns FROM datasets WHERE id = ?').get(orders) as { columns: string }).columns) as { name: string; type: string }[]).find((c) => c.name === '手机号码')!.type;
    const type0 = await phoneType();
    const values0 = await values();
    const tables = await duckTables();
    expect(catalogType()).toBe('phone');
    await cancelledAtTheEnd('columns/set', { datasetId: orders, column: '手机号码', type: 'text' });
    expect(catalogType()).toBe('phone');
    expect(await phoneType()).toBe(type0);
    expect(await values()).toEqual(values0);
    expect(await duckTables()).toEqual(tables);
    // committed: the new type, and the old table let go
    const ctx = { db, jobId: 'retype', progress() {}, checkCancel() {}, cancelled: () => false };
    await inJobTransaction(db, ctx, (c) => jobKinds['columns/set'](c, { datasetId: orders, column: '手机号码', type: 'integer' }));
    expect(catalogType()).toBe('integer');
    expect(await phoneType()).not.toBe(type0);
    expect(await duckTables()).toEqual(tables);
  });
});
