/**
 * Per-customer send time by empirical Bayes: a customer's responses (replies, orders) by hour of
 * day are few, so their hour profile is shrunk towards their segment's (e.g. region's) profile,
 * itself shrunk towards the whole base's. Posterior mean per hour:
 *   p_c(h) = (n_c(h) + α · p_s(h)) / (n_c + α),   p_s(h) = (n_s(h) + β · p_0(h)) / (n_s + β)
 * with p_0 the base profile. α (prior strength, in events) is chosen by maximising the held-out
 * log-likelihood of each customer's last event over a small grid; the best hour is argmax p_c.
 * With no history a customer gets the segment's best hour.
 */
export interface TimedEvent {
  key: string;
  time: number;
}

export interface SendTimeModel {
  alpha: number;
  beta: number;
  base: Float64Array;
  segments: Map<string, Float64Array>;
  /** key → 24 posterior probabilities. */
  profile(key: string): Float64Array;
  bestHour(key: string): number;
  /** Events seen for a customer. */
  events(key: string): number;
}

const HOURS = 24;
const argmax = (p: ArrayLike<number>) => {
  let b = 0;
  for (let h = 1; h < p.length; h++) if (p[h]! > p[b]!) b = h;
  return b;
};

function counts(events: TimedEvent[], hourOf: (t: number) => number): Map<string, Float64Array> {
  const m = new Map<string, Float64Array>();
  for (const e of events) {
    let c = m.get(e.key);
    if (!c) m.set(e.key, (c = new Float64Array(HOURS)));
    c[hourOf(e.time)]!++;
  }
  return m;
}

const hourUtc = (t: number) => new Date(t).getUTCHours();

function posterior(c: Float64Array | undefined, prior: Float64Array, strength: number): Float64Array {
  const n = c ? c.reduce((s, x) => s + x, 0) : 0;
  const p = new Float64Array(HOURS);
  for (let h = 0; h < HOURS; h++) p[h] = ((c?.[h] ?? 0) + strength * prior[h]!) / (n + strength);
  return p;
}

export function fitSendTime(events: TimedEvent[], segmentOf: (key: string) => string, opts: { hourOf?: (t: number) => number; alphas?: number[]; beta?: number } = {}): SendTimeModel {
  const hourOf = opts.hourOf ?? hourUtc;
  const beta = opts.beta ?? 20;
  const all = counts(events, hourOf);
  const base = new Float64Array(HOURS).fill(1); // Laplace: every hour possible
  for (const c of all.values()) for (let h = 0; h < HOURS; h++) base[h]! += c[h]!;
  const total = base.reduce((s, x) => s + x, 0);
  for (let h = 0; h < HOURS; h++) base[h]! /= total;
  const segCounts = new Map<string, Float64Array>();
  for (const [k, c] of all) {
    const s = segmentOf(k);
    const sc = segCounts.get(s) ?? segCounts.set(s, new Float64Array(HOURS)).get(s)!;
    for (let h = 0; h < HOURS; h++) sc[h]! += c[h]!;
  }
  const segments = new Map([...segCounts].map(([s, c]) => [s, posterior(c, base, beta)]));
  const segPrior = (k: string) => segments.get(segmentOf(k)) ?? base;
  // α by held-out likelihood of each customer's last event (customers with ≥ 2 events)
  const byKey = new Map<string, number[]>();
  for (const e of events) (byKey.get(e.key) ?? byKey.set(e.key, []).get(e.key)!).push(e.time);
  const grid = opts.alphas ?? [0.5, 1, 2, 4, 8, 16, 32];
  let alpha = grid[0]!;
  let bestLl = -Infinity;
  for (const a of grid) {
    let ll = 0;
    for (const [k, ts] of byKey) {
      if (ts.length < 2) continue;
      const sorted = ts.slice().sort((x, y) => x - y);
      const c = new Float64Array(HOURS);
      for (const t of sorted.slice(0, -1)) c[hourOf(t)]!++;
      ll += Math.log(posterior(c, segPrior(k), a)[hourOf(sorted.at(-1)!)]!);
    }
    if (ll > bestLl) {
      bestLl = ll;
      alpha = a;
    }
  }
  const cache = new Map<string, Float64Array>();
  const profile = (k: string) => cache.get(k) ?? cache.set(k, posterior(all.get(k), segPrior(k), alpha)).get(k)!;
  return {
    alpha,
    beta,
    base,
    segments,
    profile,
    bestHour: (k) => argmax(profile(k)),
    events: (k) => all.get(k)?.reduce((s, x) => s + x, 0) ?? 0,
  };
}

export { argmax as bestOf };
