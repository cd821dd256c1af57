/** Lifecycle stages: hand-made timelines for every rule, threshold edits, transitions, and CDNOW. */
import { describe, expect, it } from 'vitest';
import {
  assignStages,
  countStages,
  DEFAULT_LIFECYCLE_CONFIG,
  lifecycleConfig,
  lifecycleStage,
  monthEnds,
  STAGE_IDS,
  STAGE_LABELS,
  stageByMonth,
  type CustomerHistory,
  type StageId,
} from '../../../main/analysis/lifecycle/stages';
import { stageTransitions } from '../../../main/analysis/lifecycle/transitions';
import { STAGE_ACTIONS, stageSegmentRule } from '../../../main/analysis/lifecycle/actions';
import { summarizeTransactions } from '../../../main/analysis/value/summary';
import { bgnbdPAlive, fitBgNbd } from '../../../main/analysis/value/bgnbd';
import { cdnowMaster } from '../value/load';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2024, 5, 30, 12);
const ago = (...days: number[]) => days.map((d) => AS_OF - d * DAY);
const h = (days: number[], extra: Partial<CustomerHistory> = {}): CustomerHistory => ({ purchaseTimes: ago(...days), ...extra });
const stage = (x: CustomerHistory, cfg = {}) => lifecycleStage(x, AS_OF, cfg)?.stage ?? null;

