/**
 * Interval and test statistics several domains share (A/B tests, satisfaction, segment
 * comparisons, geography and journey rates): domain-free, checked against published figures.
 * - Two-proportion z-test with the pooled standard error: z = (p1 − p2) / √(p̂(1−p̂)(1/n1 + 1/n2)),
 *   two-sided p = 2(1 − Φ(|z|)). 5/83 vs 12/99 → z = −1.408, p = 0.159.
 * - Wilson score interval for one proportion; Newcombe's hybrid score interval (method 10 of
 *   Newcombe 1998) for the difference p1 − p2; Holm's step-down adjustment.
 * - Welch's t-test (two-sided p from Student's t with the Welch–Satterthwaite degrees of freedom;
 *   t CDF via the regularized incomplete beta) and Cohen's d.
 */
import { logGamma, mean, normalCdf, normalQuantile, std } from './stats';

export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, conf = 0.95) {
  if (n1 <= 0 || n2 <= 0) throw new Error('both groups need at least one send');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pool = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (p1 - p2) / se : 0;
  const p = 2 * (1 - normalCdf(Math.abs(z)));
  return { p1, p2, diff: p1 - p2, z, p, ci: newcombe(x1, n1, x2, n2, conf) };
}

export function wilson(x: number, n: number, conf = 0.95): [number, number] {
  if (n === 0) return [0, 1];
  const z = normalQuantile(1 - (1 - conf) / 2);
  const p = x / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function newcombe(x1: number, n1: number, x2: number, n2: number, conf = 0.95): [number, number] {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilson(x1, n1, conf);
  const [l2, u2] = wilson(x2, n2, conf);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** Holm's step-down adjustment of p-values (returned in the input order). */
export function holm(ps: number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adj = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adj[i] = running;
  });
  return adj;
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
