/**
 * Holt-Winters forecasting (revenue or orders per month/week) with prediction intervals.
 *
 * Models, in the error-correction (state space) form of Hyndman, Koehler, Ord & Snyder (2008),
 * with one-step error e_t = y_t − ŷ_t and season length m:
 * - additive, ETS(A,A,A): ŷ_t = ℓ + b + s_{t−m};  ℓ ← ℓ + b + α e;  b ← b + β e;  s_t = s_{t−m} + γ e
 * - multiplicative, ETS(A,A,M): ŷ_t = (ℓ + b)·s_{t−m};  ℓ ← ℓ + b + α e/s_{t−m};
 *   b ← b + β e/s_{t−m};  s_t = s_{t−m} + γ e/(ℓ + b)   (needs a positive series)
 * - Holt's linear trend, ETS(A,A,N): the additive model without a season.
 * Smoothing weights are searched on α ∈ (0,1), β = α·β* with β* ∈ (0,1), γ = (1−α)·γ* with
 * γ* ∈ (0,1) (the classical Holt-Winters region), through logits, by Nelder–Mead (3 starts,
 * restarts) minimising the sum of squared one-step errors (SSE). Initial states are the classical
 * ones from the first two seasons: level = mean of season 1 moved back to t = −1, trend =
 * (mean of season 2 − mean of season 1)/m, season = average detrended deviation (additive,
 * centred to sum 0) or ratio (multiplicative, centred to mean 1). Holt: level y₀ − (y₁ − y₀),
 * trend y₁ − y₀.
 * With fewer than two full seasons (n < 2m) or m < 2, the seasonal request falls back to Holt's
 * linear trend (`fallbackReason` says so). 'auto' fits additive and (if y > 0) multiplicative and
 * keeps the lower SSE.
 *
 * Intervals at level L (default 95%): σ² = SSE/(n − k), k = smoothing weights + 2 initial level/
 * trend states + (m − 1) free initial seasonal states (parameter count of R's forecast::ets).
 * Additive and Holt: exact for the linear model — Var(h) = σ²[1 + Σ_{j=1}^{h−1} c_j²],
 * c_j = α + βj + γ·[j mod m = 0] (HKOS 2008, Table 6.1, class 1); bounds ŷ ± z_{(1+L)/2}·√Var.
 * Multiplicative: no closed form — `simulations` (default 2000) sample paths with N(0, σ²) errors
 * from a seeded generator; bounds are the (1−L)/2 and (1+L)/2 quantiles of the simulated values.
 */
import { createRng, randNormal } from '../../kernel/random';
import { normalQuantile, quantileSorted } from '../../kernel/stats';
import { nelderMead } from '../../kernel/optim';

export type Seasonality = 'additive' | 'multiplicative' | 'none' | 'auto';

export interface ForecastOptions {
  /** Season length in periods (12 for monthly data with a yearly cycle). */
  period: number;
  /** Number of periods to forecast. */
  horizon: number;
  seasonal?: Seasonality;
  /** Interval coverage, default 0.95. */
  level?: number;
  simulations?: number;
  seed?: number;
}

export interface ForecastResult {
  method: 'holt-winters-additive' | 'holt-winters-multiplicative' | 'holt-linear';
  alpha: number;
  beta: number;
  /** NaN for Holt's linear trend. */
  gamma: number;
  /** One-step-ahead fitted values for the history. */
  fitted: Float64Array;
  residuals: Float64Array;
  sse: number;
  sigma: number;
  /** Final level and trend. */
  levelFinal: number;
  trendFinal: number;
  /** Final seasonal indices by phase: seasonal[k] applies to periods t with t mod m = k (empty for Holt). */
  seasonal: Float64Array;
  forecast: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  level: number;
  fallbackReason?: string;
}

type Kind = 'add' | 'mul' | 'none';

interface RunResult {
  sse: number;
  fitted: Float64Array;
  l: number;
  b: number;
  /** Last m seasonal states, oldest first (s_{n−m} … s_{n−1}). */
  s: Float64Array;
}

