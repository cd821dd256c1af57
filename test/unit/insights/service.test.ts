/**
 * Insights through the app on the demo workspace (its planted truth) and on CDNOW: lifecycle,
 * geography, journeys, satisfaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { linkedRows } from '../../../main/services/identity/index';
import { getDataset } from '../../../main/services/datasets';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import type { DemoTruth } from '../../../main/demo/generate';
import { assignStages, countStages, STAGE_IDS } from '../../../main/analysis/lifecycle/stages';
import { lifecycle, lifecycleSegment } from '../../../main/services/insights/lifecycle';
import { ATTRIBUTION_MODELS } from '../../../main/analysis/journey/attribution';

let app: TestApp;
let truth: DemoTruth;
let id: (name: string) => string;
const db = () => app.ctx.requireSession().db;

beforeAll(async () => {
  app = testApp();
  const { jobId } = await app.call('demo/open', { seed: 42, customers: 2000 });
  const job = await app.ctx.jobs.wait(jobId);
  truth = JSON.parse(readFileSync((job.result as { truth: string }).truth, 'utf8'));
  const ds = await app.call('datasets/list', {});
  id = (name) => ds.find((d) => d.name === name)!.id;
}, 120_000);
afterAll(() => app.close());

describe('geography on the demo', () => {
  it('the planted region ranks first by SMS response; ranks follow the interval lower bounds', async () => {
    const g = await app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'response', sends: id('短信发送'), receipts: id('短信回执'), orders: id('订单'), by: 'province', windowDays: 7, minCount: 30 });
    expect(g.source).toBe('column');
    const first = g.rows.find((r) => r.rank === 1)!;
    expect(first.name).toBe(truth.regionEffect.province);
    const ranked = g.rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.ci![0]).toBeLessThanOrEqual(ranked[i - 1]!.ci![0]);
    // Every send is placed (all demo phones are in the contacts) and sends add up.
    const sends = (db().prepare(`SELECT count(*) AS n FROM ${id('短信发送')}`).get() as { n: number }).n;
    expect(g.unknown).toBe(0);
    expect(g.rows.reduce((s, r) => s + (r.sent ?? 0), 0)).toBe(sends);
    // Its rate is well above the others pooled.
    const others = g.rows.filter((r) => r !== first && r.sent);
    const pooled = others.reduce((s, r) => s + r.responded!, 0) / others.reduce((s, r) => s + r.sent!, 0);
    expect(first.value).toBeGreaterThan(1.25 * pooled);
  });

  it('customers per province add up; a province drills down to its cities and customers', async () => {
    const g = await app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'customers', by: 'province', windowDays: 7, minCount: 30 });
    expect(g.rows).toHaveLength(34);
    // one place per person of the identity layer: the planted duplicate records (another id, the phone written differently) are one customer
    const people = (db().prepare(`SELECT count(DISTINCT customer_key) AS n FROM (${linkedRows(db(), getDataset(db(), id('CRM 联系人')))})`).get() as { n: number }).n;
    expect(people).toBe(truth.customers);
    expect(g.rows.reduce((s, r) => s + r.value, 0) + g.unknown).toBe(people);
    expect(g.rows.find((r) => r.mapName === '广东')!.rank).toBe(1); // weight 18 of 100
    expect(g.rows.filter((r) => r.value > 0).map((r) => r.tile)).not.toContain(null);
    const zj = g.rows.find((r) => r.mapName === '浙江')!;
    const c = await app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'customers', by: 'city', province: '浙江', windowDays: 7, minCount: 30 });
    expect(c.province).toMatchObject({ code: '33', name: '浙江省' });
    expect(c.rows.map((r) => r.name).sort()).toEqual(['宁波市', '杭州市', '温州市']);
    expect(c.rows.reduce((s, r) => s + r.value, 0)).toBe(zj.value);
    expect(c.customers!.total).toBe(zj.value);
    expect(c.customers!.rows.every((r) => r[3] === '浙江省')).toBe(true);
  });

  it('without a region column the place comes from the phone number, and unplaceable numbers are counted', async () => {
    const g = await app.call('insights/geo', { datasetId: id('短信发送'), measure: 'customers', by: 'province', windowDays: 7, minCount: 30 });
    expect(g.source).toBe('phone');
    const phones = (db().prepare(`SELECT count(DISTINCT 手机号码) AS n FROM ${id('短信发送')}`).get() as { n: number }).n;
    expect(g.rows.reduce((s, r) => s + r.value, 0) + g.unknown).toBe(phones);
    expect(g.rows.filter((r) => r.value > 0).length).toBeGreaterThan(20);
  });

  it('revenue joins orders by customer; bad input gets a clear message', async () => {
    const g = await app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'revenue', orders: id('订单'), by: 'province', windowDays: 7, minCount: 30 });
    // valid orders only: the refund lines (已退款) are not revenue of a place
    const total = (db().prepare(`SELECT sum(实付金额) AS s FROM ${id('订单')} WHERE 订单状态 <> '已退款'`).get() as { s: number }).s;
    expect(g.rows.reduce((s, r) => s + r.value, 0)).toBeCloseTo(total, 2);
    await expect(app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'revenue', by: 'province', windowDays: 7, minCount: 30 })).rejects.toMatchObject({ code: 'need_orders' });
    await expect(app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'customers', by: 'city', province: '火星', windowDays: 7, minCount: 30 })).rejects.toMatchObject({ code: 'unknown_province', zh: expect.stringContaining('火星') });
    await expect(app.call('insights/geo', { datasetId: id('CRM 联系人'), measure: 'response', by: 'province', windowDays: 7, minCount: 30 })).rejects.toMatchObject({ code: 'need_sends' });
  });
});

describe('journeys on the demo', () => {
  it('the planted path converts best among common paths; credits of every model add up', async () => {
    const j = await app.call('insights/journeys', { touches: id('渠道触点'), orders: id('订单'), lookbackDays: 30, collapseRepeats: false, by: 'channel', top: 20, minPaths: 20, halfLifeDays: 7 });
    const planted = truth.journeys.plantedPath.join(' > ');
    expect(j.touches).toBe(truth.journeys.touches);
    expect(j.bestPaths[0]!.key).toBe(planted);
    const p = j.bestPaths[0]!;
    // Clearly better than the runner-up: the intervals do not overlap.
    expect(p.ci[0]).toBeGreaterThan(j.bestPaths[1]!.ci[1]);
    expect(j.topPaths.map((x) => x.key)).toContain(planted);
    // Direct purchases + converting paths with touches = paid orders.
    const paid = (db().prepare(`SELECT count(*) AS n FROM ${id('订单')} WHERE 实付金额 > 0`).get() as { n: number }).n;
    expect(j.purchases).toBe(paid);
    expect(j.direct.purchases + j.attribution.attributedConversions).toBe(paid);
    for (const m of ATTRIBUTION_MODELS) {
      const sum = j.attribution.byChannel.reduce((s, c) => s + c.credits[m]!.value, 0);
      expect(sum).toBeCloseTo(j.attribution.attributedValue, 0);
      const conv = j.attribution.byCampaign.reduce((s, c) => s + c.credits[m]!.conversions, 0);
      expect(conv).toBeCloseTo(j.attribution.attributedConversions, 1);
    }
    // First touch credits 短信 (it opens the planted path), last touch credits 小程序.
    const ch = (name: string) => j.attribution.byChannel.find((c) => c.name === name)!.credits;
    expect(ch('短信').first_touch!.conversions).toBeGreaterThan(ch('短信').last_touch!.conversions);
    expect(ch('小程序').last_touch!.conversions).toBeGreaterThan(ch('小程序').first_touch!.conversions);
    expect(j.sankey.links.length).toBeGreaterThan(5);
    expect(j.timings.lastTouchToPurchase.medianDays).toBeGreaterThan(0);
    // Collapsing repeats can only shorten paths.
    const c = await app.call('insights/journeys', { touches: id('渠道触点'), orders: id('订单'), lookbackDays: 30, collapseRepeats: true, by: 'channel', top: 200, minPaths: 1, halfLifeDays: 7 });
    expect(c.topPaths.some((x) => x.steps.some((s, i) => s === x.steps[i - 1]))).toBe(false);
    await expect(app.call('insights/journeys', { touches: id('订单'), orders: id('订单'), lookbackDays: 30, collapseRepeats: false, by: 'channel', top: 20, minPaths: 20, halfLifeDays: 7 })).rejects.toMatchObject({ code: 'same_dataset' });
  });
});

describe('satisfaction on the demo', () => {
  it('NPS and CSAT with intervals, by group and month; detractors churn more, significantly', async () => {
    const s = await app.call('insights/satisfaction', { datasetId: id('满意度调查'), scale: 'nps', by: '省份', orders: id('订单'), horizonDays: 90, csatMin: 1, csatMax: 5, satisfiedFrom: 4 });
    const c = truth.survey.byCategory;
    expect(s.columns).toMatchObject({ nps: 'NPS评分', csat: 'CSAT满意度', comment: '反馈内容' });
    expect(s.nps!.n).toBe(truth.survey.answers);
    expect(s.nps!.nps).toBeCloseTo((100 * (c.promoter.n - c.detractor.n)) / truth.survey.answers, 1);
    expect(s.nps!.ci![0]).toBeLessThan(s.nps!.nps!);
    expect(s.nps!.ci![1]).toBeGreaterThan(s.nps!.nps!);
    expect(s.byMonth.reduce((x, m) => x + m.nps!.n, 0)).toBe(truth.survey.answers);
    expect(s.byGroup.reduce((x, g) => x + g.nps!.n, 0)).toBe(truth.survey.answers);
    // Later behaviour recovers the planted churn exactly (same 90-day rule, paid orders).
    const o = s.outcome!;
    expect(o.censored).toBe(0);
    for (const g of o.groups) expect({ n: g.n, churned: g.churned }).toEqual(c[g.group as keyof typeof c]);
    expect(o.comparison!.churn.rateA).toBeGreaterThan(o.comparison!.churn.rateB);
    expect(o.comparison!.churn.p).toBeLessThan(0.001);
    expect(o.comparison!.spend.diff).toBeLessThan(0);
    // Complaints come from the detractors' comments.
    expect(s.themes!.complaints.map((t) => t.term)).toContain('物流');
    expect(s.themes!.sentiment.negative).toBeGreaterThan(0);
    expect(s.themes!.byCategory.find((g) => g.group === 'detractor')!.terms.length).toBeGreaterThan(0);
    // CSAT as the main scale: satisfied vs not.
    const cs = await app.call('insights/satisfaction', { datasetId: id('满意度调查'), scale: 'csat', orders: id('订单'), horizonDays: 90, csatMin: 1, csatMax: 5, satisfiedFrom: 4 });
    expect(cs.outcome!.comparison!.a).toBe('unsatisfied');
    expect(cs.outcome!.comparison!.churn.rateA).toBeGreaterThan(cs.outcome!.comparison!.churn.rateB);
    await expect(app.call('insights/satisfaction', { datasetId: id('订单'), scale: 'nps', horizonDays: 90, csatMin: 1, csatMax: 5, satisfiedFrom: 4 })).rejects.toMatchObject({ code: 'no_score' });
  });
});

describe('lifecycle', () => {
  it('on the demo: stages add up, transitions cover both dates, and "declining" becomes a rule segment', async () => {
    const r = await app.call('insights/lifecycle', { datasetId: id('订单'), customersDataset: id('CRM 联系人'), months: 12 });
    expect(r.asOf).toBe(truth.end);
    expect(r.stages.reduce((s, x) => s + x.count, 0)).toBe(r.customers);
    expect(r.stages.find((s) => s.stage === 'prospect')!.count).toBeGreaterThan(0);
    expect(r.trend.months).toHaveLength(12);
    r.trend.months.forEach((_, k) => expect(STAGE_IDS.reduce((s, st) => s + r.trend.counts[st][k]!, 0)).toBe(r.trend.totals[k]));
    expect(r.trend.totals[11]).toBe(r.customers);
    const flows = r.transitions.counts.flat().reduce((a, b) => a + b, 0);
    const noneCol = r.transitions.counts.reduce((s, row) => s + row[7]!, 0);
    expect(flows - noneCol).toBe(r.customers); // every customer at T2 came from somewhere
    const st = await app.call('insights/lifecycle/segment', { datasetId: id('订单'), customersDataset: id('CRM 联系人'), stages: ['declining'] });
    expect(st.segmentation.kind).toBe('rule');
    expect(st.members).toBe(r.stages.find((s) => s.stage === 'declining')!.count);
    const rows = db().prepare(`SELECT customer_id, lifecycle_stage FROM ${st.stageDataset}`).all() as { customer_id: string; lifecycle_stage: string }[];
    // Planted archetypes: the lost (no organic order after day 300 of 730) are churned far more often than the loyal.
    const churnShare = (a: string) => {
      const xs = rows.filter((x) => truth.archetypes[x.customer_id] === a);
      return xs.filter((x) => x.lifecycle_stage === 'churned').length / xs.length;
    };
    expect(churnShare('lost')).toBeGreaterThan(0.4);
    expect(churnShare('lost')).toBeGreaterThan(4 * churnShare('loyal'));
    // Recompute re-runs the same rule on the stage table; the same request reuses the table.
    const again = await app.call('segments/recompute', { segmentationId: st.segmentation.id });
    expect(again.segmentation!.segments[0]!.size).toBe(st.members);
    const two = await app.call('insights/lifecycle/segment', { datasetId: id('订单'), customersDataset: id('CRM 联系人'), stages: ['churned', 'won_back'], name: '召回' });
    expect(two.stageDataset).toBe(st.stageDataset);
    expect(two.members).toBe(r.stages.filter((s) => s.stage === 'churned' || s.stage === 'won_back').reduce((a, s) => a + s.count, 0));
    await expect(app.call('insights/lifecycle', { datasetId: id('订单'), months: 12, config: { newDays: 200, churnDays: 100 } })).rejects.toMatchObject({ code: 'bad_config' });
  });

  it('read in small batches of customers (the memory bound), the figures and the stage table are the same as in one', async () => {
    const args = { datasetId: id('订单'), customersDataset: id('CRM 联系人'), months: 12 };
    const one = await lifecycle(db(), args, 1e9);
    const small = await lifecycle(db(), args, 50);
    expect(one.customers).toBeGreaterThan(1000);
    expect(one.stages.find((s) => s.stage === 'prospect')!.count).toBeGreaterThan(0);
    expect(small).toEqual(one);
    const table = async (batchDays: number, name: string) => {
      // another as-of date than the test above, so the stage table is written here, not reused
      const st = await lifecycleSegment(db(), { ...args, asOf: '2024-06-30', stages: ['declining', 'new'], name }, batchDays);
      return { members: st.members, rows: db().prepare(`SELECT customer_id, member_id, phone, lifecycle_stage, reason, days_since_last, purchase_days FROM ${st.stageDataset} ORDER BY _row`).raw(true).all() };
    };
    const inOne = await table(1e9, 'one batch');
    db().prepare("UPDATE datasets SET settings = '{}' WHERE settings LIKE '%2024-06-30%'").run(); // not reused: written again
    const inSmall = await table(50, 'small batches');
    expect(inOne.rows.length).toBeGreaterThan(1000);
    expect(inSmall).toEqual(inOne);
  });

  it('on CDNOW through the app: counts sum to the customers and equal the stages of the raw file', async () => {
    const cd = await importFile(app, datasetPath('cdnow-master.txt'), 'cdnow');
    const r = await app.call('insights/lifecycle', { datasetId: cd, asOf: '1997-09-30', compareTo: '1997-06-30', months: 9 });
    const customers = (db().prepare(`SELECT count(DISTINCT customer_id) AS n FROM ${cd}`).get() as { n: number }).n;
    expect(customers).toBe(23_570);
    expect(r.customers).toBe(customers);
    expect(r.stages.reduce((s, x) => s + x.count, 0)).toBe(customers);
    // The same stages from the raw text file read directly (id, yyyymmdd, cds, dollars).
    const by = new Map<string, { purchaseTimes: number[]; amounts: number[] }>();
    for (const line of readFileSync(datasetPath('cdnow-master.txt'), 'utf8').split('\n').slice(1)) {
      const [cid, d, , v] = line.trim().split(/\s+/);
      if (!cid || !d || !(Number(v) >= 0)) continue;
      const h = by.get(cid) ?? by.set(cid, { purchaseTimes: [], amounts: [] }).get(cid)!;
      h.purchaseTimes.push(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)));
      h.amounts.push(Number(v));
    }
    const direct = countStages(assignStages([...by.values()], Date.UTC(1997, 8, 30, 23, 59, 59)).map((x) => x?.stage));
    expect(Object.fromEntries(r.stages.map((s) => [s.stage, s.count]))).toEqual(direct);
    expect(r.stages.find((s) => s.stage === 'churned')!.count).toBeGreaterThan(r.stages.find((s) => s.stage === 'growing')!.count);
    expect(r.transitions.from).toBe('1997-06-30');
    expect(r.transitions.links.every((l) => l.source.startsWith('t1:') && l.target.startsWith('t2:'))).toBe(true);
  }, 120_000);
});
