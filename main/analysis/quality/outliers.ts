/**
 * Outlier fences for one numeric column (pure; typed arrays in, plain objects out).
 *
 * - IQR (Tukey): a value is an outlier when it lies outside [Q1 − f·IQR, Q3 + f·IQR], f = 1.5 by
 *   default; quartiles are type-7 (linear interpolation, as R/NumPy/pandas), from main/kernel/stats.
 * - MAD (Iglewicz & Hoaglin): modified z = 0.6745·(x − median) / MAD, outlier when |z| > 3.5.
 *   When MAD is 0 (more than half the values are equal) the scale falls back to
 *   1.253314·(mean absolute deviation from the median): z = (x − median) / (1.253314·meanAD), the
 *   usual fallback (as in IBM's documentation of the method); when that is 0 too, nothing is an outlier.
 * Both report the total count and the row indices of the offenders, capped (default 1,000) so a
 * profile of a million rows stays small; `truncated` says when the list was cut.
 */
import { quantileSorted } from '../../kernel/stats';
import type { Fences, OutlierHits } from '../../../shared/api/quality-model';
export type { Fences, OutlierHits };



/** Tukey fences from the quartiles. */
export function tukeyFences(q1: number, q3: number, factor = 1.5): Fences & { q1: number; q3: number; iqr: number } {
  const iqr = q3 - q1;
  return { q1, q3, iqr, lower: q1 - factor * iqr, upper: q3 + factor * iqr };
}

/** Tukey fences of an ascending-sorted array. */
export function iqrFences(sortedAsc: ArrayLike<number>, factor = 1.5): Fences & { q1: number; q3: number; iqr: number } {
  return tukeyFences(quantileSorted(sortedAsc, 0.25), quantileSorted(sortedAsc, 0.75), factor);
}

/** Median absolute deviation (raw, not scaled) and the fallback scale when it is 0. */
export function madOf(values: ArrayLike<number>, median: number): { mad: number; meanAd: number } {
  const n = values.length;
  const dev = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(values[i]! - median);
    dev[i] = d;
    s += d;
  }
  dev.sort();
  return { mad: quantileSorted(dev, 0.5), meanAd: n ? s / n : NaN };
}

/** Fences on x implied by |modified z| ≤ threshold, from the median, the MAD and the mean absolute deviation; null when the scale is 0. */
export function madFencesOf(median: number, mad: number, meanAd: number, threshold = 3.5): Fences | null {
  let half: number;
  if (mad > 0) half = (threshold * mad) / 0.6745;
  else if (meanAd > 0) half = threshold * 1.253314 * meanAd;
  else return null;
  return { lower: median - half, upper: median + half };
}

/** Fences on x implied by |modified z| ≤ threshold; null when the scale is 0. */
export function madFences(values: ArrayLike<number>, median: number, threshold = 3.5): Fences | null {
  const { mad, meanAd } = madOf(values, median);
  return madFencesOf(median, mad, meanAd, threshold);
}

/** Values outside [lower, upper] (strictly), with their row indices (capped). */
export function hitsOutside(values: ArrayLike<number>, rows: ArrayLike<number>, f: Fences, method: 'iqr' | 'mad', cap = 1000): OutlierHits {
  const out: number[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < f.lower || v > f.upper) {
      count++;
      if (out.length < cap) out.push(rows[i]!);
    }
  }
  return { method, lower: f.lower, upper: f.upper, count, rows: out, truncated: count > out.length };
}

/** Both detectors at once. `sortedAsc` is the same values sorted (the caller usually has it). */
export function detectOutliers(
  values: ArrayLike<number>,
  rows: ArrayLike<number>,
  sortedAsc: ArrayLike<number>,
  opts: { iqrFactor?: number; madThreshold?: number; cap?: number } = {},
): { iqr: OutlierHits; mad: OutlierHits | null } {
  const cap = opts.cap ?? 1000;
  if (values.length === 0) return { iqr: { method: 'iqr', lower: NaN, upper: NaN, count: 0, rows: [], truncated: false }, mad: null };
  const iqr = hitsOutside(values, rows, iqrFences(sortedAsc, opts.iqrFactor ?? 1.5), 'iqr', cap);
  const mf = madFences(values, quantileSorted(sortedAsc, 0.5), opts.madThreshold ?? 3.5);
  return { iqr, mad: mf ? hitsOutside(values, rows, mf, 'mad', cap) : null };
}
