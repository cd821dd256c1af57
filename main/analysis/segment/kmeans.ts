/**
 * k-means (Lloyd) with greedy k-means++ seeding, several restarts, and a mini-batch variant for
 * very large n. Everything random comes from the seed, so the same seed gives the same result.
 *
 * - Seeding: greedy k-means++ as in scikit-learn — each new centre is the best (lowest
 *   potential) of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)².
 * - Convergence: stop when the squared shift of all centres is ≤ tol × (mean of the features'
 *   variances) (scikit-learn's relative tolerance), or after maxIter iterations.
 * - Restarts: nInit runs with seeds derived from `seed`; the lowest inertia wins.
 * - Labels are renumbered by cluster size, largest first (ties by first member), so results
 *   are comparable across runs.
 * - Mini-batch (Sculley 2010) for n ≥ 1,000,000 unless disabled: per-centre learning rates,
 *   batches of 4,096; inertia and labels are then computed on all points.
 * Empty clusters are re-seeded with the point farthest from its centre.
 */
import { createRng, deriveSeed, randInt, type Rng } from '../random';

export interface KMeansOptions {
  k: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed?: number;
  miniBatch?: boolean | { batchSize?: number; iterations?: number };
  onProgress?: (done: number, total: number) => void;
  shouldCancel?: () => boolean;
}

export interface KMeansResult {
  labels: Int32Array;
  centroids: Float64Array;
  inertia: number;
  iterations: number;
  sizes: number[];
  converged: boolean;
}

function checkCancel(opts: KMeansOptions) {
  if (opts.shouldCancel?.()) throw new Error('cancelled');
}

function sqDist(data: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const diff = data[a + t]! - c[b + t]!;
    s += diff * diff;
  }
  return s;
}

function kppInit(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * d);
  const first = randInt(rng, n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(data, i, centers, 0, d);
    pot += closest[i]!;
  }
  const trials = 2 + Math.floor(Math.log(k));
  const cand = new Float64Array(d);
  const candDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestIdx = -1;
    for (let t = 0; t < trials; t++) {
      // Draw a point with probability ∝ D².
      let r = rng() * pot;
      let idx = n - 1;
      for (let i = 0; i < n; i++) {
        r -= closest[i]!;
        if (r <= 0) {
          idx = i;
          break;
        }
      }
      cand.set(data.subarray(idx * d, idx * d + d));
      let p = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let u = 0; u < d; u++) {
          const diff = data[i * d + u]! - cand[u]!;
          s += diff * diff;
        }
        const m = Math.min(s, closest[i]!);
        candDist[i] = m;
        p += m;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        bestDist.set(candDist);
      }
    }
    centers.set(data.subarray(bestIdx * d, bestIdx * d + d), c * d);
    closest.set(bestDist);
    pot = bestPot;
  }
  return centers;
}

/** Index of the centre nearest to point i; its squared distance goes to out[0]. */
function nearest(data: Float64Array, i: number, centers: Float64Array, k: number, d: number, out: Float64Array): number {
  let best = Infinity;
  let bj = 0;
  for (let j = 0; j < k; j++) {
    const s = sqDist(data, i, centers, j, d);
    if (s < best) {
      best = s;
      bj = j;
    }
  }
  out[0] = best;
  return bj;
}

function assign(data: Float64Array, n: number, d: number, centers: Float64Array, k: number, labels: Int32Array, dist: Float64Array): number {
  let inertia = 0;
  const nd = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    labels[i] = nearest(data, i, centers, k, d, nd);
    dist[i] = nd[0]!;
    inertia += nd[0]!;
  }
  return inertia;
}

function featureVarianceMean(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let u = 0; u < d; u++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + u]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + u]! - m) ** 2;
    total += v / n;
  }
  return total / d;
}

function lloyd(data: Float64Array, n: number, d: number, k: number, centers: Float64Array, maxIter: number, tolAbs: number, opts: KMeansOptions) {
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let iterations = 0;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    checkCancel(opts);
    iterations = it + 1;
    assign(data, n, d, centers, k, labels, dist);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i]!;
      counts[j]!++;
      for (let u = 0; u < d; u++) sums[j * d + u]! += data[i * d + u]!;
    }
    let shift = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Re-seed an empty cluster with the farthest point.
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
        for (let u = 0; u < d; u++) {
          shift += (data[far * d + u]! - centers[j * d + u]!) ** 2;
          centers[j * d + u] = data[far * d + u]!;
        }
        dist[far] = 0;
        continue;
      }
      for (let u = 0; u < d; u++) {
        const v = sums[j * d + u]! / counts[j]!;
        shift += (v - centers[j * d + u]!) ** 2;
        centers[j * d + u] = v;
      }
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  const inertia = assign(data, n, d, centers, k, labels, dist);
  return { labels, centers, inertia, iterations, converged };
}

