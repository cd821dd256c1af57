/** The minimisers on textbook functions with known minima. */
import { describe, expect, it } from 'vitest';
import { bfgs, lbfgs, minimizeMultiStart, nelderMead } from '../../../main/kernel/optim';

// Rosenbrock: minimum 0 at (1, 1, …).
const rosen = (x: Float64Array) => {
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) f += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return f;
};
const rosenGrad = (x: Float64Array, g: Float64Array) => {
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! ** 2;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * (1 - x[i]!);
    g[i + 1] = g[i + 1]! + 200 * a;
  }
};

describe('minimisers', () => {
  it('BFGS with analytic and numeric gradients reaches the Rosenbrock minimum', () => {
    for (const g of [rosenGrad, null]) {
      const r = bfgs(rosen, g, [-1.2, 1]);
      expect(r.converged).toBe(true);
      expect(r.x[0]).toBeCloseTo(1, 5);
      expect(r.x[1]).toBeCloseTo(1, 5);
    }
  });

  it('L-BFGS on a 20-dimensional Rosenbrock', () => {
    const r = lbfgs(rosen, rosenGrad, new Float64Array(20).fill(-1));
    expect(r.f).toBeLessThan(1e-10);
    for (const v of r.x) expect(v).toBeCloseTo(1, 4);
  });

  it('an optimum on the edge of the box: BFGS stops ten steps after reaching it, and no Nelder–Mead rescue follows', () => {
    // finite only for |x| ≤ 8; falls forever along x0, so the best point is on the edge x0 = 8
    const B = 8;
    const f = (x: ArrayLike<number>) => (Math.abs(x[0]!) > B || Math.abs(x[1]!) > B ? Infinity : Math.exp(-x[0]!) + (x[1]! - 1) ** 2);
    const g = (x: ArrayLike<number>, out: Float64Array) => {
      out[0] = -Math.exp(-x[0]!);
      out[1] = 2 * (x[1]! - 1);
    };
    const onEdge = (x: Float64Array) => Math.abs(x[0]!) >= B - 1e-3 || Math.abs(x[1]!) >= B - 1e-3;
    const crawl = minimizeMultiStart(f, g, [[0, 0], [1, -1]], { maxIter: 500 });
    const stop = minimizeMultiStart(f, g, [[0, 0], [1, -1]], { maxIter: 500, onEdge });
    for (const r of [crawl, stop]) {
      expect(r.converged).toBe(false);
      expect(r.x[0]).toBeGreaterThan(B - 1e-2);
      expect(r.x[1]).toBeCloseTo(1, 3);
    }
    expect(stop.starts).toBe(2); // no rescue
    expect(crawl.starts).toBe(3);
    expect(stop.evaluations).toBeLessThan(crawl.evaluations);
    expect(stop.f - crawl.f).toBeLessThan(1e-3);
  });

  it('starts that end on the edge at the same value end the multi-start; an edge reached at another value does not', () => {
    const B = 8;
    // falls towards both walls of x0, to different values: e^−8 on the right, 2·e^−8 on the left
    const k = (x0: number) => (x0 >= 0 ? 1 : 2);
    const f = (x: ArrayLike<number>) => (Math.abs(x[0]!) > B || Math.abs(x[1]!) > B ? Infinity : k(x[0]!) * Math.exp(-Math.abs(x[0]!)) + (x[1]! - 1) ** 2);
    const g = (x: ArrayLike<number>, out: Float64Array) => {
      out[0] = -Math.sign(x[0]!) * k(x[0]!) * Math.exp(-Math.abs(x[0]!));
      out[1] = 2 * (x[1]! - 1);
    };
    const onEdge = (x: Float64Array) => Math.abs(x[0]!) >= B - 1e-3 || Math.abs(x[1]!) >= B - 1e-3;
    const same = minimizeMultiStart(f, g, [[1, 0], [2, -1], [3, 2], [0.5, 1]], { maxIter: 500, onEdge, box: B });
    expect(same.values.length).toBe(2); // the second agreed with the first: the other two never ran
    expect(same.starts).toBe(2);
    expect(same.x[0]).toBe(B);
    const apart = minimizeMultiStart(f, g, [[1, 0], [-1, 0], [-2, 1], [2, 1]], { maxIter: 500, onEdge, box: B });
    expect(apart.values.length).toBe(3); // left wall ≠ right wall, then the left wall again
    expect(apart.x[0]).toBe(B); // the best is still the right wall
    const all = minimizeMultiStart(f, g, [[1, 0], [2, -1], [3, 2], [0.5, 1]], { maxIter: 500, box: B });
    expect(all.values.length).toBe(5); // without onEdge nothing is known of the edge: every start ran, and the rescue after them
  });

  it('with the box given, a line search stops at its wall: the edge optimum is reached exactly, in fewer evaluations', () => {
    const B = 8;
    let outside = 0;
    const f = (x: ArrayLike<number>) => {
      if (Math.abs(x[0]!) > B || Math.abs(x[1]!) > B) {
        outside++;
        return Infinity;
      }
      return Math.exp(-x[0]!) + (x[1]! - 1) ** 2;
    };
    const g = (x: ArrayLike<number>, out: Float64Array) => {
      out[0] = -Math.exp(-x[0]!);
      out[1] = 2 * (x[1]! - 1);
    };
    const onEdge = (x: Float64Array) => Math.abs(x[0]!) >= B - 1e-3 || Math.abs(x[1]!) >= B - 1e-3;
    const blind = minimizeMultiStart(f, g, [[0, 0], [1, -1]], { maxIter: 500, onEdge });
    expect(outside).toBeGreaterThan(0); // without the box, steps past the wall were tried and bisected back
    outside = 0;
    const walled = minimizeMultiStart(f, g, [[0, 0], [1, -1]], { maxIter: 500, onEdge, box: B });
    expect(outside).toBe(0);
    expect(walled.x[0]).toBe(B); // on the wall itself, not bisected to just short of it
    expect(walled.x[1]).toBeCloseTo(1, 3);
    expect(walled.f).toBeLessThanOrEqual(blind.f);
    expect(walled.evaluations).toBeLessThan(blind.evaluations);
    expect(walled.converged).toBe(false);
  });

  it('with the box given, an optimum inside it is found as without (same bits when no step reaches the wall)', () => {
    const plain = minimizeMultiStart(rosen, rosenGrad, [[-1.2, 1], [0.5, 0.5]]);
    const boxed = minimizeMultiStart(rosen, rosenGrad, [[-1.2, 1], [0.5, 0.5]], { box: 50 });
    expect(Array.from(boxed.x)).toEqual(Array.from(plain.x));
    expect(boxed.f).toBe(plain.f);
  });

  it('Nelder–Mead with restarts', () => {
    const r = nelderMead(rosen, [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('+∞ outside the domain is respected (log barrier-free box)', () => {
    // minimum of (x − 3)² restricted to x ≤ 2 → boundary at 2
    const f = (x: Float64Array) => (x[0]! > 2 ? Infinity : (x[0]! - 3) ** 2);
    const r = minimizeMultiStart(f, null, [[0], [-5]]);
    expect(r.x[0]).toBeLessThanOrEqual(2);
    expect(r.x[0]).toBeGreaterThan(1.99);
    expect(r.starts).toBeGreaterThanOrEqual(2);
  });

  it('cancellation', () => {
    expect(() => bfgs(rosen, rosenGrad, [-1.2, 1], { shouldCancel: () => true })).toThrow('cancelled');
  });
});
