/**
 * The DuckDB engine for a dataset's rows (`segmint import --engine duckdb`), on the messy brand: the
 * same export imported into two workspaces — all of it in SQLite, and the orders (written as GBK,
 * split into two files, the second appended with three broken lines) in the DuckDB file beside the
 * other workspace (and the SMS sends, as GBK from the export). Every figure that runs on DuckDB must equal SQLite's: import counts, identity,
 * RFM per customer, a grid page, the raw tab, the customer view; what does not run there says so in zh/en.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import type { RowsPage } from '../../../shared/types';
import { purchaseSql } from '../../../main/services/identity/events';
import { summarizeTransactions } from '../../../main/analysis/value/summary';
import { timeMs } from '../../../main/services/segments/source';

let t: ReturnType<typeof tempDir>;
let cli: ReturnType<typeof segmintIn>;
let sqliteWs: string;
let duckWs: string;
let a: TestApp; // everything in SQLite
let b: TestApp; // orders in DuckDB
const idsA: Record<string, string> = {};
const idsB: Record<string, string> = {};
let ordersLines: string[];
let importB: { first: any; append: any };

beforeAll(async () => {
  t = tempDir();
  cli = segmintIn(() => t.dir);
  sqliteWs = path.join(t.dir, 'sqlite.segmint');
  duckWs = path.join(t.dir, 'duck.segmint');
  const exp = path.join(t.dir, 'export');
  cli.json(['demo', 'messy', '--out', exp, '--people', '400', '--seed', '11', '--workspace', sqliteWs]);
  cli.json(['workspace', 'create', duckWs]);
  cli.json(['import', path.join(exp, 'crm.csv'), '--name', 'CRM会员', '--workspace', duckWs]);
  // the SMS log in DuckDB too (a company's send log is its largest table); its replies stay in the workspace
  cli.json(['import', path.join(exp, 'sms_sends.csv'), '--name', '短信发送', '--engine', 'duckdb', '--workspace', duckWs]);
  cli.json(['import', path.join(exp, 'sms_replies.csv'), '--name', '短信回复', '--workspace', duckWs]);
  // the orders as Excel would save them in China (GBK), in two monthly files; the second carries three broken lines
  const text = readFileSync(path.join(exp, 'orders.csv'), 'utf8').replace(/^\uFEFF/, '');
  ordersLines = text.split(/\r?\n/).filter((l) => l !== '');
  const [header, ...rows] = ordersLines;
  const half = Math.floor(rows.length / 2);
  const part1 = path.join(t.dir, 'orders-1.csv');
  const part2 = path.join(t.dir, 'orders-2.csv');
  writeFileSync(part1, iconv.encode([header, ...rows.slice(0, half)].join('\r\n') + '\r\n', 'gbk'));
  const broken = ['X1,M1,13800138000,2024-05-01 10:00:00,100,已完成,多余,多余', 'X2,M2,13800138001,2024-05-01 10:00:00,100,已完成,多余', 'X3,M3,13800138002,2024-05-01 10:00:00,100,已完成,多余,多余,多余'];
  writeFileSync(part2, iconv.encode([header, ...rows.slice(half), ...broken].join('\r\n') + '\r\n', 'gbk'));
  const first = cli.json(['import', part1, '--name', '订单', '--engine', 'duckdb', '--workspace', duckWs]);
  const append = cli.json(['import', part2, '--append-to', '订单', '--workspace', duckWs]);
  importB = { first, append };
  a = testApp();
  b = testApp();
  await a.call('workspace/open', { path: sqliteWs });
  await b.call('workspace/open', { path: duckWs });
  for (const d of await a.call('datasets/list', {})) idsA[d.name] = d.id;
  for (const d of await b.call('datasets/list', {})) idsB[d.name] = d.id;
}, 240_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  t?.cleanup();
});

/** Every row of a table, page by page (5,000 at most per call). */
async function allRows(app: TestApp, id: string, table: 'typed' | 'quarantine' = 'typed'): Promise<RowsPage> {
  const first = await app.call('datasets/rows', { id, table, offset: 0, limit: 5000, sort: [], filters: [] });
  const rows = [...first.rows];
  while (rows.length < first.total) rows.push(...(await app.call('datasets/rows', { id, table, offset: rows.length, limit: 5000, sort: [], filters: [] })).rows);
  return { ...first, rows };
}

