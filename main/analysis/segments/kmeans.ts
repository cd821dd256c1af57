/**
 * k-means (Lloyd) with greedy k-means++ seeding, several restarts, and a mini-batch variant for
 * very large n. Everything random comes from the seed, so the same seed gives the same result.
 *
 * - Seeding: greedy k-means++ as in scikit-learn — each new centre is the best (lowest
 *   potential) of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)², all candidates scored in
 *   one pass over the data, distances the triangle inequality rules out not computed.
 * - Iterations: Lloyd with Hamerly's bounds (same assignments, most distances skipped).
 * - Convergence: stop when the squared shift of all centres is ≤ tol × (mean of the features'
 *   variances) (scikit-learn's relative tolerance), or after maxIter iterations.
 * - Restarts: nInit runs with seeds derived from `seed`; the lowest inertia wins.
 * - Labels are renumbered by cluster size, largest first (ties by first member), so results
 *   are comparable across runs.
 * - Mini-batch (Sculley 2010) on request only (`miniBatch`): per-centre learning rates, batches of
 *   4,096; inertia and labels are then computed on all points. It is not the default at any size:
 *   on the seeded 1M × 8 bench it took more CPU than bounded Lloyd (4.3 s against 3.6 s for
 *   n_init 3 against 10) and ended at a higher inertia.
 * Empty clusters are re-seeded with the point farthest from its centre.
 */
import { createRng, deriveSeed, randInt, type Rng } from '../../kernel/random';
import { CancelledError } from '../../../shared/errors';

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

/** Potential (Σ min(D², d(x, candidate)²)) of every candidate, in one pass over the data. */
function scoreCandidates(data: Float64Array, n: number, d: number, k: number, trials: number, closest: Float64Array, labels: Int32Array, cand: Float64Array, toCentre: Float64Array, candPot: Float64Array): void {
  candPot.fill(0);
  for (let i = 0; i < n; i++) {
    const ci = closest[i]!;
    const a = labels[i]!;
    const o = i * d;
    for (let t = 0; t < trials; t++) {
      if (4 * ci <= toCentre[t * k + a]!) {
        candPot[t]! += ci;
        continue;
      }
      let s2 = 0;
      const co = t * d;
      for (let u = 0; u < d; u++) {
        const diff = data[o + u]! - cand[co + u]!;
        s2 += diff * diff;
      }
      candPot[t]! += s2 < ci ? s2 : ci;
    }
  }
}

/** Candidate `best` becomes centre c: points nearer to it than to their centre move to it. */
function acceptCandidate(data: Float64Array, n: number, d: number, k: number, c: number, best: number, closest: Float64Array, labels: Int32Array, cand: Float64Array, toCentre: Float64Array): void {
  const co = best * d;
  for (let i = 0; i < n; i++) {
    const ci = closest[i]!;
    if (4 * ci <= toCentre[best * k + labels[i]!]!) continue;
    let s2 = 0;
    const o = i * d;
    for (let u = 0; u < d; u++) {
      const diff = data[o + u]! - cand[co + u]!;
      s2 += diff * diff;
    }
    if (s2 < ci) {
      labels[i] = c;
      closest[i] = s2;
    }
  }
}

interface Seeding {
  centers: Float64Array;
  /** Nearest chosen centre of each point and its squared distance. */
  labels: Int32Array;
  closest: Float64Array;
}

/**
 * Greedy k-means++. A candidate c cannot be nearer to point i than i's current centre a when
 * d(c, a) ≥ 2·d(i, a) (triangle inequality), so that distance is not computed. The candidates and
 * potentials are exactly those of the plain algorithm; the labels it leaves are the first
 * assignment of Lloyd's iterations.
 */
