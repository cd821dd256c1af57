/** Satisfaction: CSAT + Wilson, NPS + trinomial interval (checked by hand), groups, months, outcome link. */
import { describe, expect, it } from 'vitest';
import { byMonth, csat, csatByGroup, npsByGroup, npsByMonth, npsCategory, nps, npsDifference, npsFromCounts } from '../../../main/analysis/satisfaction/scores';
import { compareOutcome, laterBehaviour, laterBehaviourByNps } from '../../../main/analysis/satisfaction/outcome';
import { createRng, randInt } from '../../../main/kernel/random';

const rep = (v: number, n: number) => new Array<number>(n).fill(v);
// 50 promoters, 30 passives, 20 detractors.
const SCORES = [...rep(10, 20), ...rep(9, 30), ...rep(8, 15), ...rep(7, 15), ...rep(6, 10), ...rep(3, 6), ...rep(0, 4)];

describe('CSAT', () => {
  it('share of 4–5 with the Wilson interval (hand: 12/20 → 0.3866–0.7812)', () => {
    const r = csat([...rep(5, 7), ...rep(4, 5), ...rep(3, 4), ...rep(2, 2), ...rep(1, 2)]);
    expect(r).toMatchObject({ n: 20, satisfied: 12, csat: 0.6, invalid: 0 });
    expect(r.ci[0]).toBeCloseTo(0.386582, 5);
    expect(r.ci[1]).toBeCloseTo(0.781193, 5);
    expect(r.mean).toBeCloseTo((35 + 20 + 12 + 4 + 2) / 20, 12);
  });

  it('configurable scale and threshold; invalid answers are counted, not scored', () => {
    const r = csat([7, 6, 5, 1, 0, 8, null, Number.NaN], { min: 1, max: 7, satisfiedFrom: 6 });
    expect(r).toMatchObject({ n: 4, satisfied: 2, invalid: 4 });
    expect(csat([]).csat).toBeNaN();
    expect(() => csat([1], { satisfiedFrom: 9 })).toThrow();
  });
});