function initStates(y: Float64Array, m: number, kind: Kind): { l: number; b: number; s: Float64Array } {
  if (kind === 'none') {
    const b = y[1]! - y[0]!;
    return { l: y[0]! - b, b, s: new Float64Array(0) };
  }
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < m; k++) {
    m1 += y[k]! / m;
    m2 += y[k + m]! / m;
  }
  const b = (m2 - m1) / m;
  // Season-1 mean sits at t = (m−1)/2; move it back to t = −1.
  const l = m1 - b * ((m - 1) / 2 + 1);
  const s = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const trendAt1 = m1 + b * (k - (m - 1) / 2);
    const trendAt2 = m2 + b * (k - (m - 1) / 2);
    s[k] = kind === 'add' ? (y[k]! - trendAt1 + y[k + m]! - trendAt2) / 2 : (y[k]! / trendAt1 + y[k + m]! / trendAt2) / 2;
  }
  let c = 0;
  for (let k = 0; k < m; k++) c += s[k]! / m;
  for (let k = 0; k < m; k++) s[k] = kind === 'add' ? s[k]! - c : s[k]! / c;
  return { l, b, s };
}

function run(y: Float64Array, m: number, kind: Kind, alpha: number, beta: number, gamma: number, keep: boolean): RunResult {
  const init = initStates(y, m, kind);
  let l = init.l;
  let b = init.b;
  const mm = kind === 'none' ? 1 : m;
  // Ring buffer of the last m seasonal states: s[t mod m] holds s_{t−m} when at time t.
  const s = kind === 'none' ? new Float64Array(1) : Float64Array.from(init.s);
  const fitted = keep ? new Float64Array(y.length) : new Float64Array(0);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const k = t % mm;
    const base = l + b;
    let yhat: number;
    let e: number;
    if (kind === 'add') {
      yhat = base + s[k]!;
      e = y[t]! - yhat;
      l = base + alpha * e;
      b = b + beta * e;
      s[k] = s[k]! + gamma * e;
    } else if (kind === 'mul') {
      const sk = s[k]!;
      yhat = base * sk;
      e = y[t]! - yhat;
      l = base + (alpha * e) / sk;
      b = b + (beta * e) / sk;
      s[k] = sk + (gamma * e) / base;
    } else {
      yhat = base;
      e = y[t]! - yhat;
      l = base + alpha * e;
      b = b + beta * e;
    }
    if (keep) fitted[t] = yhat;
    sse += e * e;
  }
  // Seasonal states in phase order for the next periods: phase of t = n is n mod m.
  const out = new Float64Array(kind === 'none' ? 0 : m);
  for (let k = 0; k < out.length; k++) out[k] = s[k]!;
  return { sse: Number.isFinite(sse) ? sse : Infinity, fitted, l, b, s: out };
}

const logistic = (u: number) => 1 / (1 + Math.exp(-u));
const logit = (p: number) => Math.log(p / (1 - p));

function fitKind(y: Float64Array, m: number, kind: Kind): { alpha: number; beta: number; gamma: number; sse: number } {
  const toParams = (u: Float64Array) => {
    const alpha = logistic(u[0]!);
    const beta = alpha * logistic(u[1]!);
    const gamma = kind === 'none' ? 0 : (1 - alpha) * logistic(u[2]!);
    return { alpha, beta, gamma };
  };
  const f = (u: Float64Array) => {
    if (u.some((v) => Math.abs(v) > 30)) return Infinity;
    const p = toParams(u);
    return run(y, m, kind, p.alpha, p.beta, p.gamma, false).sse;
  };
  const dim = kind === 'none' ? 2 : 3;
  let best: { u: Float64Array; f: number } | null = null;
  for (const [a, bs, gs] of [
    [0.3, 0.1, 0.1],
    [0.7, 0.05, 0.3],
    [0.1, 0.3, 0.5],
  ] as const) {
    const u0 = Float64Array.from([logit(a), logit(bs), logit(gs)].slice(0, dim));
    const r = nelderMead(f, u0, { step: 1, restarts: 3, maxIter: 3000 });
    if (!best || r.f < best.f) best = { u: r.x, f: r.f };
  }
  return { ...toParams(best!.u), sse: best!.f };
}

