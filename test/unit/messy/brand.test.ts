/**
 * Acceptance on the messy-brand generator (main/demo/messy): `segmint demo messy --workspace`
 * writes the export (CRM and sends in GBK, duplicates under a second member id, phones written
 * nine ways and a few as Excel's 1.38E+10, families sharing a phone, same-name strangers, orders
 * keyed by id / duplicate id / phone only, every order and SMS status, labelled replies) and
 * imports it through the normal import path. Every analysis must recover the planted truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runJob, tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { ari } from '../../helpers/ari';
import { generateEvents, truthOf, type MessyTruth } from '../../../main/demo/messy/brand';
import { detectUnsubscribe } from '../../../main/analysis/sms/unsubscribe';
import { pairwiseScores } from '../../../main/analysis/dedupe/index';
import { allClusters, mergedPairs } from '../../helpers/dedupe';
import { normalCdf } from '../../../main/kernel/stats';
import type { DedupeRun } from '../../../shared/api/customers';

const SEED = 7;
const PEOPLE = 2000;
let t: ReturnType<typeof tempDir>;
let app: TestApp;
let truth: MessyTruth;
const ids: Record<string, string> = {};
const DAY = 86_400_000;
/** MESSY_FIGURES=1 prints the measured figures (for the README and the closing notes). */
const figure = (what: string, v: unknown) => process.env.MESSY_FIGURES && console.log('figure', what, JSON.stringify(v));

beforeAll(async () => {
  t = tempDir();
  const cli = segmintIn(() => t.dir);
  const ws = path.join(t.dir, 'brand.segmint');
  const out = cli.json(['demo', 'messy', '--out', path.join(t.dir, 'export'), '--people', String(PEOPLE), '--seed', String(SEED), '--workspace', ws]);
  truth = JSON.parse(readFileSync(out.truth, 'utf8'));
  // what detection made of the files, as a user would see it: GBK read as GB18030, nothing quarantined
  expect(out.imported.map((i: { encoding: string }) => i.encoding)).toEqual(['gb18030', 'utf-8-bom', 'gb18030', 'utf-8']);
  expect(out.imported.every((i: { rowsQuarantined: number }) => i.rowsQuarantined === 0)).toBe(true);
  app = testApp();
  await app.call('workspace/open', { path: ws });
  for (const d of await app.call('datasets/list', {})) ids[d.name] = d.id;
}, 180_000);
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

