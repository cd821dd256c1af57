/**
 * Filling missing values in one column (pure; a column of cells in, a new column out).
 *
 * Missing = null, '' or whitespace only. Methods:
 *   mean / median  of the numeric cells (numbers, or strings that read as numbers);
 *   mode           the most frequent non-missing value; ties go to the value seen first;
 *   constant       the given value;
 *   ffill / bfill  the previous / next non-missing value in row order (leading / trailing gaps
 *                  stay missing);
 *   linear         straight line between the nearest numeric neighbours, by row position or by
 *                  an x column (dates or numbers); rows are ordered by x (stable) and rows
 *                  without an x are not filled; gaps before the first or after the last known
 *                  value stay missing (no extrapolation); knots at equal x are averaged;
 *   knn            the k nearest rows that have a value, in the space of standardised numeric
 *                  feature columns (z-scores over the non-missing values; a feature with zero
 *                  spread is dropped). Distances use only the features both rows have, scaled up
 *                  by √(features / shared) — the "nan-euclidean" rule, so a row missing some
 *                  features can still be matched. Equal distances are ordered by a seeded random
 *                  key per row (createRng(seed)), so results do not depend on row order alone and
 *                  are reproducible. The fill is the neighbours' mean (numeric target) or their
 *                  most frequent value (ties → the nearer one). Cost O(missing × candidates ×
 *                  features): fine for tens of thousands of rows, not for millions.
 */
import { createRng } from '../../kernel/random';
import { type Cell, isEmpty, isoToDays, toNumber } from './values';

export type FillMethod = 'mean' | 'median' | 'mode' | 'constant' | 'ffill' | 'bfill' | 'linear' | 'knn';

const keyOf = (v: Cell) => (typeof v === 'number' ? 'n:' + v : 's:' + v);
const tidy = (x: number) => Number(x.toPrecision(15));

export function numericValues(col: Cell[]): number[] {
  const out: number[] = [];
  for (const v of col) {
    if (isEmpty(v)) continue;
    const n = toNumber(v);
    if (n !== null) out.push(n);
  }
  return out;
}

export function meanOf(col: Cell[]): number | null {
  const xs = numericValues(col);
  if (!xs.length) return null;
  let s = 0;
  for (const x of xs) s += x;
  return tidy(s / xs.length);
}

export function medianOf(col: Cell[]): number | null {
  const xs = Float64Array.from(numericValues(col)).sort();
  if (!xs.length) return null;
  const h = (xs.length - 1) / 2;
  return tidy((xs[Math.floor(h)]! + xs[Math.ceil(h)]!) / 2);
}

export function modeOf(col: Cell[]): Cell {
  const counts = new Map<string, { v: Cell; n: number; first: number }>();
  col.forEach((v, i) => {
    if (isEmpty(v)) return;
    const k = keyOf(v);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { v, n: 1, first: i });
  });
  let best: { v: Cell; n: number; first: number } | null = null;
  for (const e of counts.values()) if (!best || e.n > best.n || (e.n === best.n && e.first < best.first)) best = e;
  return best ? best.v : null;
}

/** Forward fill (or backward with `reverse`). */
export function forwardFill(col: Cell[], reverse = false): Cell[] {
  const out = col.slice();
  let last: Cell = null;
  const n = col.length;
  for (let t = 0; t < n; t++) {
    const i = reverse ? n - 1 - t : t;
    if (isEmpty(col[i]!)) {
      if (last !== null) out[i] = last;
    } else last = col[i]!;
  }
  return out;
}

/** x of a row for linear interpolation: a number, or a date as days since 1970. */
export function xValue(v: Cell): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null) return null;
  const d = isoToDays(v.trim());
  return Number.isNaN(d) ? toNumber(v) : d;
}