function validate(y: ArrayLike<number>, opts: ForecastOptions): void {
  if (!y || typeof y.length !== 'number') throw new Error('holtWinters: y must be an array of numbers');
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]!)) throw new Error(`holtWinters: y[${i}] is not a finite number (fill gaps with 0 or interpolate first)`);
  if (!opts) throw new Error('holtWinters: options { period, horizon } are required');
  if (!(Number.isInteger(opts.period) && opts.period >= 1)) throw new Error('holtWinters: period must be a positive integer');
  if (!(Number.isInteger(opts.horizon) && opts.horizon >= 1 && opts.horizon <= 10_000)) throw new Error('holtWinters: horizon must be an integer from 1 to 10000');
  const lv = opts.level ?? 0.95;
  if (!(lv > 0 && lv < 1)) throw new Error('holtWinters: level must be between 0 and 1');
  if (opts.seasonal !== undefined && !['additive', 'multiplicative', 'none', 'auto'].includes(opts.seasonal))
    throw new Error(`holtWinters: seasonal must be additive, multiplicative, none or auto`);
  if (opts.simulations !== undefined && !(Number.isInteger(opts.simulations) && opts.simulations >= 100 && opts.simulations <= 100_000))
    throw new Error('holtWinters: simulations must be an integer from 100 to 100000');
  if (y.length < 3) throw new Error('holtWinters: at least 3 observations are needed');
}

export function holtWinters(yIn: ArrayLike<number>, opts: ForecastOptions): ForecastResult {
  validate(yIn, opts);
  const y = Float64Array.from(yIn);
  const n = y.length;
  const m = opts.period;
  const H = opts.horizon;
  const level = opts.level ?? 0.95;
  const want = opts.seasonal ?? 'additive';
  let kind: Kind = want === 'none' ? 'none' : want === 'multiplicative' ? 'mul' : 'add';
  let fallbackReason: string | undefined;
  const positive = y.every((v) => v > 0);
  if (want !== 'none' && (m < 2 || n < 2 * m)) {
    kind = 'none';
    fallbackReason = m < 2 ? 'season length below 2: Holt linear trend used' : `fewer than two full seasons (${n} < ${2 * m} periods): Holt linear trend used`;
  } else if (want === 'multiplicative' && !positive) {
    kind = 'add';
    fallbackReason = 'multiplicative seasonality needs positive values: additive used';
  }
  let fit = fitKind(y, m, kind);
  if (want === 'auto' && kind === 'add' && positive) {
    const fm = fitKind(y, m, 'mul');
    if (fm.sse < fit.sse) {
      fit = fm;
      kind = 'mul';
    }
  }
  const res = run(y, m, kind, fit.alpha, fit.beta, fit.gamma, true);
  // Parameters counted like R's forecast::ets: smoothing weights + initial level and trend + m − 1
  // free initial seasonal states.
  const k = kind === 'none' ? 2 + 2 : 3 + 2 + (m - 1);
  const sigma = Math.sqrt(res.sse / Math.max(1, n - k));
  const forecast = new Float64Array(H);
  const lower = new Float64Array(H);
  const upper = new Float64Array(H);
  const mm = kind === 'none' ? 1 : m;
  for (let h = 1; h <= H; h++) {
    const phase = (n + h - 1) % mm;
    const base = res.l + h * res.b;
    forecast[h - 1] = kind === 'add' ? base + res.s[phase]! : kind === 'mul' ? base * res.s[phase]! : base;
  }
  if (kind !== 'mul') {
    const z = normalQuantile((1 + level) / 2);
    let acc = 0;
    for (let h = 1; h <= H; h++) {
      if (h > 1) {
        const j = h - 1;
        const c = fit.alpha + fit.beta * j + (kind === 'add' && j % m === 0 ? fit.gamma : 0);
        acc += c * c;
      }
      const sd = sigma * Math.sqrt(1 + acc);
      lower[h - 1] = forecast[h - 1]! - z * sd;
      upper[h - 1] = forecast[h - 1]! + z * sd;
    }
  } else {
    const sims = opts.simulations ?? 2000;
    const rng = createRng(opts.seed ?? 0);
    const paths = Array.from({ length: H }, () => new Float64Array(sims));
    const s = new Float64Array(m);
    for (let p = 0; p < sims; p++) {
      let l = res.l;
      let b = res.b;
      s.set(res.s);
      for (let h = 1; h <= H; h++) {
        const ph = (n + h - 1) % m;
        const base = l + b;
        const sk = s[ph]!;
        const e = sigma * randNormal(rng);
        paths[h - 1]![p] = base * sk + e;
        l = base + (fit.alpha * e) / sk;
        b = b + (fit.beta * e) / sk;
        s[ph] = sk + (fit.gamma * e) / base;
      }
    }
    for (let h = 0; h < H; h++) {
      const sorted = paths[h]!.sort();
      lower[h] = quantileSorted(sorted, (1 - level) / 2);
      upper[h] = quantileSorted(sorted, (1 + level) / 2);
    }
  }
  const residuals = new Float64Array(n);
  for (let t = 0; t < n; t++) residuals[t] = y[t]! - res.fitted[t]!;
  // Seasonal indices by phase of the period (t mod m); the ring buffer is already phase-indexed.
  const seasonal = new Float64Array(kind === 'none' ? 0 : m);
  for (let ph = 0; ph < seasonal.length; ph++) seasonal[ph] = res.s[ph]!;
  return {
    method: kind === 'add' ? 'holt-winters-additive' : kind === 'mul' ? 'holt-winters-multiplicative' : 'holt-linear',
    alpha: fit.alpha,
    beta: fit.beta,
    gamma: kind === 'none' ? NaN : fit.gamma,
    fitted: res.fitted,
    residuals,
    sse: res.sse,
    sigma,
    levelFinal: res.l,
    trendFinal: res.b,
    seasonal,
    forecast,
    lower,
    upper,
    level,
    fallbackReason,
  };
}