describe('a dataset in the DuckDB engine', () => {
  it('imports through Segmint\'s own reading (GBK, types, quarantine) with rows in = imported + quarantined, and appends continue it', async () => {
    expect(existsSync(`${duckWs}.duckdb`)).toBe(true);
    expect(importB.first.encoding).toBe('gb18030');
    expect(importB.first.rowsQuarantined).toBe(0);
    expect(importB.append.rowsQuarantined).toBe(3);
    const orders = (await b.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const ordersA = (await a.call('datasets/list', {})).find((d) => d.name === '订单')!;
    expect(orders.engine).toBe('duckdb');
    expect(ordersA.engine).toBe('sqlite');
    expect(orders.rowCount).toBe(ordersLines.length - 1);
    expect(orders.rowCount).toBe(ordersA.rowCount);
    expect(orders.rowsIn).toBe(orders.rowCount + orders.quarantined);
    expect(orders.quarantined).toBe(3);
    // the same column types and invalid counts as the SQLite import of the UTF-8 file
    expect(orders.columns.map((c) => [c.name, c.type, c.role, c.invalid])).toEqual(ordersA.columns.map((c) => [c.name, c.type, c.role, c.invalid]));
    // the broken lines are in the workspace's quarantine, each with its reason
    const q = await allRows(b, orders.id, 'quarantine');
    expect(q.total).toBe(3);
    expect(q.rows.map((r) => r[1])).toEqual(['ragged', 'ragged', 'ragged']);
    // the rows themselves, every typed value, equal SQLite's
    const rowsA = await allRows(a, idsA['订单']!);
    const rowsB = await allRows(b, orders.id);
    expect(rowsB.columns).toEqual(rowsA.columns);
    expect(rowsB.total).toBe(rowsA.total);
    expect(rowsB.rows).toEqual(rowsA.rows);
  });

  it('the grid pages, sorts, filters and searches it as SQLite does', async () => {
    const page = { offset: 5, limit: 25, sort: [{ column: '实付金额', dir: 'desc' as const }], filters: [{ column: '状态', op: 'eq' as const, value: '已完成' }, { column: '手机号', op: 'notEmpty' as const }] };
    const pa = await a.call('datasets/rows', { id: idsA['订单']!, table: 'typed', ...page });
    const pb = await b.call('datasets/rows', { id: idsB['订单']!, table: 'typed', ...page });
    expect(pb.total).toBeGreaterThan(30);
    expect(pb).toEqual(pa);
    const sa = await a.call('datasets/rows', { id: idsA['订单']!, table: 'typed', offset: 0, limit: 50, sort: [], filters: [{ column: '实付金额', op: 'empty' }], search: '138' });
    const sb = await b.call('datasets/rows', { id: idsB['订单']!, table: 'typed', offset: 0, limit: 50, sort: [], filters: [{ column: '实付金额', op: 'empty' }], search: '138' });
    expect(sb).toEqual(sa);
  });

  it('identity and RFM on it equal the SQLite engine\'s, customer by customer', async () => {
    const ia = await a.call('identity/status', {});
    const ib = await b.call('identity/status', {});
    expect(ib.customers).toBe(ia.customers);
    expect(ib.links).toBe(ia.links);
    expect(ib.sharedKeys).toBe(ia.sharedKeys);
    // each customer's records, events and first / last time (DuckDB's key tuples carry the times as two halves)
    const everyone = async (app: TestApp) => {
      const out: unknown[][] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await app.call('customers/search', { q: '', offset, limit: 500 });
        out.push(...page.rows.map((r) => [r.customerId, r.records, r.datasets, r.events, r.firstSeen, r.lastSeen]));
        if (offset + 500 >= page.total) return out.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
      }
    };
    const [ea, eb] = [await everyone(a), await everyone(b)];
    expect(ea.length).toBe(ia.customers);
    expect(ea.filter((r) => typeof r[5] === 'string' && (r[5] as string).length > 12).length).toBeGreaterThan(300);
    expect(eb).toEqual(ea);
    const ra = await runJob<any>(a, a.call('segments/rfm', { datasetId: idsA['订单']!, scheme: 'cn8' }));
    const rb = await runJob<any>(b, b.call('segments/rfm', { datasetId: idsB['订单']!, scheme: 'cn8' }));
    expect(rb.customers).toBe(ia.customers);
    expect({ customers: rb.customers, used: rb.rowsUsed, excluded: rb.rowsExcluded }).toEqual({ customers: ra.customers, used: ra.rowsUsed, excluded: ra.rowsExcluded });
    // cancelled, refunded and pending lines are left out by the definitions in force on both engines
    expect(rb.definitions.statuses[0].classes).toEqual(ra.definitions.statuses[0].classes);
    const ta = await allRows(a, ra.datasetId);
    const tb = await allRows(b, rb.datasetId);
    expect(tb.rows.length).toBe(ia.customers);
    expect(tb.rows).toEqual(ta.rows);
    // a later as-of day (fewer lines) also agrees
    const la = await runJob<any>(a, a.call('segments/rfm', { datasetId: idsA['订单']!, asOf: '2024-03-31' }));
    const lb = await runJob<any>(b, b.call('segments/rfm', { datasetId: idsB['订单']!, asOf: '2024-03-31' }));
    expect(lb.rowsUsed).toBeLessThan(rb.rowsUsed);
    expect((await allRows(b, lb.datasetId)).rows).toEqual((await allRows(a, la.datasetId)).rows);
  });

  it('the customer view reads a customer\'s DuckDB rows and timeline like SQLite\'s', async () => {
    const search = await a.call('customers/search', { q: '', offset: 0, limit: 40 });
    let withOrders = 0;
    for (const c of search.rows.slice(0, 40)) {
      const pa = await a.call('customers/get', { customerId: c.customerId });
      const pb = await b.call('customers/get', { customerId: c.customerId });
      const orders = (p: typeof pa, id: string) => ({ sources: p.sources.filter((s) => s.datasetId === id).map((s) => [s.row, s.rule, s.values]), timeline: p.timeline.filter((e) => e.datasetId === id).map((e) => [e.at, e.row, e.kind, e.amount, e.detail]) });
      expect(orders(pb, idsB['订单']!), c.customerId).toEqual(orders(pa, idsA['订单']!));
      if (orders(pb, idsB['订单']!).timeline.length) withOrders++;
    }
    expect(withOrders).toBeGreaterThan(20);
  });

  it('CLV (BG/NBD + Gamma-Gamma) on it equals the SQLite engine\'s, and its SQL summary equals the row-by-row reference', async () => {
    const args = { calibrationEnd: '2024-04-30', observationEnd: '2024-06-30', unit: 'weeks' as const };
    const ca = await runJob<any>(a, a.call('value/clv', { datasetId: idsA['订单']!, ...args }));
    const cb = await runJob<any>(b, b.call('value/clv', { datasetId: idsB['订单']!, ...args }));
    expect(ca.customers).toBeGreaterThan(200);
    expect(cb.customers).toBe(ca.customers);
    for (const k of ['r', 'alpha', 'a', 'b', 'logLikelihood'] as const) expect(cb.bgnbd[k]).toBeCloseTo(ca.bgnbd[k], 6);
    expect(cb.gammaGamma.repeatBuyers).toBe(ca.gammaGamma.repeatBuyers);
    expect(cb.holdout).toEqual(ca.holdout);
    expect(ca.holdout.at(-1).actual).toBeGreaterThan(0);
    expect(cb.pAliveMatrix.map((c: any) => c.customers)).toEqual(ca.pAliveMatrix.map((c: any) => c.customers));
    const ta = await allRows(a, ca.datasetId);
    const tb = await allRows(b, cb.datasetId);
    const cols = ['customer_id', 'frequency', 'recency', 'T', 'monetary_mean'];
    const pick = (p: RowsPage) => p.rows.map((r) => cols.map((c) => r[p.columns.indexOf(c)])).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(pick(tb)).toEqual(pick(ta));
    // the reference: every valid order line read one by one through the identity layer, summarised in JavaScript
    const db = a.ctx.requireSession().db;
    const p = purchaseSql(db, idsA['订单']!);
    const lines = db.prepare(`SELECT ${p.key}, ${p.time}, ${p.amount} FROM ${p.from} WHERE ${p.valid}`).raw(true).all() as [string, string, number][];
    const ref = summarizeTransactions(lines.map((l) => l[0]), lines.map((l) => timeMs(l[1])), lines.map((l) => Math.max(0, l[2])), { calibrationEnd: timeMs(args.calibrationEnd), observationEnd: timeMs(args.observationEnd), unit: 'weeks' });
    const refRows = ref.customers.map((c, i) => [c, ref.x[i], +ref.tx[i]!.toFixed(4), +ref.T[i]!.toFixed(4), +ref.zbar[i]!.toFixed(2)]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(pick(ta)).toEqual(refRows);
    // the hold-out chart: cohort customers' distinct purchase days within each period after the calibration end
    const cohort = new Set(ref.customers);
    const calDay = timeMs(args.calibrationEnd) / 86_400_000;
    const days = new Set(lines.filter((l) => cohort.has(l[0])).map((l) => `${l[0]}|${Math.floor(timeMs(l[1]) / 86_400_000)}`));
    const within = (weeks: number) => [...days].filter((k) => { const d = +k.split('|')[1]!; return d > calDay && d <= calDay + weeks * 7; }).length;
    expect(ca.holdout.map((h: any) => h.actual)).toEqual(ca.holdout.map((h: any) => within(h.period)));
  });

  it('the forecast\'s periods (month and week; revenue, orders, customers) equal SQLite\'s', async () => {
    for (const [measure, grain] of [['revenue', 'month'], ['orders', 'week'], ['customers', 'month']] as const) {
      const fa = await a.call('value/forecast', { datasetId: idsA['订单']!, measure, grain, horizon: 3 });
      const fb = await b.call('value/forecast', { datasetId: idsB['订单']!, measure, grain, horizon: 3 });
      expect(fb.periods, `${measure} by ${grain}`).toEqual(fa.periods);
      expect(fa.periods.length).toBeGreaterThanOrEqual(4);
      fb.values.forEach((v, i) => expect(v).toBeCloseTo(fa.values[i]!, 6));
      fb.forecast.forEach((v, i) => expect(v).toBeCloseTo(fa.forecast[i]!, 1));
    }
  });

  it('lifecycle stages, their trend and transitions, and a stage segment equal SQLite\'s', async () => {
    const la = await a.call('insights/lifecycle', { datasetId: idsA['订单']!, months: 6 });
    const lb = await b.call('insights/lifecycle', { datasetId: idsB['订单']!, months: 6 });
    expect(la.customers).toBeGreaterThan(300);
    expect(la.stages.filter((s) => s.count > 0).length).toBeGreaterThanOrEqual(3);
    // the dataset ids differ between the two workspaces; the classes in force are the same
    expect(lb.definitions!.statuses.map((s) => s.classes)).toEqual(la.definitions!.statuses.map((s) => s.classes));
    expect({ ...lb, definitions: null }).toEqual({ ...la, definitions: null });
    const sa = await a.call('insights/lifecycle/segment', { datasetId: idsA['订单']!, stages: ['declining', 'churned'] });
    const sb = await b.call('insights/lifecycle/segment', { datasetId: idsB['订单']!, stages: ['declining', 'churned'] });
    expect(sb.members).toBe(sa.members);
    const pick = (p: RowsPage) => p.rows.map((r) => r.slice(p.columns.indexOf('customer_id'))).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(pick(await allRows(b, sb.stageDataset))).toEqual(pick(await allRows(a, sa.stageDataset)));
  });

  it('geography (customers and revenue by province and city, and a CRM list\'s revenue from its orders) equals SQLite\'s', async () => {
    const top = await a.call('insights/geo', { datasetId: idsA['订单']!, measure: 'customers', by: 'province' });
    expect(top.rows.filter((r) => r.value > 0).length).toBeGreaterThanOrEqual(5);
    const busiest = [...top.rows].sort((x, y) => y.value - x.value)[0]!.name;
    for (const args of [
      { measure: 'customers' as const, by: 'province' as const },
      { measure: 'revenue' as const, by: 'province' as const },
      { measure: 'revenue' as const, by: 'city' as const, province: busiest },
    ]) {
      const ga = await a.call('insights/geo', { datasetId: idsA['订单']!, ...args });
      const gb = await b.call('insights/geo', { datasetId: idsB['订单']!, ...args });
      expect(gb, JSON.stringify(args)).toEqual(ga);
    }
    // the CRM list stays in the workspace; its revenue comes from the orders, which live in DuckDB in b
    const ca = await a.call('insights/geo', { datasetId: idsA['CRM会员']!, measure: 'revenue', by: 'province', orders: idsA['订单']! });
    const cb = await b.call('insights/geo', { datasetId: idsB['CRM会员']!, measure: 'revenue', by: 'province', orders: idsB['订单']! });
    expect(ca.rows.reduce((u, r) => u + r.value, 0)).toBeGreaterThan(0);
    expect(cb).toEqual(ca);
  });

  it('the campaign report (funnel, A/B, send-time grid, conversions), a monitor and response by province equal SQLite\'s with the sends and orders in DuckDB', async () => {
    const args = (ids: Record<string, string>) => ({ sends: ids['短信发送']!, orders: ids['订单']!, replies: ids['短信回复']!, windowDays: 7, minCount: 30 });
    const ra = await a.call('sms/report', args(idsA));
    const rb = await b.call('sms/report', args(idsB));
    expect(ra.campaigns.length).toBeGreaterThanOrEqual(2);
    expect(ra.totals.converted).toBeGreaterThan(0);
    expect(ra.totals.unsubscribed).toBeGreaterThan(0);
    expect(ra.campaigns.some((c) => c.abTest)).toBe(true);
    // the definitions name each workspace's own dataset ids
    const sameIds = (r: typeof ra, names: Record<string, string>) => JSON.parse(JSON.stringify(r).replace(/"datasetId":"(ds_\d+)"/g, (_m, id: string) => `"datasetId":"${Object.keys(names).find((n) => names[n] === id)}"`));
    expect(sameIds(rb, idsB)).toEqual(sameIds(ra, idsA));
    const ma = await a.call('sms/monitor/save', { name: '监控', sends: idsA['短信发送']!, replies: idsA['短信回复']!, thresholds: {} });
    const mb = await b.call('sms/monitor/save', { name: '监控', sends: idsB['短信发送']!, replies: idsB['短信回复']!, thresholds: {} });
    expect(ma.trend[0]!.kpis.sent).toBe(ra.totals.sent);
    expect(mb.trend.map((x) => [x.batch, x.kpis])).toEqual(ma.trend.map((x) => [x.batch, x.kpis]));
    const ga = await a.call('insights/geo', { datasetId: idsA['CRM会员']!, measure: 'response', by: 'province', sends: idsA['短信发送']!, orders: idsA['订单']! });
    const gb = await b.call('insights/geo', { datasetId: idsB['CRM会员']!, measure: 'response', by: 'province', sends: idsB['短信发送']!, orders: idsB['订单']! });
    expect(ga.rows.reduce((u, r) => u + r.value, 0)).toBeGreaterThan(0);
    expect(gb).toEqual(ga);
  });

  it('the raw tab shows the values as read, in file order; sorting it says to use the typed tab (zh/en)', async () => {
    let rewritten = 0;
    for (const [offset, limit] of [[0, 300], [2000, 500]] as const) {
      const page = (app: TestApp, ids: Record<string, string>, table: 'raw' | 'typed') => app.call('datasets/rows', { id: ids['订单']!, table, offset, limit, sort: [], filters: [] });
      const [ra, rb, tb] = [await page(a, idsA, 'raw'), await page(b, idsB, 'raw'), await page(b, idsB, 'typed')];
      expect(rb.rows).toHaveLength(limit);
      expect(rb).toEqual(ra);
      // cells the import rewrote (a phone written with spaces, a full-width digit) show as they were read
      rewritten += rb.rows.filter((r, i) => r.some((v, j) => j > 0 && v !== '' && String(v) !== String(tb.rows[i]![j] ?? ''))).length;
    }
    expect(rewritten).toBeGreaterThan(0);
    const sorted = { id: idsB['订单']!, table: 'raw' as const, offset: 0, limit: 5, sort: [{ column: '实付金额', dir: 'desc' as const }], filters: [] };
    await expect(b.call('datasets/rows', sorted)).rejects.toMatchObject({ code: 'engine.raw_in_file_order', zh: expect.stringContaining('类型化数据页') });
  });

  it('retyping a column re-reads its values as read in DuckDB as SQLite does, and back again gives the imported values', async () => {
    const page = async (app: TestApp, ids: Record<string, string>, table: 'raw' | 'typed') => (await app.call('datasets/rows', { id: ids['订单']!, table, offset: 0, limit: 2000, sort: [], filters: [] })).rows;
    const before = await page(b, idsB, 'typed');
    for (const type of ['text', 'phone'] as const) {
      const set = (app: TestApp, ids: Record<string, string>) => runJob<{ column: { type: string; invalid: number }; retyped: number; invalid: number }>(app, app.call('columns/set', { datasetId: ids['订单']!, column: '手机号', type }));
      const [ca, cb] = [await set(a, idsA), await set(b, idsB)];
      expect(cb.retyped).toBe(ordersLines.length - 1);
      expect([cb.column, cb.invalid]).toEqual([ca.column, ca.invalid]);
      expect(await page(b, idsB, 'typed')).toEqual(await page(a, idsA, 'typed'));
      expect(await page(b, idsB, 'raw')).toEqual(await page(a, idsA, 'raw'));
      if (type === 'text') expect(await page(b, idsB, 'typed')).not.toEqual(before);
    }
    // as text the phones were their raw text; as phones again they are the import's canonical numbers
    expect(await page(b, idsB, 'typed')).toEqual(before);
    // and the identity reads the re-typed keys (its key tuples were read again)
    const [ra, rb] = [await runJob<{ customers: number }>(a, a.call('segments/rfm', { datasetId: idsA['订单']! })), await runJob<{ customers: number }>(b, b.call('segments/rfm', { datasetId: idsB['订单']! }))];
    expect(rb.customers).toBe(ra.customers);
  });

  it('is refused for an encrypted workspace and for a replies dataset, with a message', () => {
    const enc = path.join(t.dir, 'enc.segmint');
    const env = { SEG_PASS: 'correct horse battery' };
    expect(cli.run(['workspace', 'create', enc, '--passphrase-env', 'SEG_PASS'], env).code).toBe(0);
    const r = cli.run(['import', path.join(t.dir, 'orders-1.csv'), '--engine', 'duckdb', '--workspace', enc, '--passphrase-env', 'SEG_PASS'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('encrypted');
    expect(existsSync(`${enc}.duckdb`)).toBe(false);
    const replies = cli.run(['import', path.join(t.dir, 'export', 'sms_replies.csv'), '--engine', 'duckdb', '--workspace', duckWs]);
    expect(replies.code).not.toBe(0);
    expect(replies.stderr).toContain('suppression');
  });

  it('rows a cancelled append left in DuckDB past the catalog\'s count are not part of the dataset: the next append deletes them first', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const before = (await b.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const inst = await DuckDBInstance.create(`${duckWs}.duckdb`);
    const c = await inst.connect();
    await c.run(`INSERT INTO ${before.id} (_row, "订单号") VALUES (${before.rowCount + 1}, 'STRAY'), (${before.rowCount + 2}, 'STRAY')`);
    c.closeSync();
    inst.closeSync();
    const [header, ...rows] = ordersLines;
    const more = path.join(t.dir, 'orders-3.csv');
    writeFileSync(more, [header, ...rows.slice(0, 5)].join('\n') + '\n');
    expect(cli.json(['import', more, '--append-to', '订单', '--workspace', duckWs]).rowsImported).toBe(5);
    const after = (await b.call('datasets/list', {})).find((d) => d.name === '订单')!;
    expect(after.rowCount).toBe(before.rowCount + 5);
    const page = await b.call('datasets/rows', { id: before.id, table: 'typed', offset: 0, limit: 10, sort: [], filters: [{ column: '订单号', op: 'eq', value: 'STRAY' }] });
    expect(page.total).toBe(0);
    expect((await b.call('datasets/rows', { id: before.id, table: 'typed', offset: 0, limit: 1, sort: [], filters: [] })).total).toBe(after.rowCount);
  });

  it('deleting the dataset drops its table from the DuckDB file', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const tables = async () => {
      const inst = await DuckDBInstance.create(`${duckWs}.duckdb`);
      const c = await inst.connect();
      const names = (await c.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'ds_%'")).getRows().map((r) => String(r[0]));
      c.closeSync();
      inst.closeSync();
      return names;
    };
    expect(await tables()).toContain(idsB['订单']);
    await b.call('datasets/delete', { id: idsB['订单']!, confirmName: '订单' });
    expect(await tables()).not.toContain(idsB['订单']);
    expect((await b.call('datasets/list', {})).some((d) => d.name === '订单')).toBe(false);
  });
});