/** Linear interpolation of the missing cells; `x` (same length) orders the rows, default = position. */
export function linearFill(col: Cell[], x?: (number | null)[]): Cell[] {
  const out = col.slice();
  const idx: number[] = [];
  for (let i = 0; i < col.length; i++) if (!x || x[i] !== null) idx.push(i);
  const xs = (i: number) => (x ? x[i]! : i);
  idx.sort((a, b) => xs(a) - xs(b) || a - b);
  // Knots: rows with a numeric value, merged by equal x (averaged).
  const kx: number[] = [];
  const ky: number[] = [];
  const kc: number[] = [];
  for (const i of idx) {
    if (isEmpty(col[i]!)) continue;
    const y = toNumber(col[i]!);
    if (y === null) continue;
    const xi = xs(i);
    if (kx.length && kx[kx.length - 1] === xi) {
      ky[ky.length - 1]! += y;
      kc[kc.length - 1]!++;
    } else {
      kx.push(xi);
      ky.push(y);
      kc.push(1);
    }
  }
  for (let j = 0; j < ky.length; j++) ky[j] = ky[j]! / kc[j]!;
  let k = 0; // first knot with kx >= current x
  for (const i of idx) {
    const xi = xs(i);
    while (k < kx.length && kx[k]! < xi) k++;
    if (!isEmpty(col[i]!)) continue;
    if (k < kx.length && kx[k] === xi) {
      out[i] = tidy(ky[k]!);
      continue;
    }
    if (k === 0 || k >= kx.length) continue; // no extrapolation
    const x0 = kx[k - 1]!;
    const x1 = kx[k]!;
    out[i] = tidy(ky[k - 1]! + ((ky[k]! - ky[k - 1]!) * (xi - x0)) / (x1 - x0));
  }
  return out;
}

/** Standardise numeric feature columns; features with no spread are dropped. */
export function standardise(features: Cell[][]): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (const f of features) {
    const xs = f.map((v) => (isEmpty(v) ? null : toNumber(v)));
    let n = 0;
    let m = 0;
    let s = 0;
    for (const x of xs) {
      if (x === null) continue;
      n++;
      const d = x - m;
      m += d / n;
      s += d * (x - m);
    }
    const sd = n > 1 ? Math.sqrt(s / (n - 1)) : 0;
    if (!(sd > 0)) continue;
    out.push(xs.map((x) => (x === null ? null : (x - m) / sd)));
  }
  return out;
}

/**
 * kNN fill of `target` using feature columns (cells; numeric ones are used). Returns the new
 * column and how many cells could not be filled (no row with a shared feature).
 */
export function knnFill(target: Cell[], features: Cell[][], k = 5, seed = 0): { values: Cell[]; unfilled: number } {
  const n = target.length;
  const Z = standardise(features);
  const F = Z.length;
  const rng = createRng(seed);
  const tieKey = new Float64Array(n);
  for (let i = 0; i < n; i++) tieKey[i] = rng();
  const cand: number[] = [];
  const tnum: (number | null)[] = new Array(n).fill(null);
  let numericTarget = true;
  for (let i = 0; i < n; i++) {
    if (isEmpty(target[i]!)) continue;
    cand.push(i);
    const v = toNumber(target[i]!);
    tnum[i] = v;
    if (v === null) numericTarget = false;
  }
  const out = target.slice();
  let unfilled = 0;
  const bestD: number[] = [];
  const bestI: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!isEmpty(target[i]!)) continue;
    bestD.length = 0;
    bestI.length = 0;
    for (const j of cand) {
      let sum = 0;
      let shared = 0;
      for (let f = 0; f < F; f++) {
        const a = Z[f]![i];
        const b = Z[f]![j];
        if (a === null || b === null || a === undefined || b === undefined) continue;
        sum += (a - b) * (a - b);
        shared++;
      }
      if (shared === 0) continue;
      const d = Math.sqrt((sum * F) / shared);
      // insert into the sorted top-k by (d, tieKey)
      if (bestD.length === k && (d > bestD[k - 1]! || (d === bestD[k - 1]! && tieKey[j]! >= tieKey[bestI[k - 1]!]!))) continue;
      let p = bestD.length === k ? k - 1 : bestD.length;
      while (p > 0 && (bestD[p - 1]! > d || (bestD[p - 1] === d && tieKey[bestI[p - 1]!]! > tieKey[j]!))) {
        bestD[p] = bestD[p - 1]!;
        bestI[p] = bestI[p - 1]!;
        p--;
      }
      bestD[p] = d;
      bestI[p] = j;
      if (bestD.length > k) {
        bestD.length = k;
        bestI.length = k;
      }
    }
    if (!bestI.length) {
      unfilled++;
      continue;
    }
    if (numericTarget) {
      let s = 0;
      for (const j of bestI) s += tnum[j]!;
      out[i] = tidy(s / bestI.length);
    } else out[i] = modeOf(bestI.map((j) => target[j]!));
  }
  return { values: out, unfilled };
}
