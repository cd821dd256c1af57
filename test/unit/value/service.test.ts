/** Value & prediction through the app: imported real files → jobs → results and derived datasets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile as importFileWith, runJob, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import type { ChurnResult, ClvResult, RecommendResult, RulesResult } from '../../../shared/api/value';

let app: TestApp;
const importFile = (file: string, name: string) => importFileWith(app, file, name);
const run = <T,>(p: Promise<{ jobId: string }>) => runJob<T>(app, p);
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'value' });
});
afterAll(() => app.close());

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('value services', () => {
  it('CLV on all of CDNOW (calibration to 1997-09-30): r 0.2516, α 4.7889, a 0.7234, b 2.1611, LL −95368.44', async () => {
    const id = await importFile(datasetPath('cdnow-master.txt'), 'cdnow');
    const r = await run<ClvResult>(app.call('value/clv', { datasetId: id, calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' }));
    expect(r.customers).toBe(23_570);
    expect(rel(r.bgnbd.r, 0.2516)).toBeLessThan(0.002);
    expect(rel(r.bgnbd.alpha, 4.7889)).toBeLessThan(0.002);
    expect(rel(r.bgnbd.a, 0.7234)).toBeLessThan(0.002);
    expect(rel(r.bgnbd.b, 2.1611)).toBeLessThan(0.002);
    expect(Math.abs(r.bgnbd.logLikelihood - -95368.44)).toBeLessThan(0.5);
    expect(r.gammaGamma!.repeatBuyers).toBeGreaterThan(9000);
    expect(Math.abs(r.independence!.pearson)).toBeLessThan(0.2);
    const last = r.holdout[r.holdout.length - 1]!;
    expect(Math.abs(last.predicted - last.actual) / last.actual).toBeLessThan(0.15);
    const segs = await app.call('segments/list', {});
    expect(segs.find((s) => s.id === r.segmentationId)!.segments).toHaveLength(10);
    const top = app.ctx.requireSession().db.prepare(`SELECT avg(clv) AS top FROM ${r.datasetId} WHERE clv_decile = 10`).get() as { top: number };
    const bottom = app.ctx.requireSession().db.prepare(`SELECT avg(clv) AS b FROM ${r.datasetId} WHERE clv_decile = 1`).get() as { b: number };
    expect(top.top).toBeGreaterThan(bottom.b * 10);
  });

  it('churn model on the imported Telco file: test AUC ≥ 0.84, scores written back', async () => {
    const id = await importFile(datasetPath('telco-customer-churn.csv'), 'telco');
    const r = await run<ChurnResult>(app.call('value/churn', { datasetId: id, label: 'Churn' }));
    expect(r.n).toBe(7043);
    expect(r.positives).toBe(1869);
    expect(r.auc).toBeGreaterThanOrEqual(0.84);
    expect(r.roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(r.roc[r.roc.length - 1]).toEqual({ fpr: 1, tpr: 1 });
    const n = app.ctx.requireSession().db.prepare(`SELECT count(*) AS n, min(churn_score) AS lo, max(churn_score) AS hi FROM ${r.scoresDataset}`).get() as { n: number; lo: number; hi: number };
    expect(n).toMatchObject({ n: 7043 });
    expect(n.lo).toBeGreaterThanOrEqual(0);
    expect(n.hi).toBeLessThanOrEqual(1);
    // The tree model through the same job: as good on the test split, importances instead of signed weights.
    const g = await run<ChurnResult>(app.call('value/churn', { datasetId: id, label: 'Churn', model: 'gbm' }));
    expect(g.model).toBe('gbm');
    expect(g.auc).toBeGreaterThanOrEqual(0.83);
    expect(g.coefficients.every((c) => c.weight >= 0)).toBe(true);
    expect(g.coefficients[0]!.feature).toMatch(/Contract|tenure/);
  });

  it('basket rules, recommendations and a forecast on the online-retail sample', async () => {
    const id = await importFile(datasetPath('online-retail-sample.csv'), 'retail');
    const rules = await run<RulesResult>(app.call('value/rules', { datasetId: id, minSupport: 0.02, minConfidence: 0.3 }));
    expect(rules.itemsets).toBeGreaterThan(50);
    expect(rules.rules.length).toBeGreaterThan(0);
    expect(rules.rules[0]!.lift).toBeGreaterThan(1);
    expect(Object.keys(rules.labels).length).toBeGreaterThan(0);
    // Churn defined by a rule ("no purchase in 90 days") on the RFM table; recency leaves the features.
    const rfm = await run<{ datasetId: string }>(app.call('segments/rfm', { datasetId: id }));
    const byRule = await run<ChurnResult>(app.call('value/churn', { datasetId: rfm.datasetId, label: 'recency', labelRule: { op: 'gt', value: 90 }, features: ['frequency', 'monetary', 'tenure_days'] }));
    const lapsed = app.ctx.requireSession().db.prepare(`SELECT count(*) AS n FROM ${rfm.datasetId} WHERE recency > 90`).get() as { n: number };
    expect(byRule.positives).toBe(lapsed.n);
    expect(byRule.coefficients.map((c) => c.feature)).not.toContain('recency');
    expect(byRule.auc).toBeGreaterThan(0.6);
    const rec = await run<RecommendResult>(app.call('value/recommend', { datasetId: id }));
    expect(rec.hitRate.cf).toBeGreaterThanOrEqual(rec.hitRate.popularity);
    const f = await app.call('value/forecast', { datasetId: id, measure: 'revenue', horizon: 6 });
    expect(f.forecast).toHaveLength(6);
    expect(f.future[0]).toBe('2012-01');
    f.forecast.forEach((v, h) => expect(f.lower[h]!).toBeLessThanOrEqual(v));
  });
});
