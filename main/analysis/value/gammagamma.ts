/**
 * Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves"; Colombo & Jiang 1999), and lifetimes-style customer lifetime value.
 *
 * A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers (the
 * code calls γ "v", like lifetimes). With x repeat transactions of mean value z̄:
 *   ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln z̄ + px ln x − (px+q) ln(x z̄ + v)
 * (lifetimes' convention, which omits the z̄-free constant −ln Γ… of the full density of the x
 * values; the optimum is the same). Fitted by maximum likelihood on ln(p, q, v) with BFGS and the
 * analytic gradient from several starts (θ = 0 and seeded N(0,1) starts), the best optimum wins,
 * like BG/NBD. Only customers with x > 0 and z̄ > 0 may be passed. The model assumes that spend
 * does not depend on frequency: `independenceCheck` gives the Pearson correlation of x and z̄ over
 * repeat buyers (near 0 is good; the app marks |ρ| < 0.3 as acceptable).
 *
 * E[Z | x, z̄] = (p (v + x z̄)) / (p x + q − 1)   (x = 0 → population mean p v / (q − 1))
 * CLV (lifetimes' customer_lifetime_value): with k model time units per month (30 for days,
 * 4.345 for weeks) and monthly discount rate d,
 *   CLV = Σ_{m=1..H} E[Z] · (E[Y(m·k)] − E[Y((m−1)·k)]) / (1 + d)^m
 * where E[Y(t)] is the BG/NBD conditional expected number of purchases in (T, T+t].
 */
import { createRng, deriveSeed, randNormal } from '../../kernel/random';
import { logGamma } from '../../kernel/stats';
import { digamma } from './special';
import { fusedObjective, minimizeMultiStart } from '../../kernel/optim';
import { expectedPurchasesAt, expectedPurchasesBasis, type BgNbdParams, type ExpectedPurchasesBasis } from './bgnbd';
import { CancelledError } from '../../../shared/errors';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  starts: number;
  n: number;
}

function checkGg(name: string, frequency: ArrayLike<number>, monetary: ArrayLike<number>, positiveOnly: boolean): void {
  if (!frequency || !monetary) throw new Error(`${name}: frequency and monetary values are required`);
  if (frequency.length !== monetary.length) throw new Error(`${name}: frequency (${frequency.length}) and monetary (${monetary.length}) must have the same length`);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i]!;
    const z = monetary[i]!;
    if (!(Number.isFinite(x) && x >= 0)) throw new Error(`${name}: frequency[${i}] = ${x} must be a non-negative number`);
    if (!Number.isFinite(z) || z < 0) throw new Error(`${name}: monetary[${i}] = ${z} must be a non-negative number`);
    if (positiveOnly && !(x > 0 && z > 0))
      throw new Error(`${name}: row ${i} has frequency ${x} and monetary ${z}; pass only repeat buyers (frequency > 0, monetary > 0)`);
  }
}

function checkGgParams(name: string, p: GammaGammaParams): void {
  if (!p) throw new Error(`${name}: params are required`);
  for (const k of ['p', 'q', 'v'] as const) if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new Error(`${name}: parameter ${k} must be a positive number`);
}

/**
 * The data in the form the likelihood uses. Only s = x·z̄ + v changes with the parameters row by
 * row; the terms in Γ and ψ change only with x (a few dozen distinct values), and Σ ln z̄ not at all:
 * they are grouped or summed once here (a fit evaluates the likelihood thousands of times, over
 * 600k repeat buyers at 5M order lines).
 */
interface GgData {
  x: Float64Array;
  /** x·z̄ and ln(x·z̄) per row. */
  xz: Float64Array;
  lnXZ: Float64Array;
  /** Distinct x and how many rows have each. */
  ux: Float64Array;
  count: Float64Array;
  n: number;
  sumLnZ: number;
}

function ggData(x: Float64Array, z: Float64Array): GgData {
  const pos = new Map<number, number>();
  const ux: number[] = [];
  const count: number[] = [];
  let sumLnZ = 0;
  for (let i = 0; i < x.length; i++) {
    let j = pos.get(x[i]!);
    if (j === undefined) {
      pos.set(x[i]!, (j = ux.length));
      ux.push(x[i]!);
      count.push(0);
    }
    count[j]!++;
    sumLnZ += Math.log(z[i]!);
  }
  const xz = x.map((xi, i) => xi * z[i]!);
  return { x, xz, lnXZ: xz.map(Math.log), ux: Float64Array.from(ux), count: Float64Array.from(count), n: x.length, sumLnZ };
}

