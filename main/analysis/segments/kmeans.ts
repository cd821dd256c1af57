/**
 * k-means (Lloyd) with greedy k-means++ seeding, several restarts, and a mini-batch variant for
 * very large n. Everything random comes from the seed, so the same seed gives the same result.
 *
 * - Seeding: greedy k-means++ as in scikit-learn — each new centre is the best (lowest
 *   potential) of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)², all candidates scored in
 *   one pass over the data.
 * - Iterations: Lloyd with Hamerly's bounds (same assignments, most distances skipped).
 * - Convergence: stop when the squared shift of all centres is ≤ tol × (mean of the features'
 *   variances) (scikit-learn's relative tolerance), or after maxIter iterations.
 * - Restarts: nInit runs with seeds derived from `seed`; the lowest inertia wins.
 * - Labels are renumbered by cluster size, largest first (ties by first member), so results
 *   are comparable across runs.
 * - Mini-batch (Sculley 2010) on request only (`miniBatch`): per-centre learning rates, batches of
 *   4,096; inertia and labels are then computed on all points. It is not the default at any size:
 *   on the seeded 1M × 8 bench it took 3.8 s (n_init 3) against 1.4 s for Lloyd on one thread
 *   (n_init 10), and ended at a higher inertia.
 * Empty clusters are re-seeded with the point farthest from its centre.
 * The passes over the points (seeding's draws and scores, the bounded assignments, inertia) are
 * WebAssembly kernels (kernels/kmeans.as.ts); this module keeps the algorithm's steps over centres.
 */
import { createRng, deriveSeed, randInt, type Rng } from '../../kernel/random';
import { AppError, CancelledError } from '../../../shared/errors';
import { KERNEL_MEMORY_LIMIT, kernelInstance, MemoryLayout } from '../../kernel/wasm';
import { WASM_BASE64 } from './kernels/kmeans.wasm';

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
  if (opts.shouldCancel?.()) throw new CancelledError();
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

/**
 * One thread's k-means memory: the points and every per-point array live in one WebAssembly memory
 * (kernels/kmeans.as.ts makes the passes over the points); the views below are the same bytes, for
 * the steps that touch k centres rather than n points. Made once per fit and reused by its restarts.
 */
class Work {
  readonly kernel: KMeansKernel;
  readonly data: Float64Array;
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  readonly centers: Float64Array;
  readonly cand: Float64Array;
  readonly candPot: Float64Array;
  readonly half: Float64Array;
  readonly moved: Float64Array;
  /** Byte offsets of the arrays above and of those only the kernel touches (closest, upper and lower bounds, pending). */
  readonly at: ReturnType<typeof layoutOf>['at'];
  readonly trials: number;

  constructor(
    source: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly k: number,
  ) {
    const L = layoutOf(n, d, k);
    this.trials = L.trials;
    this.at = L.at;
    const { exports, memory } = kernelInstance<KMeansKernel>(WASM_BASE64, L.bytes);
    this.kernel = exports;
    const b = memory.buffer;
    const a = this.at;
    this.data = new Float64Array(b, a.data, n * d);
    this.data.set(source);
    this.labels = new Int32Array(b, a.labels, n);
    this.sums = new Float64Array(b, a.sums, k * d);
    this.counts = new Int32Array(b, a.counts, k);
    this.centers = new Float64Array(b, a.centers, k * d);
    this.cand = new Float64Array(b, a.cand, this.trials * d);
    this.candPot = new Float64Array(b, a.candPot, this.trials);
    this.half = new Float64Array(b, a.half, k);
    this.moved = new Float64Array(b, a.moved, k);
  }
}

/** Where each of Work's arrays sits in the kernels' memory, and the memory's size. */
function layoutOf(n: number, d: number, k: number) {
  const trials = 2 + Math.floor(Math.log(k));
  const L = new MemoryLayout();
  const at = {
    data: L.f64(n * d),
    closest: L.f64(n),
    labels: L.i32(n),
    upper: L.f64(n),
    lower: L.f64(n),
    pending: L.i32(n),
    sums: L.f64(k * d),
    counts: L.i32(k),
    centers: L.f64(k * d),
    cand: L.f64(trials * d),
    candPot: L.f64(trials),
    half: L.f64(k),
    moved: L.f64(k),
    scratch: L.f64(2 + k),
  };
  return { at, bytes: L.bytes, trials };
}

