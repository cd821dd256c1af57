/**
 * Holt-Winters exponential smoothing (additive trend and season) with α, β, γ chosen by
 * minimising the one-step-ahead squared error (Nelder–Mead on logit-scaled parameters).
 * Initial level/trend/season from the first two seasons. With fewer than two full seasons it
 * falls back to Holt's linear trend. Prediction interval (95%): ŷ ± 1.96 σ √h, σ² the variance
 * of the one-step residuals — a simple, documented approximation that widens with the horizon.
 */
import { nelderMead } from '../btyd/optim';

export interface Forecast {
  fitted: number[];
  forecast: number[];
  lower: number[];
  upper: number[];
  alpha: number;
  beta: number;
  gamma: number;
  sse: number;
  seasonal: boolean;
}

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

function run(y: number[], period: number, a: number, b: number, g: number, seasonal: boolean, horizon: number) {
  const n = y.length;
  let level: number;
  let trend: number;
  const season = new Array<number>(period).fill(0);
  if (seasonal) {
    const m1 = y.slice(0, period).reduce((s, v) => s + v, 0) / period;
    const m2 = y.slice(period, 2 * period).reduce((s, v) => s + v, 0) / period;
    level = m1;
    trend = (m2 - m1) / period;
    for (let i = 0; i < period; i++) season[i] = y[i]! - m1;
  } else {
    level = y[0]!;
    trend = n > 1 ? y[1]! - y[0]! : 0;
  }
  const fitted: number[] = [];
  let sse = 0;
  for (let t = 0; t < n; t++) {
    const s = seasonal ? season[t % period]! : 0;
    const f = level + trend + s;
    fitted.push(t === 0 ? y[0]! : f);
    if (t > 0) sse += (y[t]! - f) ** 2;
    const prevLevel = level;
    level = a * (y[t]! - s) + (1 - a) * (level + trend);
    trend = b * (level - prevLevel) + (1 - b) * trend;
    if (seasonal) season[t % period] = g * (y[t]! - level) + (1 - g) * s;
  }
  const forecast: number[] = [];
  for (let h = 1; h <= horizon; h++) forecast.push(level + h * trend + (seasonal ? season[(n + h - 1) % period]! : 0));
  return { fitted, forecast, sse };
}

export function holtWinters(series: number[], opts: { period: number; horizon: number }): Forecast {
  if (series.length < 3 || series.some((v) => !Number.isFinite(v))) throw new Error('need at least 3 finite values');
  const seasonal = opts.period >= 2 && series.length >= 2 * opts.period;
  const obj = (p: number[]) => run(series, opts.period, logistic(p[0]!), logistic(p[1]!), logistic(p[2]!), seasonal, 0).sse;
  const best = nelderMead(obj, [0, -2, -1], { step: 1, tol: 1e-10, maxIter: 4000, restarts: 3 });
  const [a, b, g] = best.x.map(logistic) as [number, number, number];
  const r = run(series, opts.period, a, b, g, seasonal, opts.horizon);
  const sigma = Math.sqrt(r.sse / Math.max(1, series.length - 1));
  return {
    fitted: r.fitted,
    forecast: r.forecast,
    lower: r.forecast.map((f, h) => f - 1.96 * sigma * Math.sqrt(h + 1)),
    upper: r.forecast.map((f, h) => f + 1.96 * sigma * Math.sqrt(h + 1)),
    alpha: a,
    beta: b,
    gamma: seasonal ? g : 0,
    sse: r.sse,
    seasonal,
  };
}