export type SeriesInterval = 'month' | 'week';

export interface AggregatedSeries {
  /** Start of each period (epoch ms, UTC-shifted by the offset used). */
  periodStarts: number[];
  /** Sum of the values (or the row count when values is null) per period; empty periods are 0. */
  values: Float64Array;
}

/**
 * Sums values (revenue) or counts rows (orders) per calendar month or ISO week (Monday start),
 * from the first to the last period present, filling empty periods with 0 — the input series of
 * `holtWinters` (period 12 for months, 52 for weeks).
 */
export function aggregateSeries(
  times: ArrayLike<number>,
  values: ArrayLike<number> | null,
  interval: SeriesInterval,
  opts: { utcOffsetMinutes?: number } = {},
): AggregatedSeries {
  if (!times || typeof times.length !== 'number') throw new Error('aggregateSeries: times must be an array of epoch-ms numbers');
  if (values && values.length !== times.length) throw new Error('aggregateSeries: values must have one entry per time');
  if (interval !== 'month' && interval !== 'week') throw new Error("aggregateSeries: interval must be 'month' or 'week'");
  const off = (opts.utcOffsetMinutes ?? 0) * 60_000;
  const DAY = 86_400_000;
  // Period index: months since 1970-01, or weeks since Monday 1969-12-29.
  const periodOf = (t: number): number => {
    const d = new Date(t + off);
    return interval === 'month' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : Math.floor((Math.floor((t + off) / DAY) + 3) / 7);
  };
  const startOf = (p: number): number => (interval === 'month' ? Date.UTC(Math.floor(p / 12), p % 12, 1) : (p * 7 - 3) * DAY) - off;
  let lo = Infinity;
  let hi = -Infinity;
  const per = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) throw new Error(`aggregateSeries: time ${i} is not finite`);
    if (values && !Number.isFinite(values[i]!)) throw new Error(`aggregateSeries: value ${i} is not finite`);
    const p = periodOf(t);
    per[i] = p;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  if (times.length === 0) return { periodStarts: [], values: new Float64Array(0) };
  const out = new Float64Array(hi - lo + 1);
  for (let i = 0; i < times.length; i++) out[per[i]! - lo] = out[per[i]! - lo]! + (values ? values[i]! : 1);
  return { periodStarts: Array.from({ length: hi - lo + 1 }, (_, k) => startOf(lo + k)), values: out };
}
