/**
 * Uplift engine on the planted randomised campaign (main/demo/messy/uplift.ts): sure things,
 * lost causes, B-only and A-only persuadables, sleeping dogs annoyed into unsubscribing. Features
 * before the campaign, outcomes after, a 70/30 split; every claim is checked against the truth
 * (each customer's true conversion and unsubscribe probabilities per arm).
 */
import { describe, expect, it } from 'vitest';
import { generateUpliftCampaign } from '../../../main/demo/messy/uplift';
import { buildFeatures, campaignOutcomes } from '../../../main/analysis/uplift/features';
import { DEFAULT_ECONOMICS, fitUpliftModel, responseScores, type UpliftScores } from '../../../main/analysis/uplift/learners';
import { bootstrap, qiniCurve, qiniOf } from '../../../main/analysis/uplift/evaluate';
import { planCampaign } from '../../../main/analysis/uplift/plan';
import { fitSendTime } from '../../../main/analysis/uplift/sendtime';
import { createRng } from '../../../main/kernel/random';

const c = generateUpliftCampaign({ seed: 20, customers: 4000 });
const keys = c.truth.map((t) => t.memberId);
const ev = c.events;
const orders = ev.orders.map((o) => ({ key: o.customer, time: o.time, amount: o.amount }));
const replies = ev.replies.map((r) => ({ key: r.customer, time: r.time, text: r.text }));
const features = buildFeatures({ keys, profiles: ev.contacts.map((x) => ({ key: x.customer, region: x.region, registered: x.registered })), orders, sends: ev.sends.filter((s) => s.time < c.start).map((s) => ({ key: s.customer, time: s.time })), replies, asOf: c.start });
const outcome = campaignOutcomes(keys, orders, replies, c.start, c.windowDays);
const arm = c.truth.map((t) => t.arm);
const rng = createRng(5);
const train: number[] = [];
const test: number[] = [];
keys.forEach((_, i) => (rng() < 0.7 ? train : test).push(i));
const VARIANTS = ['A', 'B'] as const;
/** True incremental conversion probability of sending variant v to customer i. */
const trueUplift = (i: number, v: number) => c.truth[i]!.pConvert[VARIANTS[v]!] - c.truth[i]!.pConvert.control;
const model = fitUpliftModel({ features, arm, converted: outcome.converted, unsubscribed: outcome.unsubscribed }, train, { learner: 't_learner', base: 'logistic', control: 'control', variants: [...VARIANTS], seed: 1 });
const all = model.predict(features);
const onTest = (s: UpliftScores): UpliftScores => ({ pConvert: s.pConvert.map((a) => Float64Array.from(test, (i) => a[i]!)), upliftConvert: s.upliftConvert.map((a) => Float64Array.from(test, (i) => a[i]!)), upliftUnsubscribe: s.upliftUnsubscribe.map((a) => Float64Array.from(test, (i) => a[i]!)) });
const s = onTest(all);

