/**
 * A/B testing of response or conversion rates.
 * - Two-proportion z-test with the pooled standard error: z = (p1 − p2) / √(p̂(1−p̂)(1/n1 + 1/n2)),
 *   two-sided p = 2(1 − Φ(|z|)). 5/83 vs 12/99 → z = −1.408, p = 0.159.
 * - Wilson score interval for one proportion; Newcombe's hybrid score interval (method 10 of
 *   Newcombe 1998) for the difference p1 − p2.
 * - More than two variants: each against the control, p-values adjusted with Holm's step-down.
 * - Sample size per group for detecting p1 vs p2 (two-sided α, power 1 − β):
 *   n = [z_{α/2} √(2 p̄ q̄) + z_β √(p1 q1 + p2 q2)]² / (p1 − p2)², p̄ = (p1 + p2)/2 (Fleiss,
 *   without continuity correction). 0.10 vs 0.12 at α 0.05, power 0.8 → 3,841.
 */
import { normalCdf, normalQuantile } from '../stats';

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

export function versusControl(variants: { name: string; x: number; n: number }[], control = 0) {
  const c = variants[control]!;
  const tests = variants.map((v, i) => (i === control ? null : { name: v.name, ...twoProportionZTest(v.x, v.n, c.x, c.n) }));
  const raw = tests.filter((t): t is NonNullable<typeof t> => t !== null);
  const adjusted = holm(raw.map((t) => t.p));
  return raw.map((t, i) => ({ ...t, pHolm: adjusted[i]! }));
}

export function sampleSize(p1: number, p2: number, opts: { alpha?: number; power?: number } = {}): number {
  const za = normalQuantile(1 - (opts.alpha ?? 0.05) / 2);
  const zb = normalQuantile(opts.power ?? 0.8);
  const pbar = (p1 + p2) / 2;
  const n = (za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p1 - p2) ** 2;
  return Math.ceil(n);
}

export function power(n: number, p1: number, p2: number, alpha = 0.05): number {
  const za = normalQuantile(1 - alpha / 2);
  const pbar = (p1 + p2) / 2;
  const z = (Math.abs(p1 - p2) * Math.sqrt(n) - za * Math.sqrt(2 * pbar * (1 - pbar))) / Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return normalCdf(z);
}

export function verdict(r: { p1: number; p2: number; p: number; ci: [number, number] }, names: [string, string], lang: 'zh' | 'en', alpha = 0.05): string {
  const pts = (v: number) => (v * 100).toFixed(1);
  const better = r.p1 >= r.p2 ? 0 : 1;
  const diff = Math.abs(r.p1 - r.p2);
  const ci = `${pts(r.ci[0])}–${pts(r.ci[1])}`;
  if (lang === 'zh') {
    return r.p < alpha
      ? `${names[better]} 的转化率高 ${pts(diff)} 个百分点（差值 95% 置信区间 ${ci} 个百分点，p = ${r.p.toFixed(3)}），差异显著。`
      : `两版差 ${pts(diff)} 个百分点，但不显著（p = ${r.p.toFixed(3)}，95% 置信区间 ${ci} 个百分点）：还不能判定哪个更好。`;
  }
  return r.p < alpha
    ? `${names[better]} converts ${pts(diff)} points better (95% CI of the difference ${ci} points, p = ${r.p.toFixed(3)}): a significant difference.`
    : `The variants differ by ${pts(diff)} points, which is not significant (p = ${r.p.toFixed(3)}, 95% CI ${ci} points): no winner yet.`;
}
