/**
 * A/B testing of response or conversion rates.
 * - The z-test, Wilson/Newcombe intervals and Holm's adjustment are the kernel's (main/kernel/intervals.ts).
 * - More than two variants: each against the control, p-values adjusted with Holm's step-down.
 * - Sample size per group for detecting p1 vs p2 (two-sided α, power 1 − β):
 *   n = [z_{α/2} √(2 p̄ q̄) + z_β √(p1 q1 + p2 q2)]² / (p1 − p2)², p̄ = (p1 + p2)/2 (Fleiss,
 *   without continuity correction). 0.10 vs 0.12 at α 0.05, power 0.8 → 3,841.
 */
import { normalCdf, normalQuantile } from '../../kernel/stats';
import { holm, twoProportionZTest } from '../../kernel/intervals';

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