describe('lifecycle stage rules on hand-made timelines', () => {
  it('prospect: registered, never bought; nobody before registration', () => {
    expect(lifecycleStage(h([], { registeredAt: AS_OF - 10 * DAY }), AS_OF)).toMatchObject({ stage: 'prospect', reason: 'registered_no_purchase' });
    expect(stage(h([]))).toBeNull();
    expect(stage(h([], { registeredAt: AS_OF + DAY }))).toBeNull();
    // Purchases after the as-of date are not seen.
    expect(stage({ purchaseTimes: [AS_OF + 5 * DAY], registeredAt: AS_OF - DAY })).toBe('prospect');
  });

  it('new: first purchase within newDays; a lone purchase stays new until it is overdue', () => {
    expect(lifecycleStage(h([10]), AS_OF)).toMatchObject({ stage: 'new', reason: 'first_purchase_recent' });
    expect(lifecycleStage(h([45]), AS_OF)).toMatchObject({ stage: 'new', reason: 'single_purchase_not_overdue' });
    expect(lifecycleStage(h([75]), AS_OF)).toMatchObject({ stage: 'declining', reason: 'single_purchase_overdue' });
    expect(stage(h([45]), { oneTimeOverdueDays: 40 })).toBe('declining');
    // Three purchases, the first 40 days ago: growing by default, new with a 45-day window.
    expect(stage(h([40, 20, 5]))).toBe('growing');
    expect(stage(h([40, 20, 5]), { newDays: 45 })).toBe('new');
  });

  it('growing: more purchases in the recent window than the one before', () => {
    const r = lifecycleStage(h([170, 120, 80, 50, 20, 5]), AS_OF)!;
    expect(r).toMatchObject({ stage: 'growing', reason: 'rising_frequency', recentPurchases: 4, previousPurchases: 2 });
    // Same count, spend up 50 %: growing by value; with a 60 % bar it is steady.
    const v = h([170, 110, 80, 20], { amounts: [100, 100, 150, 150] });
    expect(lifecycleStage(v, AS_OF)).toMatchObject({ stage: 'growing', reason: 'rising_value', recentValue: 300, previousValue: 200 });
    expect(stage(v, { growthRatio: 0.6 })).toBe('mature');
  });

  it('mature: a steady monthly buyer', () => {
    const r = lifecycleStage(h([175, 145, 115, 85, 55, 25]), AS_OF)!;
    expect(r).toMatchObject({ stage: 'mature', reason: 'steady', medianGapDays: 30, recentPurchases: 3, previousPurchases: 3, daysSinceLast: 25 });
  });

  it('declining: overdue against the own rhythm, falling frequency, or low P(alive)', () => {
    const weekly = h([120, 113, 106, 99, 92, 85, 78, 71, 64, 57, 50]);
    expect(lifecycleStage(weekly, AS_OF)).toMatchObject({ stage: 'declining', reason: 'overdue_vs_rhythm', medianGapDays: 7 });
    // A rhythm factor of 10 allows 70 quiet days: the same customer is steady.
    expect(stage(weekly, { overdueFactor: 10 })).toBe('mature');
    // The floor: a daily burst then 20 quiet days is not overdue (20 ≤ 30)…
    expect(stage(h([100, 99, 98, 97, 60, 59, 58, 20]))).not.toBe('declining');
    // …but with no floor, 20 > 2 × 1 day is.
    expect(stage(h([100, 99, 98, 97, 60, 59, 58, 20]), { minOverdueDays: 0 })).toBe('declining');
    const falling = h([170, 150, 130, 110, 20]);
    expect(lifecycleStage(falling, AS_OF)).toMatchObject({ stage: 'declining', reason: 'falling_frequency', recentPurchases: 1, previousPurchases: 4 });
    expect(stage(falling, { declineRatio: 0.8 })).toBe('mature');
    const monthly = [175, 145, 115, 85, 55, 25];
    expect(lifecycleStage(h(monthly, { pAlive: 0.1 }), AS_OF)).toMatchObject({ stage: 'declining', reason: 'low_p_alive' });
    expect(stage(h(monthly, { pAlive: 0.5 }))).toBe('mature');
    expect(stage(h(monthly, { pAlive: 0.5 }), { pAliveThreshold: 0.6 })).toBe('declining');
  });

  it('churned: nothing for longer than churnDays', () => {
    expect(lifecycleStage(h([300, 260, 230, 200]), AS_OF)).toMatchObject({ stage: 'churned', reason: 'inactive_over_churn_days', daysSinceLast: 200 });
    expect(stage(h([300, 260, 230, 200]), { churnDays: 250 })).toBe('declining');
  });

  it('won back: a recent purchase after a gap longer than churnDays', () => {
    expect(lifecycleStage(h([400, 380, 30]), AS_OF)).toMatchObject({ stage: 'won_back', reason: 'returned_after_churn_gap' });
    // The return was 30 days ago: outside a 20-day window it is no longer "won back".
    expect(stage(h([400, 380, 30]), { wonBackWindowDays: 20 })).not.toBe('won_back');
    // A gap of 150 days is not a churn gap by default, but is with churnDays 120.
    expect(stage(h([200, 180, 30]))).not.toBe('won_back');
    expect(stage(h([200, 180, 30]), { churnDays: 120 })).toBe('won_back');
  });

  it('counts purchases on one calendar day once and uses the UTC offset for the day', () => {
    const t = Date.UTC(2024, 5, 20, 1);
    const r = lifecycleStage({ purchaseTimes: [t, t + 3_600_000, t + 7_200_000] }, AS_OF)!;
    expect(r.purchaseDays).toBe(1);
    // 2024-06-20 01:00 UTC is 06-19 in New York (−300 min): first purchase 11 days before 06-30.
    expect(lifecycleStage({ purchaseTimes: [t] }, AS_OF, { utcOffsetMinutes: -300 })!.daysSinceFirst).toBe(11);
  });

  it('validates the config with zod and fills documented defaults', () => {
    expect(DEFAULT_LIFECYCLE_CONFIG).toMatchObject({ newDays: 30, churnDays: 180, wonBackWindowDays: 90, overdueFactor: 2, trendWindowDays: 90, pAliveThreshold: 0.3 });
    expect(() => lifecycleConfig({ churnDays: 20 })).toThrow();
    expect(() => lifecycleConfig({ overdueFactor: 0.5 })).toThrow();
    expect(() => lifecycleConfig({ bogus: 1 } as never)).toThrow();
  });

  it('labels and actions exist for every stage', () => {
    for (const s of STAGE_IDS) {
      expect(STAGE_LABELS[s].zh.length).toBeGreaterThan(0);
      expect(STAGE_ACTIONS[s].en.length).toBeGreaterThan(10);
      expect(stageSegmentRule(s)).toEqual({ kind: 'cond', column: 'lifecycle_stage', op: 'eq', value: s });
    }
    expect(STAGE_LABELS.won_back.zh).toBe('回流');
  });
});

