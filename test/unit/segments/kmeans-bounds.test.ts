/**
 * The pruned k-means (Hamerly bounds in Lloyd, triangle-inequality pruning in k-means++) must end
 * where plain Lloyd ends: at convergence every point sits with its nearest centre and every centre
 * is the mean of its points. Checked by brute force on data where many iterations are needed (no
 * cluster structure: uniform points, large k), so the bounds are exercised and loosened often.
 */
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../main/analysis/segments/kmeans';
import { createRng, randNormal } from '../../../main/kernel/random';

function bruteForceCheck(X: Float64Array, n: number, d: number, k: number, labels: Int32Array, centres: Float64Array) {
  let wrongNearest = 0;
  let inertia = 0;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    const dist = (j: number) => {
      let s = 0;
      for (let u = 0; u < d; u++) s += (X[i * d + u]! - centres[j * d + u]!) ** 2;
      return s;
    };
    for (let j = 0; j < k; j++) best = Math.min(best, dist(j));
    const own = dist(labels[i]!);
    if (own > best * (1 + 1e-12) + 1e-12) wrongNearest++;
    inertia += own;
    counts[labels[i]!]!++;
    for (let u = 0; u < d; u++) sums[labels[i]! * d + u]! += X[i * d + u]!;
  }
  let maxMeanGap = 0;
  for (let j = 0; j < k; j++) for (let u = 0; u < d; u++) maxMeanGap = Math.max(maxMeanGap, Math.abs(sums[j * d + u]! / counts[j]! - centres[j * d + u]!));
  return { wrongNearest, inertia, maxMeanGap, emptyClusters: [...counts].filter((c) => c === 0).length };
}

describe('k-means with bounds', () => {
  it.each([
    { n: 20_000, d: 2, k: 25, label: 'uniform 2-D, k=25' },
    { n: 8_000, d: 5, k: 12, label: 'Gaussian 5-D, k=12' },
  ])('$label: converged result is a Lloyd fixed point (nearest centre, centre = mean)', ({ n, d, k }) => {
    const rng = createRng(5);
    const X = new Float64Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = d === 2 ? rng() : randNormal(rng);
    const r = kmeans(X, n, d, { k, nInit: 3, seed: 1, tol: 0, maxIter: 1000, miniBatch: false });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(10); // the bounds were carried through many moves
    const c = bruteForceCheck(X, n, d, k, r.labels, r.centroids);
    expect(c.wrongNearest).toBe(0);
    expect(c.emptyClusters).toBe(0);
    expect(c.maxMeanGap).toBeLessThan(1e-9);
    expect(r.inertia).toBeCloseTo(c.inertia, 6);
    expect(r.sizes.reduce((a, b) => a + b, 0)).toBe(n);
  });
});

describe('k-means when a cluster empties', () => {
  it('fewer distinct points than k: the duplicate centre is re-seeded, every point still sits with its nearest centre', () => {
    // 3 distinct points, each repeated, and k = 4: k-means++ has nothing left to draw for the 4th centre
    // (every D² is 0), so it duplicates a centre whose cluster is empty after the first update.
    const d = 3;
    const distinct = [
      [0, 0, 0],
      [10, 0, 5],
      [0, 7, -3],
    ];
    const n = 600;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) X.set(distinct[i % 3]!, i * d);
    const r = kmeans(X, n, d, { k: 4, nInit: 2, seed: 4 });
    const c = bruteForceCheck(X, n, d, 4, r.labels, r.centroids);
    expect(c.wrongNearest).toBe(0);
    expect(r.inertia).toBe(0);
    expect(r.sizes.slice(0, 3)).toEqual([200, 200, 200]);
    expect(r.sizes[3]).toBe(0);
    // each distinct point is one cluster, and its centre is that point
    for (let q = 0; q < 3; q++) for (let u = 0; u < d; u++) expect(r.centroids[r.labels[q]! * d + u]).toBe(distinct[q]![u]);
  });
});
