/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"),
 * fitted on repeat buyers (x > 0) with zbar = mean value of their repeat purchases:
 *   LL = Σ ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln zbar + px ln x − (px+q) ln(x·zbar + v)
 * E[M | x, zbar] = (p·x·zbar + v·p) / (p·x + q − 1) … written as the weighted mean
 *   ((q−1)/(p·x+q−1)) · (v·p/(q−1)) + (p·x/(p·x+q−1)) · zbar.
 * CLV follows lifetimes' customer_lifetime_value: for months 1..H, the expected purchases in
 * that month (difference of the BG/NBD conditional expectations) × expected value, discounted
 * by (1 + d)^month.
 */
import { logGamma } from '../stats';
import { nelderMead } from './optim';
import { bgnbdExpected, type BgNbdParams } from './bgnbd';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export function fitGammaGamma(x: ArrayLike<number>, zbar: ArrayLike<number>): GammaGammaParams & { logLikelihood: number; converged: boolean } {
  if (x.length !== zbar.length || x.length === 0) throw new Error('x and zbar must be non-empty and of the same length');
  for (let i = 0; i < x.length; i++) if (!(x[i]! > 0) || !(zbar[i]! > 0)) throw new Error('Gamma-Gamma needs repeat buyers only: x > 0 and zbar > 0');
  const nll = (lp: number[]) => {
    const [p, q, v] = lp.map(Math.exp) as [number, number, number];
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const z = zbar[i]!;
      s += logGamma(p * xi + q) - logGamma(p * xi) - logGamma(q) + q * Math.log(v) + (p * xi - 1) * Math.log(z) + p * xi * Math.log(xi) - (p * xi + q) * Math.log(xi * z + v);
    }
    return Number.isFinite(s) ? -s : 1e300;
  };
  const a = nelderMead(nll, [0, 0, 0], { step: 1, tol: 1e-13, maxIter: 20000, restarts: 6 });
  const b = nelderMead(nll, [1, 1, 2], { step: 1, tol: 1e-13, maxIter: 20000, restarts: 6 });
  const best = a.fx <= b.fx ? a : b;
  const [p, q, v] = best.x.map(Math.exp) as [number, number, number];
  return { p, q, v, logLikelihood: -best.fx, converged: Math.abs(a.fx - b.fx) < 1e-4 };
}

export function ggExpectedValue(g: GammaGammaParams, x: ArrayLike<number>, zbar: ArrayLike<number>, populationMean?: number): Float64Array {
  const out = new Float64Array(x.length);
  const mean = populationMean ?? (g.v * g.p) / (g.q - 1);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) {
      out[i] = mean;
      continue;
    }
    const w = (g.p * xi) / (g.p * xi + g.q - 1);
    out[i] = (1 - w) * mean + w * zbar[i]!;
  }
  return out;
}

/** Discounted CLV over `months`, with the BG/NBD time unit given as periods per month. */
export function clvDiscounted(bg: BgNbdParams, gg: GammaGammaParams, x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>, zbar: ArrayLike<number>, opts: { months: number; discountMonthly: number; periodsPerMonth: number }): Float64Array {
  const value = ggExpectedValue(gg, x, zbar);
  const out = new Float64Array(x.length);
  let prev: Float64Array = new Float64Array(x.length);
  for (let m = 1; m <= opts.months; m++) {
    const cur = bgnbdExpected(bg, m * opts.periodsPerMonth, x, tx, T);
    for (let i = 0; i < x.length; i++) out[i]! += ((cur[i]! - prev[i]!) * value[i]!) / Math.pow(1 + opts.discountMonthly, m);
    prev = cur;
  }
  return out;
}
