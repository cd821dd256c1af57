/**
 * k-means' passes over the points, in AssemblyScript, compiled to WebAssembly with SIMD
 * (`npm run build:wasm` writes kmeans.wasm.ts beside this file; a test checks the two agree).
 * The caller (../kmeans.ts) keeps the algorithm — seeding order, iterations, centre updates, empty
 * clusters — and hands these functions byte offsets into one linear memory it lays out itself: no
 * allocator, no runtime. Why WebAssembly: the same loops written in TypeScript ran 3–4× slower here
 * (no SIMD, a bounds check per element) and were slow until the JIT warmed up; scikit-learn's
 * k-means is compiled code on both cores.
 *
 * Every squared distance between a point and a centre is `dist2` (pairs of coordinates in f64x2
 * lanes, then the odd one), so seeding, assignment and inertia agree to the last bit.
 */

@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

@inline function dist2(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0.0);
  let u = 0;
  for (; u + 2 <= d; u += 2) {
    const diff = f64x2.sub(v128.load(at(a, u)), v128.load(at(b, u)));
    acc = f64x2.add(acc, f64x2.mul(diff, diff));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (u < d) {
    const diff = load<f64>(at(a, u)) - load<f64>(at(b, u));
    s += diff * diff;
  }
  return s;
}

@inline function point(X: usize, i: i32, d: i32): usize {
  return X + ((<usize>i * <usize>d) << 3);
}

@inline function i32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** closest[i] = squared distance from point i to the centre at c; labels all 0. Returns Σ closest. */
export function distancesTo(X: usize, n: i32, d: i32, c: usize, closest: usize, labels: usize): f64 {
  let pot = 0.0;
  for (let i = 0; i < n; i++) {
    const s = dist2(point(X, i, d), c, d);
    store<f64>(at(closest, i), s);
    store<i32>(i32At(labels, i), 0);
    pot += s;
  }
  return pot;
}

/** The point a draw r ∈ [0, Σ closest) lands on: the first i with r − closest[0..i] ≤ 0 (n − 1 if none). */
export function drawIndex(closest: usize, n: i32, r: f64): i32 {
  for (let i = 0; i < n; i++) {
    r -= load<f64>(at(closest, i));
    if (r <= 0) return i;
  }
  return n - 1;
}

// minpd / maxpd: no branch (f64.min, f64.max and a ternary on doubles are branches in V8's code,
// which the processor mispredicts on data like these; no NaN reaches the kernels)
@inline function minOf(a: f64, b: f64): f64 {
  return f64x2.extract_lane(f64x2.pmin(f64x2.splat(a), f64x2.splat(b)), 0);
}

@inline function maxOf(a: f64, b: f64): f64 {
  return f64x2.extract_lane(f64x2.pmax(f64x2.splat(a), f64x2.splat(b)), 0);
}

/**
 * candPot[t] = Σ min(closest[i], d(x_i, candidate t)²) over all points, in one pass. Every distance
 * is computed: skipping those the triangle inequality rules out was a branch on the data, and its
 * mispredictions cost more than the distances saved.
 */
export function scoreCandidates(X: usize, n: i32, d: i32, trials: i32, closest: usize, cand: usize, candPot: usize): void {
  for (let t = 0; t < trials; t++) store<f64>(at(candPot, t), 0.0);
  for (let i = 0; i < n; i++) {
    const ci = load<f64>(at(closest, i));
    const x = point(X, i, d);
    for (let t = 0; t < trials; t++) {
      const p = at(candPot, t);
      store<f64>(p, load<f64>(p) + minOf(dist2(x, point(cand, t, d), d), ci));
    }
  }
}

/** The candidate at cb becomes centre c: points nearer to it than to their centre move to it. */
export function acceptCandidate(X: usize, n: i32, d: i32, c: i32, cb: usize, closest: usize, labels: usize): void {
  for (let i = 0; i < n; i++) {
    const ci = load<f64>(at(closest, i));
    const s = dist2(point(X, i, d), cb, d);
    const l = i32At(labels, i);
    store<i32>(l, select<i32>(c, load<i32>(l), s < ci));
    store<f64>(at(closest, i), minOf(s, ci));
  }
}

/** Lloyd's start from the seeding: upper[i] = √closest[i], lower[i] = 0, cluster sums and counts. */
export function startBounds(X: usize, n: i32, d: i32, k: i32, closest: usize, labels: usize, upper: usize, lower: usize, sums: usize, counts: usize): void {
  memory.fill(sums, 0, (<usize>(k * d)) << 3);
  memory.fill(counts, 0, (<usize>k) << 2);
  for (let i = 0; i < n; i++) {
    store<f64>(at(upper, i), Math.sqrt(load<f64>(at(closest, i))));
    store<f64>(at(lower, i), 0.0);
    const a = load<i32>(i32At(labels, i));
    store<i32>(i32At(counts, a), load<i32>(i32At(counts, a)) + 1);
    const x = point(X, i, d);
    const s = point(sums, a, d);
    for (let u = 0; u < d; u++) store<f64>(at(s, u), load<f64>(at(s, u)) + load<f64>(at(x, u)));
  }
}

