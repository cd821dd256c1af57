/** Holt-Winters on synthetic seasonal series with a known season and noise level. */
import { describe, expect, it } from 'vitest';
import { aggregateSeries, holtWinters } from '../../../main/analysis/value/forecast';
import { csv } from './load';
import { createRng, randNormal } from '../../../main/kernel/random';

// Monthly series: level 100, trend +0.5 per month, a yearly season (sine plus a December peak), N(0, 2²) noise.
const season = (t: number) => 10 * Math.sin((2 * Math.PI * t) / 12) + (t % 12 === 11 ? 8 : 0);
const seasonMean = Array.from({ length: 12 }, (_, k) => season(k)).reduce((a, b) => a + b, 0) / 12;
function series(seed: number, n: number, sd = 2): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, (_, t) => 100 + 0.5 * t + season(t) + sd * randNormal(rng));
}

describe('Holt-Winters', () => {
  it('recovers the season and the trend of a synthetic monthly series', () => {
    const y = series(1, 96);
    const f = holtWinters(y, { period: 12, horizon: 12 });
    expect(f.method).toBe('holt-winters-additive');
    for (let k = 0; k < 12; k++) expect(Math.abs(f.seasonal[k]! - (season(k) - seasonMean))).toBeLessThan(2);
    expect(Math.abs(f.trendFinal - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(f.sigma - 2)).toBeLessThan(0.5);
    // The forecast follows the true mean path closely.
    for (let h = 1; h <= 12; h++) expect(Math.abs(f.forecast[h - 1]! - (100 + 0.5 * (95 + h) + season(95 + h)))).toBeLessThan(4);
    // This series has a fixed trend and season (α, β ≈ 0), so the interval hardly widens …
    for (let h = 1; h < 12; h++) expect(f.upper[h]! - f.lower[h]!).toBeGreaterThanOrEqual(f.upper[h - 1]! - f.lower[h - 1]! - 1e-9);
    // … while for a random walk plus season (α near 1) it widens roughly like √h.
    const rng = createRng(9);
    let level = 100;
    const walk = Float64Array.from({ length: 96 }, (_, t) => (level += 3 * randNormal(rng)) + season(t));
    const w = holtWinters(walk, { period: 12, horizon: 12 });
    expect(w.alpha).toBeGreaterThan(0.6);
    expect((w.upper[11]! - w.lower[11]!) / (w.upper[0]! - w.lower[0]!)).toBeGreaterThan(2.5);
  });

  it('95% intervals cover about 95% of future values (additive: formula, multiplicative: simulation)', () => {
    for (const seasonal of ['additive', 'multiplicative'] as const) {
      let inside = 0;
      let total = 0;
      for (let s = 0; s < 120; s++) {
        const y = series(1000 + s, 84);
        const f = holtWinters(y.subarray(0, 72), { period: 12, horizon: 12, seasonal, seed: s, simulations: 400 });
        for (let h = 0; h < 12; h++) {
          total++;
          if (y[72 + h]! >= f.lower[h]! && y[72 + h]! <= f.upper[h]!) inside++;
        }
      }
      const coverage = inside / total;
      expect(coverage).toBeGreaterThan(0.91);
      expect(coverage).toBeLessThan(0.99);
    }
  });

  it('multiplicative season on a series whose swing grows with its level; auto picks it', () => {
    const rng = createRng(5);
    const y = Float64Array.from({ length: 72 }, (_, t) => (50 + 2 * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.01 * randNormal(rng)));
    const mul = holtWinters(y, { period: 12, horizon: 6, seasonal: 'multiplicative' });
    const add = holtWinters(y, { period: 12, horizon: 6, seasonal: 'additive' });
    expect(mul.sse).toBeLessThan(add.sse);
    expect(holtWinters(y, { period: 12, horizon: 6, seasonal: 'auto' }).method).toBe('holt-winters-multiplicative');
    const peak = mul.seasonal.indexOf(Math.max(...mul.seasonal));
    expect(peak).toBe(3); // sin peaks at t ≡ 3 (mod 12)
  });

  it('falls back to Holt linear with fewer than two seasons, and validates input', () => {
    const y = Float64Array.from({ length: 20 }, (_, t) => 10 + 2 * t + (t % 2));
    const f = holtWinters(y, { period: 12, horizon: 3 });
    expect(f.method).toBe('holt-linear');
    expect(f.fallbackReason).toMatch(/two full seasons/);
    expect(f.forecast[2]! - f.forecast[1]!).toBeCloseTo(f.trendFinal, 10);
    expect(Math.abs(f.trendFinal - 2)).toBeLessThan(0.3);
    expect(() => holtWinters([1, 2], { period: 1, horizon: 1 })).toThrow(/at least 3/);
    expect(() => holtWinters([1, NaN, 3], { period: 1, horizon: 1 })).toThrow(/y\[1\]/);
    expect(() => holtWinters([1, 2, 3], { period: 0, horizon: 1 })).toThrow(/period/);
  });
});

describe('series aggregation', () => {
  it('monthly revenue of online-retail-sample.csv: 13 months, totals preserved, Holt fallback', () => {
    const { rows } = csv('online-retail-sample.csv');
    const ok = rows.filter((r) => !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0);
    const times = ok.map((r) => Date.parse(r.InvoiceDate!.replace(' ', 'T') + 'Z'));
    const revenue = ok.map((r) => Number(r.Quantity) * Number(r.UnitPrice));
    const s = aggregateSeries(times, revenue, 'month');
    expect(s.values).toHaveLength(13);
    expect(new Date(s.periodStarts[0]!).toISOString()).toBe('2010-12-01T00:00:00.000Z');
    expect(s.values.reduce((a, b) => a + b, 0)).toBeCloseTo(revenue.reduce((a, b) => a + b, 0), 4);
    const f = holtWinters(s.values, { period: 12, horizon: 3 });
    expect(f.method).toBe('holt-linear');
    const weeks = aggregateSeries(times, null, 'week');
    expect(weeks.values.reduce((a, b) => a + b, 0)).toBe(ok.length);
    expect(new Date(weeks.periodStarts[0]!).getUTCDay()).toBe(1); // weeks start on Monday
    // Empty weeks inside the range are present as zeros (the shop closed over Christmas 2010).
    expect(Array.from(weeks.values).some((v) => v === 0)).toBe(true);
  });
});
