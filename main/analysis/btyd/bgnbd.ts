/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). Per customer:
 * x = repeat purchases, t_x = time of the last purchase, T = age, all in one time unit.
 *   LL = Σ ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x) ]
 * Fitted by maximum likelihood over log-parameters (so all stay positive) with Nelder–Mead
 * and restarts, from several seeded starting points; the best log-likelihood wins and a fit
 * is flagged non-converged when the starts disagree.
 */
import { logGamma } from '../stats';
import { createRng } from '../random';
import { nelderMead } from './optim';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

function check(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): void {
  if (x.length !== tx.length || x.length !== T.length) throw new Error('x, t_x and T must have the same length');
  if (x.length === 0) throw new Error('no customers');
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! >= 0) || !(tx[i]! >= 0) || !(T[i]! >= tx[i]! - 1e-9) || !Number.isFinite(T[i]!)) throw new Error(`invalid summary for customer ${i}: x=${x[i]}, t_x=${tx[i]}, T=${T[i]}`);
  }
}

const lbeta = (p: number, q: number) => logGamma(p) + logGamma(q) - logGamma(p + q);

export function bgnbdLogLikelihood(p: BgNbdParams, x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): number {
  const { r, alpha, a, b } = p;
  let ll = 0;
  const base = -logGamma(r) + r * Math.log(alpha) - lbeta(a, b);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const a3 = -(r + xi) * Math.log(alpha + T[i]!);
    let term = a3;
    if (xi > 0) {
      const a4 = Math.log(a) - Math.log(b + xi - 1) - (r + xi) * Math.log(alpha + tx[i]!);
      const m = Math.max(a3, a4);
      term = m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
    }
    ll += base + logGamma(r + xi) + lbeta(a, b + xi) + term;
  }
  return ll;
}

export function fitBgNbd(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>, opts: { starts?: number; seed?: number } = {}): BgNbdParams & { logLikelihood: number; converged: boolean; iterations: number } {
  check(x, tx, T);
  // Group identical (x, t_x, T) rows: the likelihood only depends on them.
  const groups = new Map<string, number>();
  for (let i = 0; i < x.length; i++) {
    const k = `${x[i]},${tx[i]},${T[i]}`;
    groups.set(k, (groups.get(k) ?? 0) + 1);
  }
  const gx: number[] = [];
  const gt: number[] = [];
  const gT: number[] = [];
  const w: number[] = [];
  for (const [k, n] of groups) {
    const [a, b, c] = k.split(',').map(Number);
    gx.push(a!);
    gt.push(b!);
    gT.push(c!);
    w.push(n);
  }
  const nll = (lp: number[]) => {
    const p = { r: Math.exp(lp[0]!), alpha: Math.exp(lp[1]!), a: Math.exp(lp[2]!), b: Math.exp(lp[3]!) };
    let s = 0;
    for (let i = 0; i < gx.length; i++) s += w[i]! * bgnbdLogLikelihood(p, [gx[i]!], [gt[i]!], [gT[i]!]);
    return Number.isFinite(s) ? -s : 1e300;
  };
  const rng = createRng(opts.seed ?? 0);
  const starts = opts.starts ?? 4;
  let best: { x: number[]; fx: number; iterations: number } | null = null;
  const found: number[] = [];
  let iterations = 0;
  for (let s = 0; s < starts; s++) {
    const x0 = s === 0 ? [0, 0, 0, 0] : [rng() * 2 - 1.5, rng() * 3 - 0.5, rng() * 2 - 1, rng() * 2 - 0.5];
    const r = nelderMead(nll, x0, { step: 1, tol: 1e-12, maxIter: 20000, restarts: 6 });
    iterations += r.iterations;
    found.push(r.fx);
    if (!best || r.fx < best.fx) best = r;
  }
  const p = best!.x.map(Math.exp);
  const agree = found.filter((f) => Math.abs(f - best!.fx) < 1e-3).length;
  return { r: p[0]!, alpha: p[1]!, a: p[2]!, b: p[3]!, logLikelihood: -best!.fx, converged: agree >= Math.min(2, starts), iterations };
}

/** P(alive | x, t_x, T). */
export function bgnbdPAlive(p: BgNbdParams, x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) {
      out[i] = 1;
      continue;
    }
    const ratio = (p.a / (p.b + xi - 1)) * Math.pow((p.alpha + T[i]!) / (p.alpha + tx[i]!), p.r + xi);
    out[i] = 1 / (1 + ratio);
  }
  return out;
}

/** Gauss hypergeometric 2F1(a, b; c; z) by its series (|z| < 1). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 10000; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) < 1e-14 * Math.abs(sum)) break;
  }
  return sum;
}

/** E[X(t) | x, t_x, T]: expected purchases in the next t periods. */
export function bgnbdExpected(p: BgNbdParams, t: number, x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): Float64Array {
  const { r, alpha, a, b } = p;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const z = t / (alpha + T[i]! + t);
    const hyp = hyp2f1(r + xi, b + xi, a + b + xi - 1, z);
    const num = ((a + b + xi - 1) / (a - 1)) * (1 - Math.pow((alpha + T[i]!) / (alpha + T[i]! + t), r + xi) * hyp);
    const den = 1 + (xi > 0 ? (a / (b + xi - 1)) * Math.pow((alpha + T[i]!) / (alpha + tx[i]!), r + xi) : 0);
    out[i] = num / den;
  }
  return out;
}

/** E[X(t)] for a new customer (population curve for calibration-vs-holdout charts). */
export function bgnbdPopulationExpected(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}
