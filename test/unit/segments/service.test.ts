/** Segments and dashboard through the services (jobs, derived datasets, saved membership). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importFile as importFileWith, runJob, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import type { KMeansCurve, SegmentationInfo } from '../../../shared/api/segments';

let app: TestApp;
let retail: string;

const importFile = (file: string, name: string) => importFileWith(app, file, name);
const run = <T,>(p: Promise<{ jobId: string }>) => runJob<T>(app, p);

beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'segments' });
  retail = await importFile(datasetPath('online-retail-sample.csv'), 'retail');
});
afterAll(() => app.close());

describe('segmentation services', () => {
  it('RFM → k-means on the retail sample reproduces the reference through the whole app path', async () => {
    const rfm = await run<{ segmentation: SegmentationInfo; datasetId: string; customers: number }>(app.call('segments/rfm', { datasetId: retail }));
    expect(rfm.customers).toBe(442);
    expect(rfm.segmentation.asOf).toBe('2011-12-09');
    expect(rfm.segmentation.segments.reduce((s, x) => s + x.size, 0)).toBe(442);
    const km = await run<{ inertia: number; silhouette: number; sizes: number[]; segmentation: SegmentationInfo }>(app.call('segments/kmeans', { datasetId: rfm.datasetId, features: ['recency', 'frequency', 'monetary'], k: 4 }));
    expect(km.inertia).toBeLessThanOrEqual(412.49 * 1.001);
    expect(Math.abs(km.silhouette - 0.3306)).toBeLessThan(0.002);
    const curve = await run<KMeansCurve>(app.call('segments/kmeans', { datasetId: rfm.datasetId, features: ['recency', 'frequency', 'monetary'], kRange: [2, 5] }));
    expect(curve.curve.map((p) => p.k)).toEqual([2, 3, 4, 5]);
    expect(curve.curve[2]!.inertia).toBeCloseTo(km.inertia, 6);

    const ex = await app.call('segments/explore', { segmentationId: km.segmentation.id });
    expect(ex.features).toEqual(['recency', 'frequency', 'monetary']);
    expect(ex.profiles.map((p) => p.size)).toEqual(km.sizes);
    expect(ex.zscores).toHaveLength(4);
    const cmp = await app.call('segments/compare', { segmentationId: km.segmentation.id, a: 'cluster_1', b: 'cluster_2' });
    expect(cmp.features.some((f) => f.p < 0.001)).toBe(true);

    const champs = await app.call('segments/rule-count', { datasetId: rfm.datasetId, rule: { kind: 'group', op: 'and', children: [{ kind: 'cond', column: 'segment', op: 'eq', value: 'champions' }] } });
    expect(champs.count).toBe(rfm.segmentation.segments.find((s) => s.key === 'champions')!.size);
    const rule = { kind: 'group' as const, op: 'or' as const, children: [{ kind: 'cond' as const, column: 'monetary', op: 'gte' as const, value: 5000 }, { kind: 'cond' as const, column: 'frequency', op: 'between' as const, value: 10, value2: 1000 }] };
    const counted = await app.call('segments/rule-count', { datasetId: rfm.datasetId, rule });
    const saved = await app.call('segments/rule-save', { datasetId: rfm.datasetId, name: '大客户', rule });
    expect(saved.segments[0]!.size).toBe(counted.count);
    await expect(app.call('segments/rule-count', { datasetId: rfm.datasetId, rule: { kind: 'cond', column: 'nope; DROP TABLE datasets', op: 'eq', value: 1 } })).rejects.toMatchObject({ code: 'unknown_column' });
    const tiers = await app.call('segments/tiers', { datasetId: rfm.datasetId, measure: 'monetary' });
    expect(tiers.segments.map((s) => s.size)).toEqual([89, 132, 221]);
    const list = await app.call('segments/list', {});
    expect(list.map((s) => s.kind).sort()).toEqual(['kmeans', 'rfm', 'rule', 'tier']);
  });

  it('segment migration between two as-of dates', async () => {
    const m = await run<{ links: { from: string; to: string; count: number }[] }>(app.call('segments/migration', { datasetId: retail, from: '2011-06-30', to: '2011-12-09' }));
    expect(m.links.reduce((s, l) => s + l.count, 0)).toBeGreaterThanOrEqual(442);
    expect(m.links.some((l) => l.from === 'champions' && l.to === 'at_risk')).toBe(true);
  });

  it('dashboard KPIs, trends and breakdowns in SQL', async () => {
    const d = await app.call('dashboard/summary', { datasetId: retail });
    expect(d.period).toEqual({ from: '2010-12-10', to: '2011-12-09' });
    expect(d.previous).toEqual({ from: '2009-12-10', to: '2010-12-09' });
    expect(d.monthly.length).toBeGreaterThanOrEqual(12);
    const byMonthRevenue = d.monthly.reduce((s, m) => s + m.revenue, 0);
    expect(byMonthRevenue).toBeCloseTo(d.kpis.revenue, 0);
    expect(d.byRegion![0]!.key).toBe('United Kingdom');
    expect(d.heatmap.reduce((s, c) => s + c.orders, 0)).toBeGreaterThan(0);
    expect(d.kpis.repeatRate).toBeGreaterThan(0);
    expect(d.kpis.repeatRate).toBeLessThanOrEqual(1);
  });
});

describe('the demo data', () => {
  it("RFM recovers the planted customer types", async () => {
    const demo = testApp();
    const { jobId } = await demo.call('demo/open', { seed: 42, customers: 1500 });
    const job = await demo.ctx.jobs.wait(jobId);
    const truth = JSON.parse(readFileSync((job.result as { truth: string }).truth, 'utf8')) as { archetypes: Record<string, string> };
    const orders = (await demo.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const r = await demo.ctx.jobs.wait((await demo.call('segments/rfm', { datasetId: orders.id })).jobId);
    const { datasetId } = r.result as { datasetId: string };
    const rows = demo.ctx.requireSession().db.prepare(`SELECT * FROM ${datasetId}`).all() as { customer_id: string; segment: string; [k: string]: unknown }[];
    // The channel mix of each customer comes along as ready k-means features.
    const shares = Object.keys(rows[0]!).filter((k) => k.startsWith('channel_share_'));
    expect(shares.length).toBe(4);
    for (const r of rows.slice(0, 50)) expect(shares.reduce((s, k) => s + (r[k] as number), 0)).toBeCloseTo(1, 2);
    const share = (type: string, segs: string[]) => {
      const of = rows.filter((x) => truth.archetypes[x.customer_id] === type);
      return of.filter((x) => segs.includes(x.segment)).length / of.length;
    };
    expect(share('vip', ['champions', 'loyal'])).toBeGreaterThan(0.8);
    expect(share('lost', ['lost', 'hibernating', 'at_risk', 'cant_lose', 'about_to_sleep'])).toBeGreaterThan(0.8);
    expect(share('new', ['new', 'promising', 'potential_loyalist', 'champions', 'need_attention'])).toBeGreaterThan(0.7);
    await demo.close();
  });
});
