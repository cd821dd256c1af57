/**
 * k-means on two threads must give exactly what one thread gives: the same labels, centres, inertia
 * and sizes, whichever thread made the winning restart; progress counts both threads' runs; a cancel
 * stops both. Data: uniform points, where restarts end in different local optima (so the winner is
 * a real choice), and planted blobs.
 */
import { describe, expect, it } from 'vitest';
import { kmeans, lloydRuns, pickRun } from '../../../main/analysis/segments/kmeans';
import { kmeansOnCores } from '../../../main/services/segments/kmeans-threads';
import { createRng, randNormal } from '../../../main/kernel/random';
import { CancelledError } from '../../../shared/errors';

function uniform(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => rng());
}

function blobs(n: number, d: number, k: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => randNormal(rng) * 5));
  const m = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let u = 0; u < d; u++) m[i * d + u] = centres[i % k]![u]! + randNormal(rng);
  return m;
}

const n = 40_000;
const d = 3;
const k = 7;
const nInit = 6;
const TWO = 0; // a second thread at any size (the app waits for 10M values × restarts)

describe('k-means on two threads', () => {
  it('equals one thread exactly when the winning restart is made by either thread', async () => {
    const halves = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const X = uniform(n, d, 100 + seed);
      const w = pickRun(lloydRuns(X, n, d, { k, nInit, seed }, [0, 1, 2, 3, 4, 5]).inertias);
      halves.add(w % 2 ? 'other thread' : 'this thread');
      const one = kmeans(X, n, d, { k, nInit, seed });
      const progress: number[] = [];
      const two = await kmeansOnCores(X, n, d, { k, nInit, seed, onProgress: (done) => progress.push(done) }, TWO);
      expect(two.inertia).toBe(one.inertia);
      expect(two.sizes).toEqual(one.sizes);
      expect(Array.from(two.centroids)).toEqual(Array.from(one.centroids));
      expect(Array.from(two.labels)).toEqual(Array.from(one.labels));
      expect(two.iterations).toBe(one.iterations);
      expect(Math.max(...progress)).toBe(nInit);
    }
    // the seeds above put the winner in both halves, so both ways of taking it were checked
    expect([...halves].sort()).toEqual(['other thread', 'this thread']);
  });

  it('finds planted blobs as one thread does', async () => {
    const X = blobs(60_000, 4, 5, 9);
    const one = kmeans(X, 60_000, 4, { k: 5, nInit: 4, seed: 3 });
    const two = await kmeansOnCores(X, 60_000, 4, { k: 5, nInit: 4, seed: 3 }, TWO);
    // each cluster is one planted blob give or take the few points its noise carries across
    for (const size of two.sizes) expect(Math.abs(size - 12_000)).toBeLessThan(60);
    expect(two.inertia).toBe(one.inertia);
    expect(Array.from(two.labels)).toEqual(Array.from(one.labels));
  });

  it('a cancel stops both threads', async () => {
    const X = uniform(n, d, 77);
    let calls = 0;
    await expect(kmeansOnCores(X, n, d, { k, nInit: 20, seed: 0, shouldCancel: () => ++calls > 3 }, TWO)).rejects.toBeInstanceOf(CancelledError);
  });
});