describe('stage transitions', () => {
  it('builds the from × to matrix, row shares and Sankey links with side-unique nodes', () => {
    const t1: Record<string, StageId | null> = { a: 'new', b: 'new', c: 'new', d: 'mature', e: 'declining', f: null };
    const t2 = new Map<string, StageId | null>([
      ['a', 'growing'],
      ['b', 'declining'],
      ['c', 'growing'],
      ['d', 'mature'],
      ['e', 'churned'],
      ['f', 'new'],
      ['g', 'new'],
    ]);
    const r = stageTransitions(t1, t2);
    const i = (s: string) => r.states.indexOf(s as StageId);
    expect(r.customers).toBe(7);
    expect(r.counts[i('new')]![i('growing')]).toBe(2);
    expect(r.counts[i('new')]![i('declining')]).toBe(1);
    expect(r.counts[i('mature')]![i('mature')]).toBe(1);
    expect(r.counts[i('none')]![i('new')]).toBe(2);
    expect(r.counts.flat().reduce((a, b) => a + b, 0)).toBe(7);
    expect(r.shares[i('new')]![i('growing')]).toBeCloseTo(2 / 3, 12);
    expect(r.shares[i('churned')]!.every((x) => x === 0)).toBe(true);
    expect(r.links).toContainEqual({ source: 't1:new', target: 't2:growing', value: 2 });
    expect(r.links).toContainEqual({ source: 't1:mature', target: 't2:mature', value: 1 });
    expect(r.links.every((l) => l.source.startsWith('t1:') && l.target.startsWith('t2:'))).toBe(true);
    expect(new Set(r.nodes.map((n) => n.id)).size).toBe(r.nodes.length);
    expect(r.nodes.find((n) => n.id === 't1:new')!.value).toBe(3);
  });
});

