/**
 * Basket rules, recommendations and the churn model on datasets in the DuckDB engine: the same files
 * (the online-retail sample with its cancelled invoices, the Telco churn table) imported into one
 * workspace's SQLite and into another's DuckDB file give the same rules, hit rates, recommendation
 * lists, AUC and per-customer scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { datasetPath } from '../../helpers/datasets';
import type { ChurnResult, RecommendResult, RulesResult } from '../../../shared/api/value';

let t: ReturnType<typeof tempDir>;
let a: TestApp; // in SQLite
let b: TestApp; // in DuckDB
const idsA: Record<string, string> = {};
const idsB: Record<string, string> = {};

beforeAll(async () => {
  t = tempDir();
  const cli = segmintIn(() => t.dir);
  const wsA = path.join(t.dir, 'sqlite.segmint');
  const wsB = path.join(t.dir, 'duck.segmint');
  for (const [ws, engine] of [[wsA, []], [wsB, ['--engine', 'duckdb']]] as const) {
    cli.json(['workspace', 'create', ws]);
    cli.json(['import', datasetPath('online-retail-sample.csv'), '--name', 'retail', ...engine, '--workspace', ws]);
    cli.json(['import', datasetPath('telco-customer-churn.csv'), '--name', 'telco', ...engine, '--workspace', ws]);
  }
  a = testApp();
  b = testApp();
  await a.call('workspace/open', { path: wsA });
  await b.call('workspace/open', { path: wsB });
  for (const d of await a.call('datasets/list', {})) idsA[d.name] = d.id;
  for (const d of await b.call('datasets/list', {})) idsB[d.name] = d.id;
  expect((await b.call('datasets/list', {})).map((d) => d.engine)).toEqual(['duckdb', 'duckdb']);
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

describe('value analyses on DuckDB datasets', () => {
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
});