describe('uplift on a planted randomised campaign', () => {
  it('outcomes measured from the events equal the planted outcomes', () => {
    expect([...outcome.converted]).toEqual(c.truth.map((t) => (t.converted ? 1 : 0)));
    expect([...outcome.unsubscribed]).toEqual(c.truth.map((t) => (t.unsubscribed ? 1 : 0)));
  });

  it('the Qini coefficient on held-out rows is positive with a bootstrap interval above 0, and beats ranking by response probability', () => {
    const rows = test.filter((i) => arm[i] === 'B' || arm[i] === 'control');
    const treated = Uint8Array.from(arm, (a) => (a === 'B' ? 1 : 0));
    const uplift = all.upliftConvert[1]!;
    const response = all.pConvert[2]!;
    const q = qiniCurve(rows.map((i) => uplift[i]!), rows.map((i) => treated[i]!), rows.map((i) => outcome.converted[i]!));
    const qResponse = qiniCurve(rows.map((i) => response[i]!), rows.map((i) => treated[i]!), rows.map((i) => outcome.converted[i]!));
    expect(q.points[0]!.incremental).toBe(0);
    expect(q.points.at(-1)!.incremental).toBeCloseTo(q.all, 9);
    expect(q.qini).toBeGreaterThan(qResponse.qini);
    const [lo] = bootstrap(rows.length, (r) => qiniOf(Array.from(r, (k) => rows[k]!), uplift, treated, outcome.converted), { replicates: 150, seed: 3 });
    expect(lo).toBeGreaterThan(0);
    // by the truth (expected incremental conversions of the top k, summed over k): oracle ≥ model > response > random
    const trueArea = (score: (i: number) => number) => {
      const order = rows.slice().sort((a, b) => score(b) - score(a));
      let cum = 0, area = 0;
      for (const i of order) area += (cum += trueUplift(i, 1));
      return area / rows.length;
    };
    const randomArea = rows.reduce((a, i) => a + trueUplift(i, 1), 0) / 2;
    const [oracle, mine, byResponse] = [trueArea((i) => trueUplift(i, 1)), trueArea((i) => uplift[i]!), trueArea((i) => response[i]!)];
    expect(oracle).toBeGreaterThanOrEqual(mine);
    expect(mine).toBeGreaterThan(byResponse);
    expect(mine).toBeGreaterThan(randomArea);
  });

  it('the plan beats sending B to everyone and targeting by response probability, by the truth', () => {
    const plan = planCampaign(s, DEFAULT_ECONOMICS, { controlShare: 0, seed: 1 });
    const planTrue = plan.rows.reduce((a, r) => a + trueUplift(test[r.index]!, r.variant), 0);
    const planUnsub = plan.rows.reduce((a, r) => a + c.truth[test[r.index]!]!.pUnsubscribe[VARIANTS[r.variant]!], 0);
    const everyoneTrue = test.reduce((a, i) => a + trueUplift(i, 1), 0);
    const everyoneUnsub = test.reduce((a, i) => a + c.truth[i]!.pUnsubscribe.B, 0);
    expect(plan.rows.length).toBeLessThan(test.length);
    expect(planTrue).toBeGreaterThan(everyoneTrue);
    expect(planUnsub).toBeLessThan(everyoneUnsub / 2);
    // the same list size chosen by response probability (best variant by response)
    const resp = responseScores(s);
    const byResponse = test.map((_, j) => j).sort((a, b) => resp.score[b]! - resp.score[a]!).slice(0, plan.rows.length);
    const responseTrue = byResponse.reduce((a, j) => a + trueUplift(test[j]!, resp.best[j]!), 0);
    expect(planTrue).toBeGreaterThan(responseTrue);
    // the expected result's interval holds the true incremental conversions
    expect(plan.expected.interval[0]).toBeLessThanOrEqual(planTrue);
    expect(plan.expected.interval[1]).toBeGreaterThanOrEqual(planTrue);
  });

  it('a budget caps the list, and the control share is held out at random', () => {
    const plan = planCampaign(s, { ...DEFAULT_ECONOMICS, costPerSend: 0.05 }, { budget: 10, controlShare: 0.2, seed: 2 });
    expect(plan.send).toBeLessThanOrEqual(200);
    expect(plan.control).toBe(Math.round(plan.rows.length * 0.2));
    expect(plan.expected.cost).toBeCloseTo(plan.send * 0.05, 9);
    // held-out rows are spread over the ranking, not the tail
    const ranks = plan.rows.map((r, k) => (r.control ? k : -1)).filter((k) => k >= 0);
    expect(ranks.some((k) => k < plan.rows.length / 2) && ranks.some((k) => k >= plan.rows.length / 2)).toBe(true);
  });

  it('per-customer send time recovers the planted active hour better than the base pattern', () => {
    const region = new Map(c.truth.map((t) => [t.memberId, t.region]));
    const st = fitSendTime([...ev.replies, ...ev.orders].filter((e) => e.time < c.start).map((e) => ({ key: e.customer, time: e.time })), (k) => region.get(k) ?? '北京');
    const baseHour = [...st.base].indexOf(Math.max(...st.base));
    const withHistory = c.truth.filter((t) => st.events(t.memberId) >= 3);
    expect(withHistory.length).toBeGreaterThan(1000);
    const hit = withHistory.filter((t) => st.bestHour(t.memberId) === t.activeHour).length / withHistory.length;
    const hitBase = withHistory.filter((t) => baseHour === t.activeHour).length / withHistory.length;
    expect(hit).toBeGreaterThan(hitBase + 0.3);
    // no history: the segment's (here 北京's) hour
    expect(st.events('nobody')).toBe(0);
    expect(st.bestHour('nobody')).toBe([...st.segments.get('北京')!].indexOf(Math.max(...st.segments.get('北京')!)));
  });
});
