/**
 * Special functions for the value models (ln Γ itself lives in ../stats).
 *
 * - digamma ψ(x), x > 0: recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then the asymptotic series
 *   ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18), |error| < 1e-14.
 * - hyp2f1(a, b; c; z), Gauss hypergeometric ₂F₁ for 0 ≤ z < 1 by its power series
 *   Σ (a)ₖ(b)ₖ/(c)ₖ zᵏ/k!, summed until the term is below 1e-16 of the sum. Callers apply Euler's
 *   transformation first when it makes the series shorter (see bgnbd.ts).
 */
import { logGamma } from '../../kernel/stats';

export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  // B2/2 = 1/12, B4/4 = -1/120, B6/6 = 1/252, B8/8 = -1/240, B10/10 = 1/132, B12/12 = -691/32760
  const series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760))))));
  return r + Math.log(x) - 0.5 / x - series;
}

export { logGamma };

/** ₂F₁(a, b; c; z) for 0 ≤ z < 1 (power series). Throws if it fails to converge in maxTerms. */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 1_000_000): number {
  if (!(z >= 0 && z < 1)) throw new Error(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new Error('hyp2f1: c must not be a non-positive integer');
  let term = 1;
  let sum = 1;
  for (let k = 0; k < maxTerms; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (term === 0 || Math.abs(term) <= 1e-16 * Math.abs(sum)) {
      // A zero term of a terminating series (a or b a non-positive integer) ends it exactly.
      return sum;
    }
  }
  throw new Error(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge`);
}
