/**
 * Segmentation benchmarks: k-means (k=4, n_init=10) on the RFM of cdnow-master.txt (23,570
 * customers, log1p + standardize) and on a seeded 1,000,000 × 8 matrix (mini-batch, the
 * default from 1M rows, beside full Lloyd with n_init=1 as the baseline in the same run).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kmeans } from '../../main/analysis/segment/kmeans';
import { computeRfm } from '../../main/analysis/segment/rfm';
import { transformMatrix } from '../../main/analysis/segment/transforms';
import { createRng, randNormal } from '../../main/analysis/random';
import { round } from './sqlite';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('..', 'shared', 'datasets');

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, round((performance.now() - t0) / 1000)];
}

export function segmentsBench() {
  const lines = readFileSync(path.join(datasets, 'cdnow-master.txt'), 'utf8').trim().split(/\r?\n/).slice(1);
  const cust: string[] = [];
  const t: number[] = [];
  const amt: number[] = [];
  for (const l of lines) {
    const [c, d, , v] = l.trim().split(/\s+/);
    cust.push(c!);
    t.push(Date.UTC(+d!.slice(0, 4), +d!.slice(4, 6) - 1, +d!.slice(6, 8)));
    amt.push(Number(v));
  }
  const [rfm, rfmSeconds] = time(() => computeRfm({ customer: cust, time: t, amount: amt }, { excludeNonPositive: false }));
  const n = rfm.customers.length;
  const raw = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) raw.set([rfm.recency[i]!, rfm.frequency[i]!, rfm.monetary[i]!], i * 3);
  const X = transformMatrix(raw, n, 3, ['log1p', 'standardize']).data;
  const [cd, cdSeconds] = time(() => kmeans(X, n, 3, { k: 4, nInit: 10, seed: 0 }));

  const rng = createRng(11);
  const N = Number(process.env.BENCH_KMEANS_ROWS ?? 1_000_000);
  const d = 8;
  const M = new Float64Array(N * d);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => randNormal(rng) * 4));
  for (let i = 0; i < N; i++) for (let u = 0; u < d; u++) M[i * d + u] = centres[i % 4]![u]! + randNormal(rng);
  const [mb, mbSeconds] = time(() => kmeans(M, N, d, { k: 4, nInit: 10, seed: 0 }));
  const [full, fullSeconds] = time(() => kmeans(M, N, d, { k: 4, nInit: 1, seed: 0, miniBatch: false }));
  return {
    cdnowRfm: { customers: n, rfmSeconds, kmeansSeconds: cdSeconds, inertia: round(cd.inertia, 2), sizes: cd.sizes },
    matrix1Mx8: {
      rows: N,
      miniBatch: { nInit: 10, seconds: mbSeconds, inertia: round(mb.inertia, 1) },
      lloydBaseline: { nInit: 1, seconds: fullSeconds, inertia: round(full.inertia, 1), iterations: full.iterations },
      inertiaRatio: round(mb.inertia / full.inertia, 4),
    },
  };
}