function kppInit(data: Float64Array, n: number, d: number, k: number, rng: Rng): Seeding {
  const centers = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const first = randInt(rng, n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(data, i, centers, 0, d);
    pot += closest[i]!;
  }
  const trials = 2 + Math.floor(Math.log(k));
  const cand = new Float64Array(trials * d);
  const candIdx = new Int32Array(trials);
  const toCentre = new Float64Array(trials * k); // squared distance from each candidate to each chosen centre
  const candPot = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
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
      candIdx[t] = idx;
      cand.set(data.subarray(idx * d, idx * d + d), t * d);
      for (let j = 0; j < c; j++) toCentre[t * k + j] = sqDist(cand, t, centers, j, d);
    }
    // All candidates scored in one pass over the data (read once per centre, not per candidate);
    // only the potentials are kept, the winner's distances are taken again below.
    scoreCandidates(data, n, d, k, trials, closest, labels, cand, toCentre, candPot);
    let best = 0;
    for (let t = 1; t < trials; t++) if (candPot[t]! < candPot[best]!) best = t;
    centers.set(data.subarray(candIdx[best]! * d, candIdx[best]! * d + d), c * d);
    acceptCandidate(data, n, d, k, c, best, closest, labels, cand, toCentre);
    pot = candPot[best]!;
  }
  return { centers, labels, closest };
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

/**
 * One Hamerly assignment step: only points whose bounds do not rule out a change are looked at;
 * cluster sums and counts follow the points that move. (A top-level function: V8 optimises the hot
 * loop better than in a closure over the iteration's state.)
 */
function boundedAssign(data: Float64Array, n: number, d: number, k: number, centers: Float64Array, labels: Int32Array, upper: Float64Array, lower: Float64Array, half: Float64Array, sums: Float64Array, counts: Int32Array, moved: Float64Array, shift: { far: number; farOf: number; second: number }): void {
  for (let j = 0; j < k; j++) {
    let m = Infinity;
    for (let j2 = 0; j2 < k; j2++) if (j2 !== j) m = Math.min(m, Math.sqrt(sqDist(centers, j, centers, j2, d)));
    half[j] = m / 2;
  }
  const { far, farOf, second } = shift;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    // the bounds follow the centres' last move first (in this pass rather than one of its own over every point)
    const up = upper[i]! + moved[a]!;
    const low = lower[i]! - (a === farOf ? second : far);
    upper[i] = up;
    lower[i] = low;
    const bound = Math.max(half[a]!, low);
    if (up <= bound) continue;
    upper[i] = Math.sqrt(sqDist(data, i, centers, a, d));
    if (upper[i]! <= bound) continue;
    let b1 = Infinity;
    let b2 = Infinity;
    let bj = 0;
    for (let j = 0; j < k; j++) {
      const s2 = sqDist(data, i, centers, j, d);
      if (s2 < b1) {
        b2 = b1;
        b1 = s2;
        bj = j;
      } else if (s2 < b2) b2 = s2;
    }
    lower[i] = Math.sqrt(b2);
    if (bj !== a) {
      upper[i] = Math.sqrt(b1);
      labels[i] = bj;
      counts[a]!--;
      counts[bj]!++;
      const o = i * d;
      for (let u = 0; u < d; u++) {
        sums[a * d + u]! -= data[o + u]!;
        sums[bj * d + u]! += data[o + u]!;
      }
    }
  }
}

/**
 * Lloyd's iterations with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): each
 * point keeps an upper bound on the distance to its centre and a lower bound on the distance to
 * any other; when the upper bound is below max(lower bound, half the distance from its centre to
 * the nearest other centre) the point cannot change cluster and no distance is computed. The
 * assignments are exactly Lloyd's; only the work skipped differs. Cluster sums are updated
 * incrementally from the points that moved.
 */
