/**
 * BG/NBD at x = 0 with t_x > 0 (a summary that carries the first purchase's time as recency, or
 * any t_x of a customer with no repeat). The model never reads t_x when x = 0: the likelihood is
 * Γ-terms · (α/(α+T))^r · B(a, b+1)/B(a, b) and P(alive) = 1 (lifetimes'
 * conditional_probability_alive returns 1.0 where frequency == 0). Until now this threw.
 */
import { describe, expect, it } from 'vitest';
import { bgnbdExpectedPurchases, bgnbdLogLikelihood, bgnbdPAlive, fitBgNbd } from '../../../main/analysis/value/bgnbd';
import { createRng } from '../../../main/kernel/random';
import { csv } from './load';

const p = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };

describe('BG/NBD with x = 0 and t_x > 0', () => {
  it('P(alive) is 1 and the expected purchases equal those at t_x = 0', () => {
    const pa = bgnbdPAlive(p, [0, 0, 0], [3, 17.5, 38.86], [38.86, 38.86, 38.86]);
    expect([...pa]).toEqual([1, 1, 1]);
    const e0 = bgnbdExpectedPurchases(p, 39, [0], [0], [38.86])[0]!;
    const e1 = bgnbdExpectedPurchases(p, 39, [0], [20], [38.86])[0]!;
    expect(e0).toBeGreaterThan(0);
    expect(e1).toBe(e0);
  });

  it('the CDNOW fit and its log-likelihood do not change when the x = 0 customers get random t_x ≤ T', () => {
    const { rows } = csv('cdnow-customers-summary.csv');
    const x = Float64Array.from(rows, (r) => Number(r.frequency));
    const tx = Float64Array.from(rows, (r) => Number(r.recency));
    const T = Float64Array.from(rows, (r) => Number(r.T));
    const rng = createRng(7);
    const noisy = Float64Array.from(tx, (t, i) => (x[i] === 0 ? rng() * T[i]! : t));
    const changed = noisy.filter((t, i) => x[i] === 0 && t > 0).length;
    expect(changed).toBeGreaterThan(1000); // 1,411 of the 2,357 have no repeat purchase
    expect(bgnbdLogLikelihood(p, x, noisy, T)).toBeCloseTo(bgnbdLogLikelihood(p, x, tx, T), 9);
    const a = fitBgNbd(x, tx, T, { starts: 1 });
    const b = fitBgNbd(x, noisy, T, { starts: 1 });
    expect(b.r).toBeCloseTo(a.r, 6);
    expect(b.alpha).toBeCloseTo(a.alpha, 5);
    expect(b.logLikelihood).toBeCloseTo(a.logLikelihood, 6);
    expect(b.r).toBeCloseTo(0.243, 2); // the published fit
  });
});