describe('the messy brand through the normal import and identity path', () => {
  it('campaigns: sent, delivered, conversions, revenue, refunds, unsubscribes and cost equal the truth; A/B p and the best cell equal a direct computation', async () => {
    const r = await app.call('sms/report', { sends: ids['短信发送']!, orders: ids['订单']!, replies: ids['短信回复']!, windowDays: 7, minCount: 30 });
    expect(r.campaigns.map((c) => c.campaign).sort()).toEqual(truth.campaigns.map((c) => c.campaign).sort());
    for (const c of r.campaigns) {
      const tc = truth.campaigns.find((x) => x.campaign === c.campaign)!;
      expect({ sent: c.sent, delivered: c.delivered, converted: c.converted, revenue: c.revenue, refunded: c.refunded, refundedRevenue: c.refundedRevenue, unsubscribed: c.unsubscribed, cost: c.cost }, c.campaign)
        .toEqual({ sent: tc.sent, delivered: tc.delivered, converted: tc.converted, revenue: tc.revenue, refunded: tc.refunded, refundedRevenue: tc.refundedRevenue, unsubscribed: tc.unsubscribed, cost: tc.cost });
      for (const v of c.variants) expect({ sent: v.sent, delivered: v.delivered, converted: v.converted }, `${c.campaign} ${v.variant}`).toEqual(tc.variants[v.variant as 'A' | 'B']);
      // pooled two-proportion z on delivered denominators, from the planted counts
      const [a, b] = [tc.variants.A, tc.variants.B];
      const pool = (a.converted + b.converted) / (a.delivered + b.delivered);
      const z = (b.converted / b.delivered - a.converted / a.delivered) / Math.sqrt(pool * (1 - pool) * (1 / a.delivered + 1 / b.delivered));
      const test = c.abTest!.tests[0]!;
      expect(test.variant).toBe('B');
      expect(test.z).toBeCloseTo(z, 9);
      expect(test.p).toBeCloseTo(2 * (1 - normalCdf(Math.abs(z))), 9);
    }
    expect({ weekday: r.bestCell!.weekday, hour: r.bestCell!.hour, n: r.bestCell!.n, x: r.bestCell!.x }).toEqual(truth.bestCell);
    expect({ weekday: r.bestCell!.weekday, hour: r.bestCell!.hour }).toEqual(truth.plantedBestCell);
  });

  it('RFM per customer equals the planted R/F/M for every buyer; k-means k=6 recovers the segments', async () => {
    const rfm = await runJob<{ datasetId: string; customers: number }>(app, app.call('segments/rfm', { datasetId: ids['订单']!, asOf: truth.asOf }));
    const rows = app.ctx.requireSession().db.prepare(`SELECT member_id, phone, recency, frequency, monetary FROM ${rfm.datasetId}`).all() as { member_id: string; phone: string; recency: number; frequency: number; monetary: number }[];
    const byId = new Map<string, MessyTruth['persons'][number]>();
    for (const p of truth.persons) {
      byId.set(p.memberId, p);
      if (p.dupId) byId.set(p.dupId, p);
    }
    const buyers = truth.persons.filter((p) => p.frequency > 0);
    expect(rows).toHaveLength(buyers.length);
    const equal = rows.filter((row) => {
      const p = byId.get(row.member_id);
      return p && row.recency === p.recency && row.frequency === p.frequency && Math.abs(row.monetary - p.monetary) < 0.005 && row.phone === p.phone;
    }).length;
    figure('rfm', { equal, buyers: buyers.length });
    expect(equal / buyers.length).toBeGreaterThanOrEqual(0.99);
    const k = await runJob<{ datasetId: string }>(app, app.call('segments/kmeans', { datasetId: rfm.datasetId, features: ['recency', 'frequency', 'monetary'], k: 6, seed: 1 }));
    const ks = app.ctx.requireSession().db.prepare(`SELECT member_id, cluster FROM ${k.datasetId}`).all() as { member_id: string; cluster: string }[];
    const score = ari(ks.map((x) => String(byId.get(x.member_id)!.segment)), ks.map((x) => x.cluster));
    figure('kmeans ARI', score);
    expect(score).toBeGreaterThanOrEqual(0.9);
  });

  it('lifecycle and geography count every valid order line of a linked customer', async () => {
    const lc = await app.call('insights/lifecycle', { datasetId: ids['订单']!, asOf: truth.asOf, months: 6 });
    expect(lc.customers).toBe(truth.persons.filter((p) => p.frequency > 0).length);
    expect(lc.skippedRows).toBe(truth.orderLines - truth.validLines);
    const geo = await app.call('insights/geo', { datasetId: ids['CRM会员']!, measure: 'revenue', orders: ids['订单']!, by: 'province', windowDays: 7, minCount: 1 });
    const byProvince = new Map<string, number>();
    for (const p of truth.persons) byProvince.set(p.province, (byProvince.get(p.province) ?? 0) + p.monetary);
    expect(geo.unknown).toBe(0);
    for (const [prov, money] of byProvince) expect(geo.rows.find((x) => x.name === prov)!.value, prov).toBeCloseTo(money, 2);
  });

  it('dedupe: F1 ≥ 0.97 on the planted duplicates, ≤ 1 % of same-name strangers and no family merged', async () => {
    const run = await runJob<DedupeRun>(app, app.call('customers/dedupe', { datasetId: ids['CRM会员']!, threshold: 0.5 }));
    const { pairs, merged } = mergedPairs(await allClusters(app, run.runId));
    const s = pairwiseScores(pairs, truth.duplicatePairs);
    figure('dedupe', { ...s, strangers: truth.strangerPairs.length, strangersMerged: truth.strangerPairs.filter(([a, b]) => merged(a, b)).length, families: truth.familyPairs.length });
    expect(truth.duplicatePairs.length).toBeGreaterThan(100);
    expect(truth.strangerPairs.length).toBeGreaterThan(20);
    expect(truth.familyPairs.length).toBeGreaterThan(50);
    expect(truth.familyPairs.filter(([a, b]) => merged(a, b))).toEqual([]);
    expect(truth.strangerPairs.filter(([a, b]) => merged(a, b)).length / truth.strangerPairs.length).toBeLessThanOrEqual(0.01);
    expect(s.f1, `precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}`).toBeGreaterThanOrEqual(0.97);
  });

  it('unsubscribes: F1 ≥ 0.98 on the labelled replies, no trap counted', () => {
    let tp = 0, fp = 0, fn = 0;
    for (const r of truth.replies) {
      const hit = detectUnsubscribe(r.text).matched;
      if (hit && r.unsubscribe) tp++;
      else if (hit) fp++;
      else if (r.unsubscribe) fn++;
    }
    figure('unsubscribe', { tp, fp, fn, replies: truth.replies.length, traps: truth.replies.filter((r) => r.trap).length });
    expect(truth.replies.filter((r) => r.trap).length).toBeGreaterThan(30);
    expect(fp).toBe(0);
    expect((2 * tp) / (2 * tp + fp + fn)).toBeGreaterThanOrEqual(0.98);
  });

  it('remapping 已发货 to cancelled changes RFM to the truth under that definition, audited', async () => {
    await app.call('definitions/set', { datasetId: ids['订单']!, set: { 已发货: 'cancelled' } });
    try {
      const strict = truthOf(generateEvents({ seed: SEED, people: PEOPLE }), SEED, ['已完成']);
      const r = await runJob<{ datasetId: string; rowsUsed: number; customers: number }>(app, app.call('segments/rfm', { datasetId: ids['订单']!, asOf: truth.asOf, name: 'strict' }));
      expect(r.rowsUsed).toBe(strict.validLines);
      expect(r.customers).toBe(strict.persons.filter((p) => p.frequency > 0).length);
      const total = (app.ctx.requireSession().db.prepare(`SELECT sum(monetary) AS m FROM ${r.datasetId}`).get() as { m: number }).m;
      expect(total).toBeCloseTo(strict.persons.reduce((s, p) => s + p.monetary, 0), 2);
      const audit = await app.call('audit/list', { limit: 5, offset: 0, action: 'definitions.changed' });
      expect(audit.entries[0]!.details).toMatchObject({ datasetId: ids['订单'], set: { 已发货: 'cancelled' } });
    } finally {
      await app.call('definitions/set', { datasetId: ids['订单']!, set: { 已发货: 'auto' } });
    }
  });

  it('the generator is pure: the same seed gives the same truth', () => {
    const again = truthOf(generateEvents({ seed: SEED, people: PEOPLE }), SEED);
    expect(again.campaigns).toEqual(truth.campaigns);
    expect(again.validLines).toBe(truth.validLines);
    expect(Math.abs(again.persons[5]!.recency! - truth.persons[5]!.recency!) * DAY).toBe(0);
  });
});
