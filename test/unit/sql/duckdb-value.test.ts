/**
 * Basket rules, recommendations, the churn model, journeys and analysts' SQL on datasets in the DuckDB
 * engine: the same files (the online-retail sample with its cancelled invoices, the Telco churn table,
 * the demo's touches and orders) imported into one workspace's SQLite and into another's DuckDB file
 * give the same rules, hit rates, recommendation lists, AUC, per-customer scores, paths and credits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { datasetPath } from '../../helpers/datasets';
import type { ChurnResult, RecommendResult, RulesResult } from '../../../shared/api/value';
import { writeFileSync } from 'node:fs';
import { generateDemo } from '../../../main/demo/generate';

let t: ReturnType<typeof tempDir>;
let a: TestApp; // in SQLite
let b: TestApp; // in DuckDB
const idsA: Record<string, string> = {};
const idsB: Record<string, string> = {};
let recommendationsB: string; // a derived dataset: in b's workspace, beside its DuckDB datasets

beforeAll(async () => {
  t = tempDir();
  const cli = segmintIn(() => t.dir);
  const wsA = path.join(t.dir, 'sqlite.segmint');
  const wsB = path.join(t.dir, 'duck.segmint');
  // the demo's multi-channel touches (a planted path converts more) and its orders
  const demo = generateDemo({ seed: 3, customers: 800 });
  for (const f of demo.files.filter((x) => x.name === 'touches.csv' || x.name === 'orders.csv')) writeFileSync(path.join(t.dir, f.name), f.text);
  for (const [ws, engine] of [[wsA, []], [wsB, ['--engine', 'duckdb']]] as const) {
    cli.json(['workspace', 'create', ws]);
    cli.json(['import', datasetPath('online-retail-sample.csv'), '--name', 'retail', ...engine, '--workspace', ws]);
    cli.json(['import', datasetPath('telco-customer-churn.csv'), '--name', 'telco', ...engine, '--workspace', ws]);
    cli.json(['import', path.join(t.dir, 'touches.csv'), '--name', 'touches', ...engine, '--workspace', ws]);
    cli.json(['import', path.join(t.dir, 'orders.csv'), '--name', 'demo orders', ...engine, '--workspace', ws]);
  }
  a = testApp();
  b = testApp();
  await a.call('workspace/open', { path: wsA });
  await b.call('workspace/open', { path: wsB });
  for (const d of await a.call('datasets/list', {})) idsA[d.name] = d.id;
  for (const d of await b.call('datasets/list', {})) idsB[d.name] = d.id;
  expect((await b.call('datasets/list', {})).map((d) => d.engine)).toEqual(['duckdb', 'duckdb', 'duckdb', 'duckdb']);
}, 240_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  t?.cleanup();
});

/** Every row of a derived dataset (in the workspace on both sides), page by page. */
async function allRows(app: TestApp, id: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for (;;) {
    const page = await app.call('datasets/rows', { id, table: 'typed', offset: rows.length, limit: 5000, sort: [], filters: [] });
    rows.push(...page.rows.map((r) => r.slice(1))); // without _row
    if (rows.length >= page.total) return rows;
  }
}