describe('lifecycle on CDNOW (23,570 customers, first purchases in Q1 1997)', () => {
  const t = cdnowMaster();
  const by = new Map<string, { purchaseTimes: number[]; amounts: number[] }>();
  t.customer.forEach((c, i) => {
    const x = by.get(c) ?? by.set(c, { purchaseTimes: [], amounts: [] }).get(c)!;
    x.purchaseTimes.push(t.time[i]!);
    x.amounts.push(t.amount[i]!);
  });
  const ids = [...by.keys()];
  const histories = ids.map((k) => by.get(k)!);
  const CAL = Date.UTC(1997, 8, 30);
  const END = Date.UTC(1998, 5, 30);

  it('stages at 1997-09-30 separate customers by their repurchase in the next 39 weeks', () => {
    const st = assignStages(histories, CAL);
    const counts = countStages(st.map((s) => s?.stage));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(23_570);
    expect(counts.new + counts.prospect).toBe(0); // everyone joined ≥ 6 months earlier
    const rate: Partial<Record<StageId, number>> = {};
    for (const s of STAGE_IDS) {
      const idx = st.map((r, i) => (r?.stage === s ? i : -1)).filter((i) => i >= 0);
      if (!idx.length) continue;
      rate[s] = idx.filter((i) => histories[i]!.purchaseTimes.some((x) => x > CAL && x <= END)).length / idx.length;
    }
    // Measured: churned 0.163, won back 0.590, mature 0.562, declining 0.567, growing 0.813.
    expect(rate.churned!).toBeLessThan(0.2);
    expect(rate.growing!).toBeGreaterThan(0.75);
    expect(rate.growing!).toBeGreaterThan(rate.mature! + 0.15);
    expect(rate.won_back!).toBeGreaterThan(rate.churned! + 0.3);
    expect(rate.mature!).toBeGreaterThan(rate.churned! + 0.3);
  });

  it('a BG/NBD P(alive) adds low-P(alive) decliners who buy again less often', () => {
    const s = summarizeTransactions(t.customer, t.time, t.amount, { calibrationEnd: CAL, unit: 'weeks' });
    const fit = fitBgNbd(s.x, s.tx, s.T);
    const pa = bgnbdPAlive(fit, s.x, s.tx, s.T);
    const pos = new Map(s.customers.map((c, i) => [String(c), i]));
    const st = assignStages(
      ids.map((k, i) => ({ ...histories[i]!, pAlive: pa[pos.get(k)!] })),
      CAL,
    );
    const low = st.map((r, i) => (r?.reason === 'low_p_alive' ? i : -1)).filter((i) => i >= 0);
    const steady = st.map((r, i) => (r?.reason === 'steady' ? i : -1)).filter((i) => i >= 0);
    const bought = (idx: number[]) => idx.filter((i) => histories[i]!.purchaseTimes.some((x) => x > CAL && x <= END)).length / idx.length;
    // Measured: 463 customers, 44.7 % bought again vs 56.2 % of the steady ones.
    expect(low.length).toBeGreaterThan(300);
    expect(bought(low)).toBeLessThan(bought(steady) - 0.05);
  });

  it('stage counts per month end cover the cohort and drift to churn', () => {
    const t0 = performance.now();
    const m = stageByMonth(histories, Date.UTC(1997, 0, 1), END);
    const ms = performance.now() - t0;
    expect(m.months[0]).toBe('1997-01');
    expect(m.months).toHaveLength(18);
    expect(m.monthEnds[0]).toBe(Date.UTC(1997, 1, 1) - 1);
    // Everybody's first purchase is in Q1 1997: all 23,570 exist from the March month end on.
    expect(m.totals.slice(2).every((x) => x === 23_570)).toBe(true);
    for (let k = 0; k < m.months.length; k++) expect(STAGE_IDS.reduce((a, s) => a + m.counts[s][k]!, 0)).toBe(m.totals[k]);
    // January: new customers only; nobody churned before 180 days; most churned by June 1998.
    expect(m.counts.new[0]).toBe(m.totals[0]);
    expect(m.counts.churned.slice(0, 6).every((x) => x === 0)).toBe(true);
    expect(m.counts.churned[17]! / 23_570).toBeGreaterThan(0.7);
    expect(m.counts.won_back[17]!).toBeGreaterThan(500);
    expect(ms).toBeLessThan(5000); // measured ≈ 0.25 s
  });

  it('month ends honour the UTC offset', () => {
    const e = monthEnds(Date.UTC(2024, 0, 15), Date.UTC(2024, 2, 1), 480);
    expect(e).toHaveLength(3);
    expect(new Date(e[0]! + 480 * 60_000).toISOString()).toBe('2024-01-31T23:59:59.999Z');
  });
});