/**
 * Σ ln L over rows and its gradient in (p, q, v) when `grad` is given, with
 *   ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln(v/s) + px ln(x z̄/s) − ln z̄,  s = x z̄ + v
 * (the usual form regrouped). Each row adds ln(v/s) and ln(x z̄/s), small numbers whose sums keep
 * their precision; summing q ln v, px ln x, … separately would cancel terms of 10⁷ down to the
 * gradient tolerance, and the fit would stop short of the optimum.
 */
function ggLogLik(p: number, q: number, v: number, d: GgData, grad: Float64Array | null): number {
  const lgQ = logGamma(q);
  const psiQ = grad ? digamma(q) : 0;
  // Γ and ψ depend on the row through x only: once per distinct x
  let sumLg = 0;
  let sumXPsi = 0;
  let sumPsi = 0;
  for (let j = 0; j < d.ux.length; j++) {
    const px = p * d.ux[j]!;
    const c = d.count[j]!;
    sumLg += c * (logGamma(px + q) - logGamma(px) - lgQ);
    if (grad) {
      const psiPQ = digamma(px + q);
      sumXPsi += c * d.ux[j]! * (psiPQ - digamma(px));
      sumPsi += c * (psiPQ - psiQ);
    }
  }
  const lnV = Math.log(v);
  let sumVS = 0; // Σ ln(v/s)
  let sumXZS = 0; // Σ x ln(x z̄/s)
  let sumDiffInv = 0; // Σ (1/v − 1/s)
  let sumXInv = 0; // Σ x/s
  const { x, xz, lnXZ, n } = d;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const s = xz[i]! + v;
    const lnS = Math.log(s);
    sumVS += lnV - lnS;
    sumXZS += xi * (lnXZ[i]! - lnS);
    if (grad) {
      const inv = 1 / s;
      sumDiffInv += xz[i]! * inv; // v(1/v − 1/s) = x z̄/s
      sumXInv += xi * inv;
    }
  }
  if (grad) {
    grad[0] = sumXPsi + sumXZS;
    grad[1] = sumPsi + sumVS;
    grad[2] = (q * sumDiffInv) / v - p * sumXInv;
  }
  return sumLg + q * sumVS + p * sumXZS - d.sumLnZ;
}

/** Maximum-likelihood Gamma-Gamma fit on repeat buyers (frequency > 0, monetary = z̄ > 0). */
export function fitGammaGamma(
  frequency: ArrayLike<number>,
  monetary: ArrayLike<number>,
  opts: { starts?: number; seed?: number; penalizer?: number; shouldCancel?: () => boolean } = {},
): GammaGammaFit {
  checkGg('fitGammaGamma', frequency, monetary, true);
  if (frequency.length < 2) throw new Error('fitGammaGamma: at least two repeat buyers are needed');
  const nStarts = opts.starts ?? 4;
  if (!(Number.isInteger(nStarts) && nStarts >= 1 && nStarts <= 100)) throw new Error('fitGammaGamma: starts must be an integer from 1 to 100');
  const penalizer = opts.penalizer ?? 0;
  if (!(Number.isFinite(penalizer) && penalizer >= 0)) throw new Error('fitGammaGamma: penalizer must be a non-negative number');
  const data = ggData(Float64Array.from(frequency), Float64Array.from(monetary));
  const n = data.x.length;
  const bound = Math.log(1e8);
  const g3 = new Float64Array(3);
  const fused = fusedObjective(3, (th, g) => {
    const pr = [Math.exp(th[0]!), Math.exp(th[1]!), Math.exp(th[2]!)];
    const value = -ggLogLik(pr[0]!, pr[1]!, pr[2]!, data, g3) / n + penalizer * (pr[0]! ** 2 + pr[1]! ** 2 + pr[2]! ** 2);
    for (let k = 0; k < 3; k++) g[k] = (-g3[k]! / n + 2 * penalizer * pr[k]!) * pr[k]!;
    return value;
  });
  const f = (th: Float64Array): number => {
    if (!th.every((t) => Math.abs(t) <= bound)) return Infinity;
    if (opts.shouldCancel && opts.shouldCancel()) throw new CancelledError();
    return fused.f(th);
  };
  const grad = fused.grad;
  const starts: Float64Array[] = [new Float64Array(3)];
  const rng = createRng(deriveSeed(opts.seed ?? 0, 11));
  for (let s = 1; s < nStarts; s++) starts.push(Float64Array.from({ length: 3 }, () => randNormal(rng)));
  // The Gamma-Gamma likelihood is flat along a ridge: a tight gradient tolerance is needed.
  const onEdge = (th: Float64Array) => !th.every((t) => Math.abs(t) < bound - 1e-3);
  const res = minimizeMultiStart(f, grad, starts, { gradTol: 1e-9, maxIter: 2000, shouldCancel: opts.shouldCancel, onEdge, box: bound });
  const p = Math.exp(res.x[0]!);
  const q = Math.exp(res.x[1]!);
  const v = Math.exp(res.x[2]!);
  const onBoundary = onEdge(res.x);
  return { p, q, v, logLikelihood: ggLogLik(p, q, v, data, null), converged: res.converged && !onBoundary, iterations: res.iterations, starts: res.starts, n };
}