describe('analyses on DuckDB datasets', () => {
  it('basket rules (FP-growth) equal SQLite\'s: same baskets, itemsets, rules in the same order, item labels', async () => {
    const args = { minSupport: 0.02, minConfidence: 0.3, excludeCancellations: true };
    const ra = await runJob<RulesResult>(a, a.call('value/rules', { datasetId: idsA.retail!, ...args }));
    const rb = await runJob<RulesResult>(b, b.call('value/rules', { datasetId: idsB.retail!, ...args }));
    expect(ra.baskets).toBeGreaterThan(500);
    expect(ra.rules.length).toBeGreaterThan(5);
    expect(Object.keys(ra.labels).length).toBeGreaterThan(0);
    expect(rb).toEqual(ra);
  });

  it('item-CF recommendations equal SQLite\'s: hold-out hit rates, cutoff and every customer\'s list', async () => {
    const ra = await runJob<RecommendResult>(a, a.call('value/recommend', { datasetId: idsA.retail!, topN: 5 }));
    const rb = await runJob<RecommendResult>(b, b.call('value/recommend', { datasetId: idsB.retail!, topN: 5 }));
    expect(ra.customers).toBeGreaterThan(100);
    expect(ra.hitRate.cf).toBeGreaterThan(0);
    expect({ ...rb, datasetId: null }).toEqual({ ...ra, datasetId: null });
    expect(await allRows(b, rb.datasetId)).toEqual(await allRows(a, ra.datasetId));
    recommendationsB = rb.datasetId;
  });

  it('the churn model (logistic and gradient boosting) equals SQLite\'s: AUC, confusion, weights and every score', async () => {
    for (const model of ['logistic', 'gbm'] as const) {
      const ra = await runJob<ChurnResult>(a, a.call('value/churn', { datasetId: idsA.telco!, label: 'Churn', model }));
      const rb = await runJob<ChurnResult>(b, b.call('value/churn', { datasetId: idsB.telco!, label: 'Churn', model }));
      expect(ra.n).toBe(7043);
      expect(ra.auc).toBeGreaterThan(0.8);
      expect({ ...rb, datasetId: null, scoresDataset: null }).toEqual({ ...ra, datasetId: null, scoresDataset: null });
      expect(await allRows(b, rb.scoresDataset)).toEqual(await allRows(a, ra.scoresDataset));
    }
  });

  it('cross-channel journeys (paths, conversion rates, attribution by channel and campaign) equal SQLite\'s', async () => {
    for (const by of ['channel', 'campaign'] as const) {
      const args = (ids: Record<string, string>) => ({ touches: ids.touches!, orders: ids['demo orders']!, lookbackDays: 30, collapseRepeats: false, by, top: 50, minPaths: 5, halfLifeDays: 7 });
      const ja = await a.call('insights/journeys', args(idsA));
      const jb = await b.call('insights/journeys', args(idsB));
      expect(ja.paths).toBeGreaterThan(100);
      expect(ja.topPaths.length).toBeGreaterThan(3);
      expect(jb).toEqual(ja);
    }
  });

  it('analysts\' SQL on a DuckDB dataset runs in DuckDB, read-only, with the same answers as on SQLite', async () => {
    const q = (app: TestApp, sql: string, params: (string | number)[] = [], limit = 1000) => app.call('datasets/query', { sql, params, limit });
    const byCountry = (id: string) => `SELECT "Country", count(*) AS lines, round(sum("Quantity" * "UnitPrice"), 2) AS revenue FROM ${id} WHERE "Quantity" > ? GROUP BY 1 ORDER BY 2 DESC, 1`;
    const qa = await q(a, byCountry(idsA.retail!), [0]);
    const qb = await q(b, byCountry(idsB.retail!), [0]);
    expect(qa.rows.length).toBeGreaterThan(3);
    expect(qb).toEqual(qa);
    // rows as stored, and the limit
    const first = (id: string) => `SELECT * FROM ${id} ORDER BY _row`;
    const fa = await q(a, first(idsA.retail!), [], 25);
    const fb = await q(b, first(idsB.retail!), [], 25);
    expect(fa.truncated).toBe(true);
    expect(fb).toEqual(fa);
    // read-only, and nothing outside the file: each refused with a message, the table unchanged
    const refused = async (sql: string) => (await q(b, sql).then(() => null, (e: { code: string }) => e))?.code;
    expect(await refused(`COPY (SELECT * FROM ${idsB.retail}) TO '${path.join(t.dir, 'leak.csv')}'`)).toBe('sql_not_read_only');
    expect(await refused(`CREATE TABLE x AS SELECT * FROM ${idsB.retail}`)).toBe('sql_not_read_only');
    const outside = (await q(b, `SELECT count(*) FROM ${idsB.retail}, read_csv('${datasetPath('iris.csv')}')`).catch((e: Error & { code: string }) => e)) as Error & { code: string };
    expect(outside.code).toBe('sql_error');
    expect(outside.message).toMatch(/file system operations are disabled/); // DuckDB's own refusal, not a parse error
    expect(await refused(`SELECT * FROM ${idsB.retail} LIMIT 1; DELETE FROM ${idsB.retail}`)).toMatch(/^sql_(error|not_read_only)$/);
    expect(await refused(`WITH d AS (DELETE FROM ${idsB.retail} RETURNING *) SELECT count(*) FROM d`)).toMatch(/^sql_(error|not_read_only)$/);
    expect((await q(b, `SELECT count(*) FROM ${idsB.retail}`)).rows[0]![0]).toBe((await q(a, `SELECT count(*) FROM ${idsA.retail}`)).rows[0]![0]);
    // a DuckDB dataset joined with a workspace one: said, not failed inside
    const mixed = (await q(b, `SELECT count(*) FROM ${idsB.retail} r JOIN ${recommendationsB} x ON CAST(r."CustomerID" AS TEXT) = x.customer_id`).catch((e) => e)) as Error & { code: string; zh: string };
    expect(mixed.code).toBe('sql_mixed_engines');
    expect(mixed.message).toContain('“retail”');
    expect(mixed.zh).toContain('DuckDB 引擎');
    // while an analysis or an import holds the file (read-write, in another process), a query says so and can be run again
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const holder = await DuckDBInstance.create(`${path.join(t.dir, 'duck.segmint')}.duckdb`);
    let busy: Error & { code: string; zh: string };
    try {
      busy = (await q(b, `SELECT count(*) FROM ${idsB.retail}`).catch((e) => e)) as Error & { code: string; zh: string };
    } finally {
      holder.closeSync();
    }
    expect(busy.code).toBe('engine.busy');
    expect(busy.zh).toContain('再运行查询');
    expect((await q(b, `SELECT count(*) FROM ${idsB.retail}`)).rows[0]![0]).toBeGreaterThan(0);
  });
});