describe('packed histories (a million customers without an object each)', () => {
  it('property: every customer packed in flat arrays gets the stage, reason and figures of its own history', async () => {
    const fc = (await import('fast-check')).default;
    const { alignedStageTransitions } = await import('../../../main/analysis/lifecycle/transitions');
    const history = fc.record({
      // purchases in any order, several on one day, some without a finite time
      purchaseTimes: fc.array(fc.oneof(fc.integer({ min: -800, max: 30 }).map((d) => AS_OF - d * DAY - (d % 5) * 3_600_000), fc.constant(Number.NaN)), { maxLength: 12 }),
      registeredAt: fc.option(fc.integer({ min: 0, max: 900 }).map((d) => AS_OF - d * DAY), { nil: null }),
      pAlive: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      withAmounts: fc.boolean(),
    }).map(({ withAmounts, ...x }): CustomerHistory => ({ ...x, amounts: withAmounts ? x.purchaseTimes.map((_, i) => (i % 3 === 2 ? Number.NaN : i * 7.5)) : undefined }));
    fc.assert(
      fc.property(fc.array(history, { maxLength: 30 }), fc.integer({ min: -120, max: 600 }), fc.integer({ min: -300, max: 300 }), (hs, back, offset) => {
        const cfg = lifecycleConfig({ utcOffsetMinutes: offset });
        const at = AS_OF - back * DAY;
        const one = hs.map((x) => lifecycleStage(x, at, cfg));
        expect(assignStages(hs, at, cfg)).toEqual(one);
        const then = hs.map((x) => lifecycleStage(x, at - 90 * DAY, cfg)?.stage ?? null);
        const keyed = (st: (StageId | null)[]) => new Map(st.map((s, i) => [`c${i}`, s]));
        expect(alignedStageTransitions(then, one.map((r) => r?.stage ?? null))).toEqual(stageTransitions(keyed(then), keyed(one.map((r) => r?.stage ?? null))));
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('packed histories across chunks', () => {
  it('40,000 customers (≈ 200k purchase days, several chunks; a chunk fills in the middle of a customer) get the stages of their own histories', async () => {
    const { packHistories } = await import('../../../main/analysis/lifecycle/stages');
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const hs: CustomerHistory[] = Array.from({ length: 40_000 }, (_, c) => {
      const n = c % 97 === 0 ? 0 : Math.floor(rnd() * 10) + (c % 501 === 0 ? 300 : 0);
      const times = Array.from({ length: n }, () => AS_OF - Math.floor(rnd() * 900) * DAY);
      return { purchaseTimes: times, amounts: times.map(() => Math.round(rnd() * 500)), registeredAt: c % 97 === 0 ? AS_OF - 60 * DAY : null };
    });
    const packed = packHistories(hs);
    expect(packed.days.length).toBeGreaterThan(3);
    expect(new Set(packed.chunk).size).toBe(packed.days.length);
    const want = hs.map((x) => lifecycleStage(x, AS_OF - 45 * DAY));
    expect(assignStages(hs, AS_OF - 45 * DAY)).toEqual(want);
    expect(want.filter((r) => r?.stage === 'prospect').length).toBeGreaterThan(400);
  });
});

describe('packing a history', () => {
  it('property: the packed days are the distinct calendar days (in the offset) in ascending order, each with its summed amount', async () => {
    const fc = (await import('fast-check')).default;
    const { packHistories } = await import('../../../main/analysis/lifecycle/stages');
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.oneof(fc.integer({ min: -400, max: 400 }).map((h) => AS_OF + h * 3_600_000), fc.constant(Number.NaN)), a: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constant(Number.NaN)) }), { maxLength: 25 }),
        fc.boolean(),
        fc.integer({ min: -600, max: 600 }),
        (buys, withAmounts, offset) => {
          const h: CustomerHistory = { purchaseTimes: buys.map((b) => b.t), amounts: withAmounts ? buys.map((b) => b.a) : undefined };
          // reference: group the finite times by their day in the offset, as a plain object
          const byDay = new Map<number, number>();
          for (const b of buys) {
            if (!Number.isFinite(b.t)) continue;
            const d = Math.floor((b.t + offset * 60_000) / DAY);
            byDay.set(d, (byDay.get(d) ?? 0) + (withAmounts ? (Number.isFinite(b.a) ? b.a : 0) : Number.NaN));
          }
          const want = [...byDay].sort((x, y) => x[0] - y[0]);
          const p = packHistories([h], offset);
          const c = p.chunk[0]!;
          expect([...p.days[c]!.subarray(p.start[0]!, p.end[0]!)]).toEqual(want.map((w) => w[0]));
          expect([...p.values[c]!.subarray(p.start[0]!, p.end[0]!)]).toEqual(want.map((w) => w[1]));
          expect(p.hasValues[0]).toBe(withAmounts ? 1 : 0);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});