describe('NPS', () => {
  it('categories', () => {
    expect([10, 9, 8, 7, 6, 0, 11, -1, null].map(npsCategory)).toEqual(['promoter', 'promoter', 'passive', 'passive', 'detractor', 'detractor', null, null, null]);
  });

  it('score and normal interval match the hand calculation (50/30/20 → 30 ± 15.31)', () => {
    const r = nps(SCORES);
    expect(r).toMatchObject({ n: 100, promoters: 50, passives: 30, detractors: 20, method: 'normal' });
    expect(r.nps).toBeCloseTo(30, 12);
    // Var(p_P − p_D) = (0.5 + 0.2 − 0.3²) / 100 = 0.0061 → SE = 7.8102 points.
    expect(r.se).toBeCloseTo(7.810250, 5);
    expect(r.ci[0]).toBeCloseTo(14.692192, 4);
    expect(r.ci[1]).toBeCloseTo(45.307808, 4);
    expect(npsFromCounts(50, 30, 20).ci).toEqual(r.ci);
    expect(npsFromCounts(5, 0, 0).ci[1]).toBeLessThanOrEqual(100);
  });

  it('seeded bootstrap interval is reproducible and close to the normal one at n = 100', () => {
    const a = nps(SCORES, { method: 'bootstrap', seed: 7, resamples: 4000 });
    const b = nps(SCORES, { method: 'bootstrap', seed: 7, resamples: 4000 });
    expect(a.ci).toEqual(b.ci);
    expect(a.ci[0]).toBeGreaterThan(14.69 - 3);
    expect(a.ci[0]).toBeLessThan(14.69 + 3);
    expect(a.ci[1]).toBeGreaterThan(45.31 - 3);
    expect(a.ci[1]).toBeLessThan(45.31 + 3);
  });

  it('the normal interval covers the true NPS about 95 % of the time (seeded simulation)', () => {
    const rng = createRng(3);
    const truth = 100 * (0.45 - 0.25);
    let cover = 0;
    const R = 2000;
    for (let k = 0; k < R; k++) {
      const xs: number[] = [];
      for (let i = 0; i < 200; i++) {
        const u = rng();
        xs.push(u < 0.45 ? 10 : u < 0.7 ? 5 : 8);
      }
      const r = nps(xs);
      if (r.ci[0] <= truth && truth <= r.ci[1]) cover++;
    }
    expect(cover / R).toBeGreaterThan(0.93);
    expect(cover / R).toBeLessThan(0.97);
  });

  it('difference of two NPS (hand: 30 vs −30 → SE 11.045, z 5.43)', () => {
    const a = npsFromCounts(50, 30, 20);
    const b = npsFromCounts(20, 30, 50);
    const d = npsDifference(a, b);
    expect(d.diff).toBeCloseTo(60, 12);
    expect(d.se).toBeCloseTo(11.045361, 5);
    expect(d.z).toBeCloseTo(5.432145, 5);
    expect(d.p).toBeLessThan(1e-6);
  });

  it('by group and by month', () => {
    const groups = SCORES.map((_, i) => (i % 2 ? '华东' : '华南'));
    const g = npsByGroup(SCORES, groups);
    expect(g.map((x) => x.group)).toEqual(['华南', '华东']);
    expect(g.reduce((a, x) => a + x.result.n, 0)).toBe(100);
    expect(csatByGroup([5, 1, 4, null], ['a', 'b', 'a', ''])).toHaveLength(3);
    const times = SCORES.map((_, i) => Date.UTC(2024, i % 3, 15));
    const m = npsByMonth(SCORES, times);
    expect(m.map((x) => x.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(m.reduce((a, x) => a + x.result.n, 0)).toBe(100);
    // 2024-01-31 20:00 UTC is February 1st in China.
    expect(byMonth([9], [Date.UTC(2024, 0, 31, 20)], (xs) => xs.length, 480)[0]!.month).toBe('2024-02');
  });
});

describe('satisfaction → later behaviour', () => {
  const DAY = 86_400_000;
  const T0 = Date.UTC(2024, 0, 1);

  it('churn and spend in the 90 days after the answer, censoring answers without follow-up', () => {
    const answers = [
      { customer: 'p1', time: T0, score: 10 },
      { customer: 'p2', time: T0, score: 9 },
      { customer: 'd1', time: T0, score: 2 },
      { customer: 'd2', time: T0, score: 5 },
      { customer: 'late', time: T0 + 200 * DAY, score: 10 },
    ];
    const purchases = [
      { customer: 'p1', time: T0 + 10 * DAY, amount: 50 },
      { customer: 'p1', time: T0 + 100 * DAY, amount: 999 }, // after the horizon
      { customer: 'p2', time: T0 + 30 * DAY, amount: 20 },
      { customer: 'd1', time: T0 - DAY, amount: 80 }, // before the answer
      { customer: 'd2', time: T0 + 60 * DAY, amount: 10 },
      { customer: 'x', time: T0 + 250 * DAY, amount: 1 },
    ];
    const r = laterBehaviourByNps(answers, purchases);
    expect(r.censored).toBe(1);
    const g = Object.fromEntries(r.groups.map((x) => [x.group, x]));
    expect(g.promoter).toMatchObject({ n: 2, churned: 0, meanSpend: 35 });
    expect(g.detractor).toMatchObject({ n: 2, churned: 1, churnRate: 0.5, meanSpend: 5 });
    expect(r.groups.map((x) => x.group)).toEqual(['promoter', 'detractor']);
  });

  it('finds a real difference and no false one (seeded simulation, 3,000 answers)', () => {
    const sim = (effect: boolean, seed: number) => {
      const rng = createRng(seed);
      const answers: { customer: string; time: number; score: number }[] = [];
      const purchases: { customer: string; time: number; amount: number }[] = [];
      for (let i = 0; i < 3000; i++) {
        const score = randInt(rng, 11);
        const c = npsCategory(score)!;
        const pBuy = effect ? (c === 'promoter' ? 0.7 : c === 'passive' ? 0.6 : 0.45) : 0.6;
        answers.push({ customer: `c${i}`, time: T0, score });
        if (rng() < pBuy) purchases.push({ customer: `c${i}`, time: T0 + (1 + randInt(rng, 89)) * DAY, amount: 20 + 60 * rng() });
      }
      purchases.push({ customer: 'end', time: T0 + 365 * DAY, amount: 0 });
      return compareOutcome(laterBehaviourByNps(answers, purchases));
    };
    const yes = sim(true, 1);
    expect(yes.churn.diff).toBeGreaterThan(0.15); // detractors churn more (true gap 0.25)
    expect(yes.churn.p).toBeLessThan(1e-6);
    expect(yes.spend.diff).toBeLessThan(0);
    expect(yes.spend.p).toBeLessThan(1e-3);
    const no = sim(false, 2);
    expect(Math.abs(no.churn.diff)).toBeLessThan(0.06);
    expect(no.churn.p).toBeGreaterThan(0.01);
  });

  it('works for any grouping (CSAT satisfied vs not)', () => {
    const r = laterBehaviour(
      [
        { customer: 'a', time: T0, group: 'satisfied' },
        { customer: 'b', time: T0, group: 'unsatisfied' },
      ],
      [{ customer: 'a', time: T0 + DAY, amount: 5 }],
      { observationEnd: T0 + 100 * DAY },
    );
    expect(r.groups.find((g) => g.group === 'unsatisfied')!.churnRate).toBe(1);
    expect(() => compareOutcome(r)).toThrow();
  });
});
