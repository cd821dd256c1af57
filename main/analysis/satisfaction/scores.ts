/**
 * Satisfaction scores: CSAT and NPS with confidence intervals, by group and by month.
 *
 * CSAT: share of "satisfied" answers (default 4–5 on a 1–5 scale; scale and threshold
 * configurable), Wilson score interval (good coverage at small n and near 0/1, unlike the Wald one).
 * Answers outside the scale or not numbers are ignored and counted in `invalid`.
 *
 * NPS on 0–10: promoters 9–10, passives 7–8, detractors 0–6; NPS = 100·(p_P − p_D). Interval:
 *  - 'normal' (default): the answers are a trinomial, so Var(p_P − p_D) = [p_P + p_D − (p_P − p_D)²]/n;
 *    NPS ± z·100·√Var (Wald). Fine for n ≳ 30 and NPS away from ±100; clipped to [−100, 100].
 *  - 'bootstrap': percentile interval of NPS over `resamples` (default 2000) multinomial
 *    resamples of the n answers, seeded (createRng) so the same data gives the same interval.
 * Two NPS are compared with z = (NPS₁ − NPS₂)/√(SE₁² + SE₂²) (independent samples, normal approx).
 */
import { createRng } from '../../kernel/random';
import { normalCdf, normalQuantile, quantileSorted } from '../../kernel/stats';
import { wilson } from '../../kernel/intervals';

export interface CsatOptions {
  min?: number;
  max?: number;
  /** Lowest score counted as satisfied (default 4). */
  satisfiedFrom?: number;
  confidence?: number;
}

export interface CsatResult {
  n: number;
  satisfied: number;
  /** Share satisfied, 0–1 (NaN when n = 0). */
  csat: number;
  ci: [number, number];
  mean: number;
  invalid: number;
}

export function csat(scores: readonly (number | null | undefined)[], options: CsatOptions = {}): CsatResult {
  const min = options.min ?? 1;
  const max = options.max ?? 5;
  const from = options.satisfiedFrom ?? 4;
  const conf = options.confidence ?? 0.95;
  if (!(min < max) || !(from > min && from <= max)) throw new Error('CSAT needs min < satisfiedFrom ≤ max');
  let n = 0;
  let k = 0;
  let sum = 0;
  let invalid = 0;
  for (const s of scores) {
    if (typeof s !== 'number' || !Number.isFinite(s) || s < min || s > max) {
      invalid++;
      continue;
    }
    n++;
    sum += s;
    if (s >= from) k++;
  }
  return { n, satisfied: k, csat: n ? k / n : NaN, ci: n ? wilson(k, n, conf) : [NaN, NaN], mean: n ? sum / n : NaN, invalid };
}

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

export const NPS_CATEGORY_LABELS: Record<NpsCategory, { zh: string; en: string }> = {
  promoter: { zh: '推荐者', en: 'Promoters' },
  passive: { zh: '被动者', en: 'Passives' },
  detractor: { zh: '贬损者', en: 'Detractors' },
};

/** Category of a 0–10 answer (null outside 0..10 or not a number; fractional answers are floored). */
export function npsCategory(score: number | null | undefined): NpsCategory | null {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return null;
  const s = Math.floor(score);
  return s >= 9 ? 'promoter' : s >= 7 ? 'passive' : 'detractor';
}

export interface NpsOptions {
  confidence?: number;
  method?: 'normal' | 'bootstrap';
  resamples?: number;
  seed?: number;
}

export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100..100 (NaN when n = 0). */
  nps: number;
  /** Standard error of the NPS (points, trinomial formula). */
  se: number;
  ci: [number, number];
  method: 'normal' | 'bootstrap';
  invalid: number;
}

