/**
 * Segment profiles and comparisons: per-segment mean/median of each feature, a segment ×
 * feature z-score matrix (segment mean minus overall mean, over the overall population std),
 * Welch's t-test between two segments per feature (two-sided p from Student's t with the
 * Welch–Satterthwaite degrees of freedom; t CDF via the regularized incomplete beta) and
 * Cohen's d; and migration counts between two labelings (from → to) for a Sankey.
 */
import { logGamma, mean, median, std } from '../stats';

export interface Profile {
  segment: string;
  size: number;
  share: number;
  mean: number[];
  median: number[];
}

export function profiles(features: string[], columns: Float64Array[], labels: string[]): { profiles: Profile[]; zscores: number[][]; overallMean: number[]; overallStd: number[] } {
  const segs = [...new Set(labels)];
  const overallMean = columns.map((c) => mean(c));
  const overallStd = columns.map((c) => std(c, true));
  const idx = new Map<string, number[]>();
  labels.forEach((l, i) => {
    let a = idx.get(l);
    if (!a) idx.set(l, (a = []));
    a.push(i);
  });
  const out: Profile[] = segs.map((s) => {
    const rows = idx.get(s)!;
    return {
      segment: s,
      size: rows.length,
      share: rows.length / labels.length,
      mean: columns.map((c) => mean(rows.map((r) => c[r]!))),
      median: columns.map((c) => median(rows.map((r) => c[r]!))),
    };
  });
  out.sort((a, b) => b.size - a.size);
  const zscores = out.map((p) => p.mean.map((m, j) => (overallStd[j]! > 0 ? (m - overallMean[j]!) / overallStd[j]! : 0)));
  void features;
  return { profiles: out, zscores, overallMean, overallStd };
}

/** Regularized incomplete beta I_x(a, b) (continued fraction, Numerical Recipes betacf). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  const cf = (xx: number, aa: number, bb: number) => {
    const qab = aa + bb;
    const qap = aa + 1;
    const qam = aa - 1;
    let c = 1;
    let d = 1 - (qab * xx) / qap;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    d = 1 / d;
    let h = d;
    for (let m = 1; m <= 300; m++) {
      const m2 = 2 * m;
      let aa2 = (m * (bb - m) * xx) / ((qam + m2) * (aa + m2));
      d = 1 + aa2 * d;
      if (Math.abs(d) < 1e-300) d = 1e-300;
      c = 1 + aa2 / c;
      if (Math.abs(c) < 1e-300) c = 1e-300;
      d = 1 / d;
      h *= d * c;
      aa2 = (-(aa + m) * (qab + m) * xx) / ((aa + m2) * (qap + m2));
      d = 1 + aa2 * d;
      if (Math.abs(d) < 1e-300) d = 1e-300;
      c = 1 + aa2 / c;
      if (Math.abs(c) < 1e-300) c = 1e-300;
      d = 1 / d;
      const del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 3e-14) break;
    }
    return h;
  };
  return x < (a + 1) / (a + b + 2) ? (bt * cf(x, a, b)) / a : 1 - (bt * cf(1 - x, b, a)) / b;
}

/** Two-sided p-value of Student's t with df degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export function welchTest(a: ArrayLike<number>, b: ArrayLike<number>): { t: number; df: number; p: number; diff: number; cohenD: number } {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return { t: NaN, df: NaN, p: NaN, diff: mean(a) - mean(b), cohenD: NaN };
  const ma = mean(a);
  const mb = mean(b);
  const va = std(a) ** 2;
  const vb = std(b) ** 2;
  const se2 = va / na + vb / nb;
  const t = se2 > 0 ? (ma - mb) / Math.sqrt(se2) : 0;
  const df = se2 > 0 ? se2 ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1)) : na + nb - 2;
  const pooled = Math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2));
  return { t, df, p: se2 > 0 ? tTwoSidedP(t, df) : 1, diff: ma - mb, cohenD: pooled > 0 ? (ma - mb) / pooled : 0 };
}

export function migration(from: Map<string, string>, to: Map<string, string>): { from: string; to: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const [cust, a] of from) {
    const b = to.get(cust) ?? '(gone)';
    const key = `${a}\u0001${b}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [cust, b] of to) if (!from.has(cust)) counts.set(`(new)\u0001${b}`, (counts.get(`(new)\u0001${b}`) ?? 0) + 1);
  return [...counts].map(([k, count]) => {
    const [f, t] = k.split('\u0001');
    return { from: f!, to: t!, count };
  }).sort((x, y) => y.count - x.count);
}
