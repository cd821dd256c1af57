/**
 * Does satisfaction predict later behaviour? For each survey answer, the customer's purchases in
 * the `horizonDays` (default 90) AFTER the answer: churn = no purchase in that horizon, spend = sum
 * of amounts in it. Answers whose horizon runs past `observationEnd` (default: the last purchase
 * time seen) are left out as censored — counting them as churn would blame recent answers for
 * missing follow-up. Groups are NPS categories (or any labels, e.g. CSAT satisfied / not).
 *
 * Tests of difference between two groups (default detractors vs promoters): churn rates by the
 * pooled two-proportion z-test (with Newcombe's interval, from sms/abtest), spend by Welch's t-test
 * (from segment/compare). It is an association, not an effect: unhappy customers may differ in
 * other ways, and the report should say so.
 */
import { twoProportionZTest, wilson } from '../../kernel/intervals';
import { welchTest } from '../../kernel/intervals';
import { median } from '../../kernel/stats';
import { npsCategory, type NpsCategory } from './scores';

export interface SurveyAnswer {
  customer: string;
  time: number;
  group: string;
}
export interface PurchaseRecord {
  customer: string;
  time: number;
  amount?: number | null;
}

export interface OutcomeGroup {
  group: string;
  n: number;
  churned: number;
  churnRate: number;
  churnCi: [number, number];
  meanSpend: number;
  medianSpend: number;
  spend: number[];
}

export interface OutcomeResult {
  horizonDays: number;
  observationEnd: number;
  groups: OutcomeGroup[];
  censored: number;
}

const DAY = 86_400_000;

export function laterBehaviour(answers: readonly SurveyAnswer[], purchases: readonly PurchaseRecord[], options: { horizonDays?: number; observationEnd?: number; confidence?: number } = {}): OutcomeResult {
  const h = (options.horizonDays ?? 90) * DAY;
  const byCustomer = new Map<string, { time: number; amount: number }[]>();
  let lastSeen = -Infinity;
  for (const p of purchases) {
    if (!Number.isFinite(p.time)) continue;
    lastSeen = Math.max(lastSeen, p.time);
    const a = Number(p.amount);
    (byCustomer.get(p.customer) ?? byCustomer.set(p.customer, []).get(p.customer)!).push({ time: p.time, amount: Number.isFinite(a) ? a : 0 });
  }
  for (const l of byCustomer.values()) l.sort((x, y) => x.time - y.time);
  const end = options.observationEnd ?? lastSeen;
  const acc = new Map<string, { n: number; churned: number; spend: number[] }>();
  let censored = 0;
  for (const a of answers) {
    if (!Number.isFinite(a.time)) continue;
    if (a.time + h > end) {
      censored++;
      continue;
    }
    const list = byCustomer.get(a.customer) ?? [];
    let spend = 0;
    let bought = false;
    for (const p of list) {
      if (p.time <= a.time) continue;
      if (p.time > a.time + h) break;
      bought = true;
      spend += p.amount;
    }
    const g = acc.get(a.group) ?? acc.set(a.group, { n: 0, churned: 0, spend: [] }).get(a.group)!;
    g.n++;
    if (!bought) g.churned++;
    g.spend.push(spend);
  }
  const groups = [...acc].map(([group, g]) => ({
    group,
    n: g.n,
    churned: g.churned,
    churnRate: g.churned / g.n,
    churnCi: wilson(g.churned, g.n, options.confidence ?? 0.95),
    meanSpend: g.spend.reduce((x, y) => x + y, 0) / g.n,
    medianSpend: median(g.spend),
    spend: g.spend,
  }));
  return { horizonDays: h / DAY, observationEnd: end, groups, censored };
}

/** The same with NPS answers (0–10 scores); answers that are not valid scores are dropped. */
export function laterBehaviourByNps(
  answers: readonly { customer: string; time: number; score: number | null | undefined }[],
  purchases: readonly PurchaseRecord[],
  options: { horizonDays?: number; observationEnd?: number; confidence?: number } = {},
): OutcomeResult {
  const mapped: SurveyAnswer[] = [];
  for (const a of answers) {
    const c = npsCategory(a.score);
    if (c) mapped.push({ customer: a.customer, time: a.time, group: c });
  }
  const r = laterBehaviour(mapped, purchases, options);
  const order: NpsCategory[] = ['promoter', 'passive', 'detractor'];
  r.groups.sort((x, y) => order.indexOf(x.group as NpsCategory) - order.indexOf(y.group as NpsCategory));
  return r;
}

/** Churn-rate and spend differences between two groups of an outcome result (a − b). */
export function compareOutcome(r: OutcomeResult, a = 'detractor', b = 'promoter', confidence = 0.95) {
  const ga = r.groups.find((g) => g.group === a);
  const gb = r.groups.find((g) => g.group === b);
  if (!ga || !gb) throw new Error(`both groups '${a}' and '${b}' need answers`);
  const churn = twoProportionZTest(ga.churned, ga.n, gb.churned, gb.n, confidence);
  const spend = welchTest(ga.spend, gb.spend);
  return { a, b, churn: { rateA: churn.p1, rateB: churn.p2, diff: churn.diff, z: churn.z, p: churn.p, ci: churn.ci }, spend: { meanA: ga.meanSpend, meanB: gb.meanSpend, diff: spend.diff, t: spend.t, df: spend.df, p: spend.p } };
}