/** Conditional expected average transaction value E[Z | x, z̄] per customer. */
export function expectedAverageValue(params: GammaGammaParams, x: ArrayLike<number>, zbar: ArrayLike<number>): Float64Array {
  checkGgParams('expectedAverageValue', params);
  checkGg('expectedAverageValue', x, zbar, false);
  const { p, q, v } = params;
  if (!(q > 1)) throw new Error('expectedAverageValue: q must exceed 1 for the expected value to exist');
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (p * (v + x[i]! * zbar[i]!)) / (p * x[i]! + q - 1);
  return out;
}

/** Pearson correlation between frequency and mean repeat value over repeat buyers (x > 0). */
export function independenceCheck(x: ArrayLike<number>, zbar: ArrayLike<number>): { pearson: number; n: number } {
  checkGg('independenceCheck', x, zbar, false);
  let n = 0;
  let sx = 0;
  let sz = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! > 0)) continue;
    n++;
    sx += x[i]!;
    sz += zbar[i]!;
  }
  if (n < 3) return { pearson: NaN, n };
  const mx = sx / n;
  const mz = sz / n;
  let cxz = 0;
  let cxx = 0;
  let czz = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! > 0)) continue;
    const dx = x[i]! - mx;
    const dz = zbar[i]! - mz;
    cxz += dx * dz;
    cxx += dx * dx;
    czz += dz * dz;
  }
  return { pearson: cxx > 0 && czz > 0 ? cxz / Math.sqrt(cxx * czz) : NaN, n };
}

export interface ClvOptions {
  /** Number of months (discounting steps) in the horizon, e.g. 12. */
  horizonPeriods: number;
  /** Discount rate per month, e.g. 0.01. */
  discountRatePerPeriod: number;
  /** Model time units per month: 4.345 when the model was fitted in weeks (default), 30 for days. */
  periodsPerMonth?: number;
}

/** Discounted customer lifetime value (lifetimes' customer_lifetime_value; see the module comment). */
export function clv(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  zbar: ArrayLike<number>,
  opts: ClvOptions,
  /** The caller's basis for these customers and `bg`, when it has one (the CLV job builds it for P(alive) already). */
  given?: ExpectedPurchasesBasis,
): Float64Array {
  if (!opts) throw new Error('clv: options { horizonPeriods, discountRatePerPeriod } are required');
  const { horizonPeriods, discountRatePerPeriod } = opts;
  const k = opts.periodsPerMonth ?? 4.345;
  if (!(Number.isInteger(horizonPeriods) && horizonPeriods >= 1 && horizonPeriods <= 1200)) throw new Error('clv: horizonPeriods must be an integer from 1 to 1200');
  if (!(Number.isFinite(discountRatePerPeriod) && discountRatePerPeriod > -1)) throw new Error('clv: discountRatePerPeriod must be a number above −1');
  if (!(Number.isFinite(k) && k > 0)) throw new Error('clv: periodsPerMonth must be positive');
  if (zbar.length !== x.length) throw new Error('clv: zbar must have the same length as x');
  const value = expectedAverageValue(gg, x, zbar);
  const out = new Float64Array(x.length);
  let prev: Float64Array = new Float64Array(x.length);
  const basis = given ?? expectedPurchasesBasis(bg, x, tx, T);
  for (let m = 1; m <= horizonPeriods; m++) {
    const cum = expectedPurchasesAt(basis, m * k);
    const disc = Math.pow(1 + discountRatePerPeriod, m);
    for (let i = 0; i < x.length; i++) out[i] = out[i]! + (value[i]! * (cum[i]! - prev[i]!)) / disc;
    prev = cum;
  }
  return out;
}

/**
 * Value deciles for a "CLV decile" segmentation: 10 = highest tenth, 1 = lowest. Customers are
 * ranked ascending; tied values share their mean rank, so equal values always land in the same
 * decile; decile = ⌊10·(mean rank − 1)/n⌋ + 1 with ranks 1..n.
 */
export function valueDeciles(values: ArrayLike<number>): Uint8Array {
  if (!values || typeof values.length !== 'number') throw new Error('valueDeciles: values must be an array of numbers');
  const n = values.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) throw new Error(`valueDeciles: value ${i} is not a finite number`);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]!] === values[idx[i]!]) j++;
    const meanRank = (i + j) / 2 + 1;
    const d = Math.min(10, Math.floor((10 * (meanRank - 1)) / n) + 1);
    for (let k = i; k <= j; k++) out[idx[k]!] = d;
    i = j + 1;
  }
  return out;
}
