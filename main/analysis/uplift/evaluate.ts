/**
 * Evaluating an uplift ranking on held-out randomised rows (one variant against control).
 *
 * Qini curve (Radcliffe 2007): rank by score; after the top k rows, Q(k) = Y_t(k) − Y_c(k)·N_t(k)/N_c(k)
 * — treated conversions minus control conversions scaled to the treated count, i.e. the incremental
 * conversions had the top k been treated. The uplift curve is the same per treated customer
 * (Q(k)/N_t(k)). AUUC is the area under the Qini curve over the targeted fraction [0, 1]; the Qini
 * coefficient is that area minus the random line's (the straight line to Q(N)), so 0 = no better
 * than random and > 0 = the ranking puts persuadables first. Its interval: a seeded bootstrap of the
 * held-out rows (percentiles). The verdict compares the best targeted share against sending to all.
 */
import { createRng, randInt } from '../../kernel/random';

export interface QiniPoint {
  /** Share of the ranked customers targeted. */
  fraction: number;
  /** Incremental conversions if those were sent (scaled to the treated count). */
  incremental: number;
  /** Incremental conversion rate among them (uplift curve). */
  uplift: number;
}

export interface QiniResult {
  points: QiniPoint[];
  auuc: number;
  /** Area between the Qini curve and the random line (both over fraction 0..1). */
  qini: number;
  /** Incremental conversions of treating everyone in the held-out set. */
  all: number;
}

/** Qini curve of `score` on rows with `treated` (1) / control (0) and outcome `y`, in `bins` steps. */
export function qiniCurve(score: ArrayLike<number>, treated: ArrayLike<number>, y: ArrayLike<number>, bins = 20): QiniResult {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  let nt = 0, nc = 0, yt = 0, yc = 0;
  const cum: { nt: number; nc: number; yt: number; yc: number }[] = [{ nt, nc, yt, yc }];
  for (const i of order) {
    if (treated[i]) { nt++; yt += y[i]! ? 1 : 0; } else { nc++; yc += y[i]! ? 1 : 0; }
    cum.push({ nt, nc, yt, yc });
  }
  const q = (c: (typeof cum)[number]) => (c.nc > 0 ? c.yt - (c.yc * c.nt) / c.nc : c.yt);
  const points: QiniPoint[] = [];
  for (let b = 0; b <= bins; b++) {
    const k = Math.round((b / bins) * n);
    const c = cum[k]!;
    const inc = k === 0 ? 0 : q(c);
    points.push({ fraction: b / bins, incremental: inc, uplift: c.nt > 0 ? inc / c.nt : 0 });
  }
  // areas by the trapezoid rule over the full resolution
  let auuc = 0;
  for (let k = 1; k <= n; k++) auuc += (q(cum[k - 1]!) * (k > 1 ? 1 : 0) + q(cum[k]!)) / 2 / n;
  const all = n ? q(cum[n]!) : 0;
  return { points, auuc, qini: auuc - all / 2, all };
}

/** Percentile interval of a statistic of the held-out rows, by a seeded bootstrap. */
export function bootstrap(n: number, stat: (rows: Int32Array) => number, opts: { replicates?: number; seed?: number; level?: number } = {}): [number, number] {
  const B = opts.replicates ?? 200;
  const rng = createRng(opts.seed ?? 1);
  const out = new Float64Array(B);
  const rows = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) rows[i] = randInt(rng, n);
    out[b] = stat(rows);
  }
  out.sort();
  const a = (1 - (opts.level ?? 0.95)) / 2;
  return [out[Math.floor(a * (B - 1))]!, out[Math.ceil((1 - a) * (B - 1))]!];
}

/** Qini coefficient of a resample (rows may repeat). */
export function qiniOf(rows: ArrayLike<number>, score: ArrayLike<number>, treated: ArrayLike<number>, y: ArrayLike<number>): number {
  const s = Float64Array.from(rows, (r) => score[r]!);
  const t = Uint8Array.from(rows, (r) => (treated[r] ? 1 : 0));
  const yy = Uint8Array.from(rows, (r) => (y[r] ? 1 : 0));
  return qiniCurve(s, t, yy, 1).qini;
}