/** NPS from counts (for callers that aggregate in SQL). */
export function npsFromCounts(promoters: number, passives: number, detractors: number, options: NpsOptions = {}): NpsResult {
  const n = promoters + passives + detractors;
  const conf = options.confidence ?? 0.95;
  const method = options.method ?? 'normal';
  const base = { n, promoters, passives, detractors, method, invalid: 0 };
  if (n === 0) return { ...base, nps: NaN, se: NaN, ci: [NaN, NaN] };
  const pP = promoters / n;
  const pD = detractors / n;
  const d = pP - pD;
  const se = 100 * Math.sqrt(Math.max(0, pP + pD - d * d) / n);
  const z = normalQuantile(1 - (1 - conf) / 2);
  let ci: [number, number];
  if (method === 'normal') ci = [Math.max(-100, 100 * d - z * se), Math.min(100, 100 * d + z * se)];
  else {
    const B = options.resamples ?? 2000;
    const rng = createRng(options.seed ?? 1);
    const stats = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      let p = 0;
      let q = 0;
      for (let i = 0; i < n; i++) {
        const u = rng();
        if (u < pP) p++;
        else if (u < pP + pD) q++;
      }
      stats[b] = (100 * (p - q)) / n;
    }
    stats.sort();
    const a = (1 - conf) / 2;
    ci = [quantileSorted(stats, a), quantileSorted(stats, 1 - a)];
  }
  return { ...base, nps: 100 * d, se, ci };
}

export function nps(scores: readonly (number | null | undefined)[], options: NpsOptions = {}): NpsResult {
  let P = 0;
  let N = 0;
  let D = 0;
  let invalid = 0;
  for (const s of scores) {
    const c = npsCategory(s);
    if (c === 'promoter') P++;
    else if (c === 'passive') N++;
    else if (c === 'detractor') D++;
    else invalid++;
  }
  return { ...npsFromCounts(P, N, D, options), invalid };
}

/** Difference of two independent NPS: NPS₁ − NPS₂, its SE, z, two-sided p and interval. */
export function npsDifference(a: NpsResult, b: NpsResult, confidence = 0.95): { diff: number; se: number; z: number; p: number; ci: [number, number] } {
  const diff = a.nps - b.nps;
  const se = Math.sqrt(a.se ** 2 + b.se ** 2);
  const z = se > 0 ? diff / se : 0;
  const zq = normalQuantile(1 - (1 - confidence) / 2);
  return { diff, se, z, p: se > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1, ci: [diff - zq * se, diff + zq * se] };
}

/** Any score function applied per group (group order: first appearance). Null/empty groups → '(missing)'. */
export function byGroup<R>(scores: readonly (number | null | undefined)[], groups: readonly (string | null | undefined)[], fn: (xs: (number | null | undefined)[]) => R): { group: string; result: R }[] {
  if (scores.length !== groups.length) throw new Error('scores and groups differ in length');
  const m = new Map<string, (number | null | undefined)[]>();
  scores.forEach((s, i) => {
    const g = groups[i] == null || groups[i] === '' ? '(missing)' : String(groups[i]);
    (m.get(g) ?? m.set(g, []).get(g)!).push(s);
  });
  return [...m].map(([group, xs]) => ({ group, result: fn(xs) }));
}

/** 'YYYY-MM' of a time (UTC shifted by the offset). */
export function monthKey(time: number, utcOffsetMinutes = 0): string {
  return new Date(time + utcOffsetMinutes * 60_000).toISOString().slice(0, 7);
}

/** Any score function per calendar month, months ascending (months without answers are absent). */
export function byMonth<R>(scores: readonly (number | null | undefined)[], times: readonly number[], fn: (xs: (number | null | undefined)[]) => R, utcOffsetMinutes = 0): { month: string; result: R }[] {
  if (scores.length !== times.length) throw new Error('scores and times differ in length');
  const keys = times.map((t) => (Number.isFinite(t) ? monthKey(t, utcOffsetMinutes) : null));
  return byGroup(
    scores.filter((_, i) => keys[i] != null),
    keys.filter((k): k is string => k != null),
    fn,
  )
    .map(({ group, result }) => ({ month: group, result }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}

export const npsByGroup = (scores: readonly (number | null | undefined)[], groups: readonly (string | null | undefined)[], options: NpsOptions = {}) => byGroup(scores, groups, (xs) => nps(xs, options));
export const csatByGroup = (scores: readonly (number | null | undefined)[], groups: readonly (string | null | undefined)[], options: CsatOptions = {}) => byGroup(scores, groups, (xs) => csat(xs, options));
export const npsByMonth = (scores: readonly (number | null | undefined)[], times: readonly number[], options: NpsOptions & { utcOffsetMinutes?: number } = {}) => byMonth(scores, times, (xs) => nps(xs, options), options.utcOffsetMinutes);
export const csatByMonth = (scores: readonly (number | null | undefined)[], times: readonly number[], options: CsatOptions & { utcOffsetMinutes?: number } = {}) => byMonth(scores, times, (xs) => csat(xs, options), options.utcOffsetMinutes);
