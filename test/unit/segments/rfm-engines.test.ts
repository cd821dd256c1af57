/**
 * RFM of a DuckDB dataset is computed and kept in DuckDB (services/segments/rfm-duck.ts): its result
 * must be the workspace route's, cell by cell, for every option. The orders are generated with what
 * makes the two routes easy to tell apart: ties in every measure (scores break them by customer key),
 * customers known by a member id on some lines and only by a phone written differently on others,
 * cancelled lines, lines with no time or amount, and a channel column (the result's channel shares).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { createRng, randInt } from '../../../main/kernel/random';
import { getDataset, rowsWhereTheDataIs } from '../../../main/services/datasets/index';
import { duckAll, withDuck } from '../../../main/db/duckdb';
import { numberedRows, prepareDuck } from '../../../main/services/identity/index';
import type { SegmentationInfo } from '../../../shared/api/segments';

const CHANNELS = ['天猫', '京东', '小程序', '门店', '抖音', '拼多多', '官网', '唯品会', '快手', '线下活动'];

/** Order lines of `people` customers (seeded): member id and phone, sometimes only the phone written as 0086-…/+86 …. */
function orders(people: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['订单号,会员编号,手机号码,下单时间,实付金额,订单状态,渠道'];
  let n = 0;
  for (let p = 0; p < people; p++) {
    const id = `M${String(3000 + p).padStart(5, '0')}`;
    const phone = `138${String(10_000_000 + p * 37).slice(0, 8)}`;
    const k = 1 + randInt(rng, 6);
    for (let j = 0; j < k; j++) {
      const day = 1 + randInt(rng, 360);
      const d = new Date(Date.UTC(2024, 0, day, randInt(rng, 24), randInt(rng, 60)));
      const time = randInt(rng, 40) === 0 ? '' : d.toISOString().slice(0, 16).replace('T', ' ');
      // few distinct amounts: monetary ties across customers
      const amount = randInt(rng, 50) === 0 ? '' : String([99, 199, 59.9, 120, 300][randInt(rng, 5)]);
      const status = randInt(rng, 9) === 0 ? '已取消' : '已完成';
      const channel = randInt(rng, 12) === 0 ? '' : CHANNELS[randInt(rng, CHANNELS.length)]!;
      const onlyPhone = randInt(rng, 5) === 0;
      const shown = onlyPhone ? (randInt(rng, 2) ? `0086-${phone}` : `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`) : phone;
      lines.push([`SO${++n}`, onlyPhone ? '' : id, shown, time, amount, status, channel].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

const t = tempDir();
const apps: Record<'sqlite' | 'duckdb', { app: TestApp; orders: string }> = {} as never;

beforeAll(async () => {
  const file = path.join(t.dir, 'orders.csv');
  writeFileSync(file, orders(700, 41));
  for (const engine of ['sqlite', 'duckdb'] as const) {
    const app = testApp();
    await app.call('workspace/create', { name: `rfm-${engine}` });
    apps[engine] = { app, orders: await importFile(app, file, 'orders', engine) };
  }
}, 180_000);
afterAll(() => {
  for (const a of Object.values(apps)) a.app.close();
  t.cleanup();
});

type Rfm = { segmentation: SegmentationInfo; datasetId: string; customers: number; rowsUsed: number; rowsExcluded: number; definitions: unknown };

async function rfmOn(engine: 'sqlite' | 'duckdb', o: Record<string, unknown>) {
  const { app, orders: datasetId } = apps[engine];
  const r = await runJob<Rfm>(app, app.call('segments/rfm', { datasetId, ...o }));
  const db = app.ctx.requireSession().db;
  const info = getDataset(db, r.datasetId);
  const rows = await rowsWhereTheDataIs(db, info, `SELECT * FROM "${r.datasetId}" ORDER BY _row`);
  return { r, info, rows };
}

describe('RFM of a DuckDB dataset, computed in DuckDB, equals the workspace route cell by cell', () => {
  it.each([
    ['the 11 classes', {}],
    ['the Chinese 8 classes against the means', { scheme: 'cn8' }],
    ['the Chinese 8 classes against the medians', { scheme: 'cn8', threshold: 'median' }],
    ['recency from the day after, as of a day', { recencyFrom: 'dayAfterLast', asOf: '2024-10-15' }],
    ['cancellations kept', { excludeCancellations: false }],
  ])('%s', async (_label, o) => {
    const [s, d] = [await rfmOn('sqlite', o), await rfmOn('duckdb', o)];
    expect(s.info.engine).toBe('sqlite');
    expect(d.info.engine).toBe('duckdb');
    expect(d.info.columns).toEqual(s.info.columns);
    // one channel share per channel among the 8 most used, a customer's shares summing to at most 1
    expect(d.info.columns.filter((c) => c.name.startsWith('channel_share_'))).toHaveLength(8);
    expect(d.rows.length).toBeGreaterThan(600);
    expect(d.rows).toEqual(s.rows);
    expect({ ...d.r, segmentation: null, datasetId: null, summarySeconds: null }).toEqual({ ...s.r, segmentation: null, datasetId: null, summarySeconds: null });
    expect(d.r.segmentation.segments.map((g) => [g.key, g.size])).toEqual(s.r.segmentation.segments.map((g) => [g.key, g.size]));
    expect(d.info.name).toBe(s.info.name);
    // ties decide scores: several customers share each monetary value
    const monetary = d.info.columns.findIndex((c) => c.name === 'monetary') + 1;
    expect(new Set(d.rows.map((r) => r[monetary])).size).toBeLessThan(d.rows.length / 2);
  });

  it('the grid pages the DuckDB result like the workspace one: typed, raw (a result keeps no raw text: its values) and sorted', async () => {
    const [s, d] = [await rfmOn('sqlite', {}), await rfmOn('duckdb', {})];
    const pages: { table: 'typed' | 'raw'; sort?: { column: string; dir: 'asc' | 'desc' }[]; offset?: number; limit?: number }[] = [{ table: 'typed' }, { table: 'raw' }, { table: 'typed', sort: [{ column: 'monetary', dir: 'desc' }], offset: 30, limit: 20 }];
    for (const args of pages) {
      const page = async (engine: 'sqlite' | 'duckdb', id: string) => apps[engine].app.call('datasets/rows', { id, ...args });
      const [ps, pd] = [await page('sqlite', s.r.datasetId), await page('duckdb', d.r.datasetId)];
      expect(pd.rows.length).toBeGreaterThan(10);
      expect(pd).toEqual(ps);
    }
  });

  it('a filter that leaves nothing says so, and leaves no result behind in DuckDB', async () => {
    const { app, orders: datasetId } = apps.duckdb;
    const before = (await app.call('datasets/list', {})).length;
    await expect(runJob(app, app.call('segments/rfm', { datasetId, asOf: '2023-01-01' }))).rejects.toThrow(/no_customers/);
    expect((await app.call('datasets/list', {})).length).toBe(before);
  });

  it('reads each row\'s customer number beside the rows, and numbers them again when rows are appended: RFM still equals the workspace route', async () => {
    // a second orders file: more lines of the same customers, and customers known only by a phone of the first file's
    const [first, more] = [path.join(t.dir, 'numbered-1.csv'), path.join(t.dir, 'numbered-2.csv')];
    writeFileSync(first, orders(120, 7));
    const extra = orders(160, 8).split('\n');
    writeFileSync(more, [extra[0], ...extra.slice(1).map((l) => l.replace(/^SO/, 'SX'))].join('\n'));
    const ids: Record<string, string> = {};
    const results: Record<string, unknown[][][]> = { sqlite: [], duckdb: [] };
    for (const engine of ['sqlite', 'duckdb'] as const) {
      const { app } = apps[engine];
      ids[engine] = await importFile(app, first, 'numbered orders', engine);
      for (const step of ['first', 'appended'] as const) {
        if (step === 'appended') {
          const inspect = await app.call('import/inspect', { files: [{ path: more }] });
          const { jobId } = await app.call('import/start', { files: [{ path: more }], name: 'numbered orders', settings: inspect.settings, appendTo: ids[engine] });
          expect((await app.ctx.jobs.wait(jobId)).status).toBe('done');
        }
        const r = await runJob<Rfm>(app, app.call('segments/rfm', { datasetId: ids[engine] }));
        const db = app.ctx.requireSession().db;
        results[engine]!.push(await rowsWhereTheDataIs(db, getDataset(db, r.datasetId), `SELECT * FROM "${r.datasetId}" ORDER BY _row`));
        if (engine === 'duckdb') {
          // one number per row of the dataset, in the DuckDB file: the RFM read them (the maps route needs none)
          const rows = getDataset(db, ids.duckdb!).rowCount;
          const [[n, numbered]] = await withDuck(db, (c) => duckAll(c, `SELECT count(*), count(no) FROM "${ids.duckdb}__customers"`));
          expect(Number(n)).toBe(rows);
          expect(Number(numbered)).toBeGreaterThan(rows * 0.9);
        }
      }
    }
    expect(results.duckdb).toEqual(results.sqlite);
    // the appended lines count: more customers, and more orders for some
    expect(results.duckdb![1]!.length).toBeGreaterThan(results.duckdb![0]!.length);
    // rows the identity does not know of (a row written into the DuckDB file behind Segmint's back): numbered again too
    const db = apps.duckdb.app.ctx.requireSession().db;
    const table = `"${ids.duckdb}"`;
    await withDuck(db, (c) => c.run(`INSERT INTO ${table} (_row, "订单号") VALUES (100000, 'STRAY')`));
    await runJob<Rfm>(apps.duckdb.app, apps.duckdb.app.call('segments/rfm', { datasetId: ids.duckdb }));
    const [[rows, numbers]] = await withDuck(db, (c) => duckAll(c, `SELECT (SELECT count(*) FROM ${table}), (SELECT count(*) FROM "${ids.duckdb}__customers")`));
    expect(Number(numbers)).toBe(Number(rows));
    // deleting the dataset takes its numbers with its rows
    await apps.duckdb.app.call('datasets/delete', { id: ids.duckdb!, confirmName: 'numbered orders' });
    const left = await withDuck(db, (c) => duckAll(c, `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '${ids.duckdb}%'`));
    expect(left).toEqual([]);
    // the same file again (it may take the same id): numbered afresh, the same RFM as the first time
    const again = await importFile(apps.duckdb.app, first, 'numbered orders', 'duckdb');
    const r = await runJob<Rfm>(apps.duckdb.app, apps.duckdb.app.call('segments/rfm', { datasetId: again }));
    expect(await rowsWhereTheDataIs(db, getDataset(db, r.datasetId), `SELECT * FROM "${r.datasetId}" ORDER BY _row`)).toEqual(results.duckdb![0]);
  });

  it("cancellation invoices 'C…' are left out on both engines, also once appended to a dataset that had none", async () => {
    // the first file has no order id starting with C (DuckDB then does not read the column); the
    // appended one has cancellation invoices with positive amounts, which only the invoice filter catches
    const [first, more] = [path.join(t.dir, 'c-1.csv'), path.join(t.dir, 'c-2.csv')];
    writeFileSync(first, orders(90, 12));
    const extra = orders(90, 13).split('\n');
    writeFileSync(more, [extra[0], ...extra.slice(1).map((l, j) => (l ? l.replace(/^SO/, j % 3 === 0 ? 'C' : 'SY') : l))].join('\n'));
    const used: Record<string, number[]> = { sqlite: [], duckdb: [] };
    const rows: Record<string, unknown[][][]> = { sqlite: [], duckdb: [] };
    for (const engine of ['sqlite', 'duckdb'] as const) {
      const { app } = apps[engine];
      const id = await importFile(app, first, 'c orders', engine);
      for (const step of ['first', 'appended'] as const) {
        if (step === 'appended') {
          const inspect = await app.call('import/inspect', { files: [{ path: more }] });
          const { jobId } = await app.call('import/start', { files: [{ path: more }], name: 'c orders', settings: inspect.settings, appendTo: id });
          expect((await app.ctx.jobs.wait(jobId)).status).toBe('done');
        }
        const r = await runJob<Rfm>(app, app.call('segments/rfm', { datasetId: id }));
        const db = app.ctx.requireSession().db;
        used[engine]!.push(r.rowsUsed);
        rows[engine]!.push(await rowsWhereTheDataIs(db, getDataset(db, r.datasetId), `SELECT * FROM "${r.datasetId}" ORDER BY _row`));
      }
      // a third of the appended lines are C invoices: fewer of them used than appended
      const appended = extra.filter((l, j) => j > 0 && l).length;
      expect(used[engine]![1]! - used[engine]![0]!).toBeLessThan(appended * 0.8);
    }
    expect(rows.duckdb).toEqual(rows.sqlite);
    expect(used.duckdb).toEqual(used.sqlite);
  });

  it.each([
    ['one customer', 1, 1],
    ['three customers (two quintile edges fall on the same rank)', 3, 1],
    ['four customers', 4, 1],
    ['money too far apart to pack into one sort key (the window route)', 60, 1e16],
    ['an absurd amount (3e35: beyond an exact decimal sum, so the column is not "modest")', 12, 1e35],
    ['money beyond a BIGINT in whole cents, one order each and close together (the window route)', 6, 0, '10000000000000000'],
  ])('%s: the same scores on both engines', async (_label, people, scale, hugePrefix?: string) => {
    // few customers make quintile edges coincide or fall past the last rank; a huge amount makes
    // (value, position) keys too wide for 64 bits, so DuckDB ranks with window sorts instead
    const file = path.join(t.dir, `few-${people}-${scale}-${hugePrefix ?? 0}.csv`);
    const rng = createRng(people);
    const lines = ['订单号,会员编号,下单时间,实付金额'];
    for (let p = 0; p < people; p++) for (let j = 0; j <= (hugePrefix ? 0 : randInt(rng, 3)); j++) lines.push(`SO${p}-${j},M${p % 50},2024-0${1 + randInt(rng, 9)}-1${randInt(rng, 9)} 10:00,${hugePrefix ? `${hugePrefix}${p}.50` : p === 7 ? scale * 3 : [99, 120.5][randInt(rng, 2)]}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const rows: Record<string, unknown[][]> = {};
    for (const engine of ['sqlite', 'duckdb'] as const) {
      const { app } = apps[engine];
      const datasetId = await importFile(app, file, `few ${people} ${scale}`, engine);
      const r = await runJob<Rfm>(app, app.call('segments/rfm', { datasetId }));
      const db = app.ctx.requireSession().db;
      const info = getDataset(db, r.datasetId);
      const all = await rowsWhereTheDataIs(db, info, `SELECT * FROM "${r.datasetId}" ORDER BY _row`);
      // beyond 2^53 cents a double holds no exact cents, and the engines round such money apart (a known
      // limit): there the scores and every other column are compared
      const monetary = info.columns.findIndex((c) => c.name === 'monetary') + 1;
      rows[engine] = hugePrefix ? all.map((row) => row.filter((_, k) => k !== monetary)) : all;
    }
    expect(rows.duckdb).toEqual(rows.sqlite);
    expect(rows.duckdb!.length).toBe(Math.min(people, 50));
  });
});

describe('a DuckDB dataset of several row groups is read in row ranges side by side', () => {
  const big = tempDir();
  afterAll(() => big.cleanup());

  it('its numbered rows come as a UNION ALL of ranges, and RFM still equals the workspace route cell by cell', async () => {
    // ≈ 300k order lines: three of DuckDB's row groups (122,880 rows), so two threads read two ranges
    const file = path.join(big.dir, 'orders-300k.csv');
    writeFileSync(file, orders(86_000, 5));
    const results: Record<string, unknown[][]> = {};
    for (const engine of ['sqlite', 'duckdb'] as const) {
      const app = testApp();
      try {
        await app.call('workspace/create', { name: `rfm-parts-${engine}` });
        const datasetId = await importFile(app, file, 'orders', engine);
        const r = await runJob<Rfm>(app, app.call('segments/rfm', { datasetId, asOf: '2024-11-30' }));
        const db = app.ctx.requireSession().db;
        results[engine] = await rowsWhereTheDataIs(db, getDataset(db, r.datasetId), `SELECT * FROM "${r.datasetId}" ORDER BY _row`);
        if (engine === 'duckdb') {
          const info = getDataset(db, datasetId);
          expect(info.rowCount).toBeGreaterThan(2 * 122_880);
          const from = await withDuck(db, async (c) => (await prepareDuck(db, c), numberedRows(db, info)));
          expect(from?.from).toMatch(/UNION ALL/);
          // its time column is a datetime: each row's time is read beside its number, not cast from its text
          expect(from?.time).toBe('t._segmint_t');
        }
      } finally {
        app.close();
      }
    }
    expect(results.duckdb!.length).toBeGreaterThan(80_000);
    expect(results.duckdb).toEqual(results.sqlite);
  }, 300_000);
});