function miniBatch(data: Float64Array, n: number, d: number, k: number, rng: Rng, opts: KMeansOptions) {
  const cfg = typeof opts.miniBatch === 'object' ? opts.miniBatch : {};
  const batch = Math.min(n, cfg.batchSize ?? 4096);
  const iters = cfg.iterations ?? Math.max(100, Math.min(600, Math.ceil((20 * n) / batch)));
  // Seed with k-means++ on a sample (the full D² pass over millions of points is wasteful).
  const sampleN = Math.min(n, Math.max(10 * k * 32, 20000));
  const idx = new Int32Array(sampleN);
  for (let i = 0; i < sampleN; i++) idx[i] = randInt(rng, n);
  const sample = new Float64Array(sampleN * d);
  for (let i = 0; i < sampleN; i++) sample.set(data.subarray(idx[i]! * d, idx[i]! * d + d), i * d);
  const centers = kppInit(sample, sampleN, d, k, rng);
  const counts = new Float64Array(k);
  const nd = new Float64Array(1);
  for (let it = 0; it < iters; it++) {
    if (it % 10 === 0) {
      checkCancel(opts);
      opts.onProgress?.(it, iters);
    }
    for (let b = 0; b < batch; b++) {
      const i = randInt(rng, n);
      const bj = nearest(data, i, centers, k, d, nd);
      counts[bj]!++;
      const eta = 1 / counts[bj]!;
      for (let u = 0; u < d; u++) centers[bj * d + u]! += eta * (data[i * d + u]! - centers[bj * d + u]!);
    }
  }
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const inertia = assign(data, n, d, centers, k, labels, dist);
  return { labels, centers, inertia, iterations: iters, converged: true };
}

/** Renumber clusters by size (largest first; ties by first member's index). */
function canonical(labels: Int32Array, centers: Float64Array, k: number, d: number): { labels: Int32Array; centers: Float64Array; sizes: number[] } {
  const sizes = new Array<number>(k).fill(0);
  const first = new Array<number>(k).fill(Infinity);
  labels.forEach((l, i) => {
    sizes[l]!++;
    if (i < first[l]!) first[l] = i;
  });
  const order = [...Array(k).keys()].sort((a, b) => sizes[b]! - sizes[a]! || first[a]! - first[b]!);
  const map = new Int32Array(k);
  order.forEach((old, neu) => (map[old] = neu));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = map[labels[i]!]!;
  const c2 = new Float64Array(k * d);
  order.forEach((old, neu) => c2.set(centers.subarray(old * d, old * d + d), neu * d));
  return { labels: out, centers: c2, sizes: order.map((o) => sizes[o]!) };
}

export function kmeans(data: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) throw new Error('n and d must be positive integers');
  if (data.length !== n * d) throw new Error(`matrix has ${data.length} values, expected ${n} × ${d}`);
  if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > n) throw new Error(`k must be an integer from 1 to n (${n})`);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) throw new Error('matrix contains NaN or infinite values');
  const seed = opts.seed ?? 0;
  const nInit = opts.nInit ?? 10;
  const maxIter = opts.maxIter ?? 300;
  const useMini = opts.miniBatch === undefined ? n >= 1_000_000 : !!opts.miniBatch;
  let best: { labels: Int32Array; centers: Float64Array; inertia: number; iterations: number; converged: boolean } | null = null;
  if (useMini) {
    const runs = Math.min(nInit, 3);
    for (let r = 0; r < runs; r++) {
      const res = miniBatch(data, n, d, opts.k, createRng(deriveSeed(seed, r)), opts);
      if (!best || res.inertia < best.inertia) best = res;
    }
  } else {
    const tolAbs = (opts.tol ?? 1e-4) * featureVarianceMean(data, n, d);
    for (let r = 0; r < nInit; r++) {
      checkCancel(opts);
      const rng = createRng(deriveSeed(seed, r));
      const centers = kppInit(data, n, d, opts.k, rng);
      const res = lloyd(data, n, d, opts.k, centers, maxIter, tolAbs, opts);
      if (!best || res.inertia < best.inertia - 1e-12) best = res;
      opts.onProgress?.(r + 1, nInit);
    }
  }
  const c = canonical(best!.labels, best!.centers, opts.k, d);
  return { labels: c.labels, centroids: c.centers, inertia: best!.inertia, iterations: best!.iterations, sizes: c.sizes, converged: best!.converged };
}

/** Inertia for k = kMin..kMax (elbow chart). */
export function elbow(data: Float64Array, n: number, d: number, kMin: number, kMax: number, opts: Omit<KMeansOptions, 'k'>): { k: number; inertia: number; result: KMeansResult }[] {
  const out: { k: number; inertia: number; result: KMeansResult }[] = [];
  for (let k = kMin; k <= Math.min(kMax, n); k++) {
    const result = kmeans(data, n, d, { ...opts, k });
    out.push({ k, inertia: result.inertia, result });
  }
  return out;
}