function lloyd(data: Float64Array, n: number, d: number, k: number, seeding: Seeding, maxIter: number, tolAbs: number, opts: KMeansOptions) {
  const { centers, labels } = seeding;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n); // 0: unknown, the first bounded pass computes it where needed
  for (let i = 0; i < n; i++) upper[i] = Math.sqrt(seeding.closest[i]!);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const half = new Float64Array(k); // half the distance from centre j to its nearest other centre
  const moved = new Float64Array(k);
  const old = new Float64Array(k * d);
  // how far the centres moved last: each centre's distance, the farthest (and whose) and the second farthest
  const shifted = { far: 0, farOf: -1, second: 0 };
  // Full pass: nearest and second-nearest centre of every point.
  const fullAssign = () => {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let b1 = Infinity;
      let b2 = Infinity;
      let bj = 0;
      const o = i * d;
      for (let j = 0; j < k; j++) {
        let s2 = 0;
        const c = j * d;
        for (let u = 0; u < d; u++) {
          const diff = data[o + u]! - centers[c + u]!;
          s2 += diff * diff;
        }
        if (s2 < b1) {
          b2 = b1;
          b1 = s2;
          bj = j;
        } else if (s2 < b2) b2 = s2;
      }
      labels[i] = bj;
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
      counts[bj]!++;
      for (let u = 0; u < d; u++) sums[bj * d + u]! += data[o + u]!;
    }
  };
  // The seeding's labels are the first assignment: the cluster sums from them.
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    counts[a]!++;
    for (let u = 0; u < d; u++) sums[a * d + u]! += data[i * d + u]!;
  }
  let iterations = 0;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    checkCancel(opts);
    iterations = it + 1;
    if (it > 0) boundedAssign(data, n, d, k, centers, labels, upper, lower, half, sums, counts, moved, shifted);
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
    if (empty) {
      // Re-seed each empty cluster with the point farthest from its centre (exact distances to the
      // centres it was assigned by), then start the bounds afresh.
      const dist = new Float64Array(n);
      for (let i = 0; i < n; i++) dist[i] = sqDist(data, i, old, labels[i]!, d);
      for (let j = 0; j < k; j++) {
        if (counts[j] !== 0) continue;
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
        for (let u = 0; u < d; u++) {
          shift += (data[far * d + u]! - centers[j * d + u]!) ** 2;
          centers[j * d + u] = data[far * d + u]!;
        }
        dist[far] = 0;
      }
      fullAssign();
      moved.fill(0); // the bounds are exact again
      shifted.far = shifted.second = 0;
      shifted.farOf = -1;
    } else {
      let m1 = 0;
      let m2 = 0;
      let mj = -1;
      for (let j = 0; j < k; j++) {
        moved[j] = Math.sqrt(sqDist(centers, j, old, j, d));
        if (moved[j]! > m1) {
          m2 = m1;
          m1 = moved[j]!;
          mj = j;
        } else if (moved[j]! > m2) m2 = moved[j]!;
      }
      shifted.far = m1;
      shifted.second = m2;
      shifted.farOf = mj;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // Labels for the final centres (bounded, as in the iterations), then the exact inertia.
  boundedAssign(data, n, d, k, centers, labels, upper, lower, half, sums, counts, moved, shifted);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i, centers, labels[i]!, d);
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
  const { centers } = kppInit(sample, sampleN, d, k, rng);
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
 * makes it): every run's inertia, and the best run's result by `pickRun` among these runs. The input
 * is the caller's to check (`checkKMeansInput`): both threads of one fit share the matrix.
 */
export function lloydRuns(data: Float64Array, n: number, d: number, opts: KMeansOptions, runs: readonly number[], done?: () => void): { inertias: number[]; best: LloydRun } {
  const seed = opts.seed ?? 0;
  const maxIter = opts.maxIter ?? 300;
  const tolAbs = (opts.tol ?? 1e-4) * featureVarianceMean(data, n, d);
  const inertias: number[] = [];
  let best: LloydRun | null = null;
  for (const r of runs) {
    checkCancel(opts);
    const rng = createRng(deriveSeed(seed, r));
    const res = lloyd(data, n, d, opts.k, kppInit(data, n, d, opts.k, rng), maxIter, tolAbs, opts);
    inertias.push(res.inertia);
    if (!best || res.inertia < best.inertia - 1e-12) best = { run: r, ...res };
    done?.();
  }
  return { inertias, best: best! };
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
  return finishRun(best, opts.k, d);
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