/** Nearest and second-nearest centre of point x: the nearest's index, its and the second's squared distance in out[0], out[1]. */
@inline function twoNearest(x: usize, centers: usize, k: i32, d: i32, out: usize): i32 {
  let b1 = Infinity;
  let b2 = Infinity;
  let bj = 0;
  for (let j = 0; j < k; j++) {
    const s = dist2(x, point(centers, j, d), d);
    bj = select<i32>(j, bj, s < b1);
    b2 = minOf(b2, maxOf(b1, s));
    b1 = minOf(b1, s);
  }
  store<f64>(out, b1);
  store<f64>(at(out, 1), b2);
  return bj;
}

@inline function move(x: usize, d: i32, sums: usize, counts: usize, from: i32, to: i32): void {
  store<i32>(i32At(counts, from), load<i32>(i32At(counts, from)) - 1);
  store<i32>(i32At(counts, to), load<i32>(i32At(counts, to)) + 1);
  const sf = point(sums, from, d);
  const st = point(sums, to, d);
  for (let u = 0; u < d; u++) {
    const v = load<f64>(at(x, u));
    store<f64>(at(sf, u), load<f64>(at(sf, u)) - v);
    store<f64>(at(st, u), load<f64>(at(st, u)) + v);
  }
}

/**
 * One Hamerly step (Hamerly 2010): each point's upper bound on the distance to its centre grows by
 * how far that centre moved, its lower bound on any other centre shrinks by the farthest move (the
 * second farthest for the farthest mover's own points); a point is looked at only when its upper
 * bound exceeds max(lower bound, half its centre's distance to the nearest other centre). Cluster
 * sums and counts follow the points that move. `scratch`: 2 + k f64s; `pending`: n i32s.
 *
 * In passes without a branch on the points' data: the first moves every bound and lists the points
 * the bounds do not settle, the second takes their exact distance to their centre and lists those it
 * does not settle, the third finds their nearest centres. Whether a point was settled was a branch the
 * processor mispredicted often enough to make the step 3× slower than the same work replayed
 * (branches it had learned); f64.max is a branch too in V8's code, hence the two comparisons.
 */
export function boundedAssign(X: usize, n: i32, d: i32, k: i32, centers: usize, labels: usize, upper: usize, lower: usize, half: usize, sums: usize, counts: usize, moved: usize, far: f64, farOf: i32, second: f64, scratch: usize, pending: usize): void {
  // how far the lower bound of a point of centre a drops: the farthest move, the second farthest for the farthest mover's points
  const drop = scratch + 16;
  for (let a = 0; a < k; a++) store<f64>(at(drop, a), a == farOf ? second : far);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = load<i32>(i32At(labels, i));
    const up = load<f64>(at(upper, i)) + load<f64>(at(moved, a));
    const low = load<f64>(at(lower, i)) - load<f64>(at(drop, a));
    store<f64>(at(upper, i), up);
    store<f64>(at(lower, i), low);
    store<i32>(i32At(pending, m), i);
    m += i32(up > load<f64>(at(half, a))) & i32(up > low);
  }
  // the exact distance to its centre for each listed point; those it does not settle listed again
  let m2 = 0;
  for (let q = 0; q < m; q++) {
    const i = load<i32>(i32At(pending, q));
    const a = load<i32>(i32At(labels, i));
    const up = Math.sqrt(dist2(point(X, i, d), point(centers, a, d), d));
    store<f64>(at(upper, i), up);
    store<i32>(i32At(pending, m2), i);
    m2 += i32(up > load<f64>(at(half, a))) & i32(up > load<f64>(at(lower, i)));
  }
  for (let q = 0; q < m2; q++) {
    const i = load<i32>(i32At(pending, q));
    const a = load<i32>(i32At(labels, i));
    const x = point(X, i, d);
    const bj = twoNearest(x, centers, k, d, scratch);
    store<f64>(at(lower, i), Math.sqrt(load<f64>(at(scratch, 1))));
    if (bj != a) {
      store<f64>(at(upper, i), Math.sqrt(load<f64>(scratch)));
      store<i32>(i32At(labels, i), bj);
      move(x, d, sums, counts, a, bj);
    }
  }
}

/** Every point's nearest and second-nearest centre from scratch: labels, exact bounds, sums and counts. */
export function fullAssign(X: usize, n: i32, d: i32, k: i32, centers: usize, labels: usize, upper: usize, lower: usize, sums: usize, counts: usize, scratch: usize): void {
  memory.fill(sums, 0, (<usize>(k * d)) << 3);
  memory.fill(counts, 0, (<usize>k) << 2);
  for (let i = 0; i < n; i++) {
    const x = point(X, i, d);
    const bj = twoNearest(x, centers, k, d, scratch);
    store<i32>(i32At(labels, i), bj);
    store<f64>(at(upper, i), Math.sqrt(load<f64>(scratch)));
    store<f64>(at(lower, i), Math.sqrt(load<f64>(at(scratch, 1))));
    store<i32>(i32At(counts, bj), load<i32>(i32At(counts, bj)) + 1);
    const s = point(sums, bj, d);
    for (let u = 0; u < d; u++) store<f64>(at(s, u), load<f64>(at(s, u)) + load<f64>(at(x, u)));
  }
}

/** Σ squared distance from each point to its labelled centre. */
export function inertia(X: usize, n: i32, d: i32, centers: usize, labels: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += dist2(point(X, i, d), point(centers, load<i32>(i32At(labels, i)), d), d);
  return s;
}

/** Where the module's own static data ends (the caller's arrays start beyond it: kernel/wasm.ts). */
export function heapBase(): usize {
  return __heap_base;
}
