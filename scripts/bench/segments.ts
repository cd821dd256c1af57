/**
 * Segmentation benchmarks: k-means (k=4, n_init=10) on the RFM of cdnow-master.txt (23,570
 * customers, log1p + standardize) and Lloyd k=6, n_init=10 on a seeded 1,000,000 × 8 matrix with six
 * planted centres, each beside scikit-learn's KMeans (lloyd, k-means++) on the identical matrix in the
 * same run; equal inertia within 0.01% is checked, and our mini-batch (opt-in) is reported beside.
 * Ours fits as the app does, restarts shared by two threads (kmeansOnCores); one thread alone beside it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kmeans } from '../../main/analysis/segments/kmeans';
import { kmeansOnCores } from '../../main/services/segments/kmeans-threads';
import { computeRfm } from '../../main/analysis/segments/rfm';
import { transformMatrix } from '../../main/analysis/segments/transforms';
import { createRng, randNormal } from '../../main/kernel/random';
import { round } from './sqlite';
import { sklearnKMeans } from './peers';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');

function time<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const c = process.cpuUsage(c0);
  return [r, round((performance.now() - t0) / 1000), round((c.user + c.system) / 1e6)];
}

/** The same for an asynchronous call; CPU is the whole process's (every thread). */
async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const c = process.cpuUsage(c0);
  return [r, round((performance.now() - t0) / 1000), round((c.user + c.system) / 1e6)];
}

export async function segmentsBench(dir: string) {
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
  // as the app fits (services/segments/kmeans-threads.ts): restarts on both cores
  const [cd, cdSeconds, cdCpu] = await timeAsync(() => kmeansOnCores(X, n, 3, { k: 4, nInit: 10, seed: 0 }));
  const cdPeer = sklearnKMeans(dir, X, n, 3, 4, 10);

  const rng = createRng(11);
  const N = Number(process.env.BENCH_KMEANS_ROWS ?? 1_000_000);
  const d = 8;
  const K = 6;
  const M = new Float64Array(N * d);
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => randNormal(rng) * 4));
  for (let i = 0; i < N; i++) for (let u = 0; u < d; u++) M[i * d + u] = centres[i % K]![u]! + randNormal(rng);
  const [full, fullSeconds, fullCpu] = await timeAsync(() => kmeansOnCores(M, N, d, { k: K, nInit: 10, seed: 0 }));
  // one thread, as before the restarts were shared (same result)
  const [, oneThreadSeconds, oneThreadCpu] = time(() => kmeans(M, N, d, { k: K, nInit: 10, seed: 0 }));
  const mPeer = sklearnKMeans(dir, M, N, d, K, 10);
  const [mb, mbSeconds, mbCpu] = time(() => kmeans(M, N, d, { k: K, nInit: 10, seed: 0, miniBatch: true }));
  const vsPeer = (seconds: number, cpu: number, inertia: number, peer: typeof cdPeer) =>
    'peer' in peer ? { sklearn: peer } : { sklearn: { ...peer, seconds: round(peer.seconds), cpuSeconds: round(peer.cpuSeconds) }, timeRatio: round(seconds / peer.seconds), cpuRatio: round(cpu / peer.cpuSeconds), inertiaRelDiff: Number(((inertia - peer.inertia) / peer.inertia).toExponential(2)), sameInertia: Math.abs(inertia - peer.inertia) <= 1e-4 * peer.inertia };
  return {
    cdnowRfm: { customers: n, rfmSeconds, k: 4, nInit: 10, kmeansSeconds: cdSeconds, cpuSeconds: cdCpu, inertia: round(cd.inertia, 4), sizes: cd.sizes, ...vsPeer(cdSeconds, cdCpu, cd.inertia, cdPeer) },
    matrix1Mx8: {
      rows: N,
      k: K,
      lloyd: { nInit: 10, seconds: fullSeconds, cpuSeconds: fullCpu, oneThread: { seconds: oneThreadSeconds, cpuSeconds: oneThreadCpu }, inertia: round(full.inertia, 1), iterations: full.iterations, sizes: full.sizes, ...vsPeer(fullSeconds, fullCpu, full.inertia, mPeer) },
      miniBatch: { seconds: mbSeconds, cpuSeconds: mbCpu, inertia: round(mb.inertia, 1), inertiaRatioToLloyd: round(mb.inertia / full.inertia, 4) },
    },
  };
}