/** The kernels' exports (kernels/kmeans.as.ts); pointers are byte offsets into Work's memory. */
interface KMeansKernel {
  distancesTo(X: number, n: number, d: number, c: number, closest: number, labels: number): number;
  drawIndex(closest: number, n: number, r: number): number;
  scoreCandidates(X: number, n: number, d: number, trials: number, closest: number, cand: number, candPot: number): void;
  acceptCandidate(X: number, n: number, d: number, c: number, cb: number, closest: number, labels: number): void;
  startBounds(X: number, n: number, d: number, k: number, closest: number, labels: number, upper: number, lower: number, sums: number, counts: number): void;
  boundedAssign(X: number, n: number, d: number, k: number, centers: number, labels: number, upper: number, lower: number, half: number, sums: number, counts: number, moved: number, far: number, farOf: number, second: number, scratch: number, pending: number): void;
  fullAssign(X: number, n: number, d: number, k: number, centers: number, labels: number, upper: number, lower: number, sums: number, counts: number, scratch: number): void;
  inertia(X: number, n: number, d: number, centers: number, labels: number): number;
}

/**
 * Greedy k-means++ into w.centers. Each new centre is the best (lowest potential) of `trials`
 * candidates drawn with probability ∝ D²; all candidates are scored in one pass over the points
 * (read once per centre, not per candidate). It leaves each point's nearest chosen centre and
 * squared distance in the kernel's labels and closest: the first assignment of Lloyd's iterations.
 */
function kppInit(w: Work, rng: Rng): void {
  const { n, d, k, trials, kernel, at, data, centers, cand, candPot } = w;
  const first = randInt(rng, n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  let pot = kernel.distancesTo(at.data, n, d, at.centers, at.closest, at.labels);
  const candIdx = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    for (let t = 0; t < trials; t++) {
      const idx = kernel.drawIndex(at.closest, n, rng() * pot);
      candIdx[t] = idx;
      cand.set(data.subarray(idx * d, idx * d + d), t * d);
    }
    kernel.scoreCandidates(at.data, n, d, trials, at.closest, at.cand, at.candPot);
    let best = 0;
    for (let t = 1; t < trials; t++) if (candPot[t]! < candPot[best]!) best = t;
    centers.set(data.subarray(candIdx[best]! * d, candIdx[best]! * d + d), c * d);
    kernel.acceptCandidate(at.data, n, d, c, at.cand + best * d * 8, at.closest, at.labels);
    pot = candPot[best]!;
  }
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

/** half[j]: half the distance from centre j to its nearest other centre. */
function halfGaps(centers: Float64Array, k: number, d: number, half: Float64Array): void {
  for (let j = 0; j < k; j++) {
    let m = Infinity;
    for (let j2 = 0; j2 < k; j2++) if (j2 !== j) m = Math.min(m, Math.sqrt(sqDist(centers, j, centers, j2, d)));
    half[j] = m / 2;
  }
}

/**
 * Lloyd's iterations with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): each
 * point keeps an upper bound on the distance to its centre and a lower bound on the distance to
 * any other; when the upper bound is below max(lower bound, half the distance from its centre to
 * the nearest other centre) the point cannot change cluster and no distance is computed. The
 * assignments are exactly Lloyd's; only the work skipped differs. Cluster sums are updated
 * incrementally from the points that moved. Starts from kppInit's assignment in w.
 */
function lloyd(w: Work, maxIter: number, tolAbs: number, opts: KMeansOptions) {
  const { n, d, k, kernel, at, data, centers, labels, sums, counts, half, moved } = w;
  kernel.startBounds(at.data, n, d, k, at.closest, at.labels, at.upper, at.lower, at.sums, at.counts);
  const old = new Float64Array(k * d);
  // how far the centres moved last: the farthest (and whose) and the second farthest; each centre's own in w.moved
  let far = 0;
  let farOf = -1;
  let second = 0;
  moved.fill(0);
  const bounded = () => {
    halfGaps(centers, k, d, half);
    kernel.boundedAssign(at.data, n, d, k, at.centers, at.labels, at.upper, at.lower, at.half, at.sums, at.counts, at.moved, far, farOf, second, at.scratch, at.pending);
  };
  let iterations = 0;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    checkCancel(opts);
    iterations = it + 1;
    if (it > 0) bounded();
    old.set(centers);
    let shift = 0;
    let empty = false;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        empty = true;
        continue;
      }
      for (let u = 0; u < d; u++) {
        const v = sums[j * d + u]! / counts[j]!;
        shift += (v - centers[j * d + u]!) ** 2;
        centers[j * d + u] = v;
      }
    }
    far = second = 0;
    farOf = -1;
    if (empty) {
      // Re-seed each empty cluster with the point farthest from its centre (exact distances to the
      // centres it was assigned by), then start the bounds afresh.
      const dist = new Float64Array(n);
      for (let i = 0; i < n; i++) dist[i] = sqDist(data, i, old, labels[i]!, d);
      for (let j = 0; j < k; j++) {
        if (counts[j] !== 0) continue;
        let farthest = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[farthest]!) farthest = i;
        for (let u = 0; u < d; u++) {
          shift += (data[farthest * d + u]! - centers[j * d + u]!) ** 2;
          centers[j * d + u] = data[farthest * d + u]!;
        }
        dist[farthest] = 0;
      }
      kernel.fullAssign(at.data, n, d, k, at.centers, at.labels, at.upper, at.lower, at.sums, at.counts, at.scratch);
      moved.fill(0); // the bounds are exact again
    } else {
      for (let j = 0; j < k; j++) {
        moved[j] = Math.sqrt(sqDist(centers, j, old, j, d));
        if (moved[j]! > far) {
          second = far;
          far = moved[j]!;
          farOf = j;
        } else if (moved[j]! > second) second = moved[j]!;
      }
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // Labels for the final centres (bounded, as in the iterations), then the exact inertia.
  bounded();
  const inertia = kernel.inertia(at.data, n, d, at.centers, at.labels);
  return { labels: labels.slice(), centers: centers.slice(), inertia, iterations, converged };
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
  const seeding = new Work(sample, sampleN, d, k);
  kppInit(seeding, rng);
  const centers = seeding.centers.slice();
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

/** The matrix and k a fit needs; every entry point (kmeans, kmeansOnCores) checks once before its restarts. */
export function checkKMeansInput(data: Float64Array, n: number, d: number, opts: KMeansOptions): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) throw new Error('n and d must be positive integers');
  if (data.length !== n * d) throw new Error(`matrix has ${data.length} values, expected ${n} × ${d}`);
  if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > n) throw new Error(`k must be an integer from 1 to n (${n})`);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) throw new Error('matrix contains NaN or infinite values');
  if (!opts.miniBatch && layoutOf(n, d, opts.k).bytes > KERNEL_MEMORY_LIMIT)
    throw new AppError(
      'kmeans.too_large',
      `${n.toLocaleString('en')} rows × ${d} features is beyond what k-means holds in memory (4 GiB): use fewer features, a sample, or mini-batch`,
      `${n.toLocaleString('en')} 行 × ${d} 个特征超出 k-means 可用内存（4 GiB）：请减少特征、抽样，或改用小批量（mini-batch）`,
    );
}

/** One restart's outcome before labels are renumbered. */
export interface LloydRun {
  run: number;
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** The winner among restarts in run order: a later run wins only by more than 1e-12 (the first of near-ties stays). */
export function pickRun(inertias: readonly number[]): number {
  let best = 0;
  for (let r = 1; r < inertias.length; r++) if (inertias[r]! < inertias[best]! - 1e-12) best = r;
  return best;
}

/**
 * Lloyd restarts `runs` (each seeded from `seed` and its number, so a run is the same whichever thread
 * makes it), in increasing run order — an array, or runs claimed one at a time while two threads
 * share a fit. Returns the runs made with their inertias, and the best of them by `pickRun`'s rule
 * (null when the other thread claimed every run).
 * The input is the caller's to check (`checkKMeansInput`): both threads of one fit share the matrix.
 */
export function lloydRuns(data: Float64Array, n: number, d: number, opts: KMeansOptions, runs: Iterable<number>, done?: () => void): { runs: number[]; inertias: number[]; best: LloydRun | null } {
  const seed = opts.seed ?? 0;
  const maxIter = opts.maxIter ?? 300;
  const tolAbs = (opts.tol ?? 1e-4) * featureVarianceMean(data, n, d);
  const made: number[] = [];
  const inertias: number[] = [];
  let best: LloydRun | null = null;
  let w: Work | null = null;
  for (const r of runs) {
    checkCancel(opts);
    w ??= new Work(data, n, d, opts.k); // the points copied into the kernels' memory once per fit
    kppInit(w, createRng(deriveSeed(seed, r)));
    const res = lloyd(w, maxIter, tolAbs, opts);
    made.push(r);
    inertias.push(res.inertia);
    if (!best || res.inertia < best.inertia - 1e-12) best = { run: r, ...res };
    done?.();
  }
  return { runs: made, inertias, best };
}

/** The result of the winning run, clusters renumbered by size. */
export function finishRun(best: Omit<LloydRun, 'run'>, k: number, d: number): KMeansResult {
  const c = canonical(best.labels, best.centers, k, d);
  return { labels: c.labels, centroids: c.centers, inertia: best.inertia, iterations: best.iterations, sizes: c.sizes, converged: best.converged };
}

export function kmeans(data: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  checkKMeansInput(data, n, d, opts);
  const nInit = opts.nInit ?? 10;
  if (opts.miniBatch) {
    const seed = opts.seed ?? 0;
    let best: Omit<LloydRun, 'run'> | null = null;
    for (let r = 0; r < Math.min(nInit, 3); r++) {
      const res = miniBatch(data, n, d, opts.k, createRng(deriveSeed(seed, r)), opts);
      if (!best || res.inertia < best.inertia) best = res;
    }
    return finishRun(best!, opts.k, d);
  }
  let done = 0;
  const { best } = lloydRuns(data, n, d, opts, Array.from({ length: nInit }, (_, r) => r), () => opts.onProgress?.(++done, nInit));
  return finishRun(best!, opts.k, d);
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
