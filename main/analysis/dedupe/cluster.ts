/**
 * Clustering of scored pairs into entities, built once and cut at any threshold.
 *
 * Both methods produce a dendrogram: the list of merges with the score ("height") at which they
 * happen, in non-increasing order. Clusters at threshold t are the union-find components of
 * the merges with height ≥ t — a prefix of the list — so moving the threshold slider costs
 * O(n + merges), and raising the threshold can only split clusters, never merge them.
 *
 * - single (= connected components of the pairs scoring ≥ t): Kruskal on edges sorted by score,
 *   descending. Simple and transitive, but one wrong link chains two entities together, and a
 *   chain of medium links can grow a giant cluster.
 * - average (chosen anti-chaining option): average-linkage agglomeration (UPGMA) on the sparse
 *   pair graph. Two clusters merge at the mean score over all their cross pairs, where pairs
 *   that were never compared (not in the candidate set) count as `missingScore` (default 0:
 *   "no evidence"). A single strong link between two groups no longer suffices: most of the
 *   cross pairs must score high. UPGMA has no inversions (a merged cluster's linkage to any
 *   other is a weighted mean of its parts' linkages), so the merge heights never increase and
 *   the prefix cut above stays valid. Merges stop at `floor` (pairs below it never matter).
 *
 * - evidence (evidenceClusters): average linkage where pairs never compared count as exactly
 *   the threshold, i.e. "no evidence either way". Two clusters then merge while the sum of
 *   (score − t) over their compared cross pairs is ≥ 0 — the greedy additive agglomeration used
 *   for correlation clustering, with the blocking's missing pairs as zero-cost edges. Strong
 *   against chaining (one good link cannot outvote many bad ones) without punishing clusters
 *   for the pairs blocking never compared. The threshold is inside the edge costs, so each
 *   threshold needs its own agglomeration (O(E log E) on the scored pairs: no re-comparison),
 *   and monotonicity in t is not guaranteed.
 *
 * Ties are broken by record index, so the result is deterministic.
 * greedyOneToOne is for linking two tables known to have no duplicates inside each: pairs
 * taken in descending score, each record used at most once.
 */
import { UnionFind } from '../../kernel/union-find';

/** Dendrogram linkages (monotone in the threshold); see evidenceClusters for the third method. */
export type Linkage = 'single' | 'average';

export interface Dendrogram {
  n: number;
  linkage: Linkage;
  /** A record of each merged side (merge k joins the clusters of left[k] and right[k]). */
  left: Int32Array;
  right: Int32Array;
  /** Merge heights, non-increasing. */
  heights: Float64Array;
}

export interface DendrogramOptions {
  linkage?: Linkage;
  /** Average linkage: score of a pair that was not compared (default 0). */
  missingScore?: number;
  /** Merges below this height are not recorded (default −Infinity for single, missingScore for average). */
  floor?: number;
}

interface HeapItem {
  h: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

/** Max-heap by height, ties by smaller (a, b). */
class MaxHeap {
  private items: HeapItem[] = [];
  get length(): number {
    return this.items.length;
  }
  private before(x: HeapItem, y: HeapItem): boolean {
    return x.h > y.h || (x.h === y.h && (x.a < y.a || (x.a === y.a && x.b < y.b)));
  }
  push(it: HeapItem): void {
    const arr = this.items;
    arr.push(it);
    let i = arr.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(arr[i]!, arr[p]!)) break;
      [arr[i], arr[p]] = [arr[p]!, arr[i]!];
      i = p;
    }
  }
  pop(): HeapItem | undefined {
    const arr = this.items;
    if (arr.length === 0) return undefined;
    const top = arr[0]!;
    const last = arr.pop()!;
    if (arr.length > 0) {
      arr[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < arr.length && this.before(arr[l]!, arr[best]!)) best = l;
        if (r < arr.length && this.before(arr[r]!, arr[best]!)) best = r;
        if (best === i) break;
        [arr[i], arr[best]] = [arr[best]!, arr[i]!];
        i = best;
      }
    }
    return top;
  }
}

function checkEdges(n: number, a: ArrayLike<number>, b: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (a.length !== b.length || a.length !== scores.length) throw new Error('pairs and scores must have the same length');
  for (let p = 0; p < a.length; p++) {
    if (a[p]! < 0 || a[p]! >= n || b[p]! < 0 || b[p]! >= n) throw new Error(`pair ${p} has a record index outside 0..${n - 1}`);
  }
}

/** Builds the merge list once; cut it with cutDendrogram at any threshold. */
export function buildDendrogram(
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  scores: ArrayLike<number>,
  opts: DendrogramOptions = {},
): Dendrogram {
  checkEdges(n, a, b, scores);
  const linkage = opts.linkage ?? 'single';
  const left: number[] = [];
  const right: number[] = [];
  const heights: number[] = [];
  if (linkage === 'single') {
    const floor = opts.floor ?? -Infinity;
    const order = Array.from({ length: a.length }, (_, p) => p).filter((p) => scores[p]! >= floor && !Number.isNaN(scores[p]!));
    order.sort((x, y) => scores[y]! - scores[x]! || Math.min(a[x]!, b[x]!) - Math.min(a[y]!, b[y]!) || Math.max(a[x]!, b[x]!) - Math.max(a[y]!, b[y]!));
    const uf = new UnionFind(n);
    for (const p of order) {
      if (uf.union(a[p]!, b[p]!)) {
        left.push(a[p]!);
        right.push(b[p]!);
        heights.push(scores[p]!);
      }
    }
  } else {
    const missing = opts.missingScore ?? 0;
    const floor = opts.floor ?? missing;
    // excess(A,B) = Σ over compared cross pairs of (score − missing); linkage = missing + excess / (|A|·|B|)
    const nbrs: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (let p = 0; p < a.length; p++) {
      const i = a[p]!;
      const j = b[p]!;
      if (i === j || Number.isNaN(scores[p]!)) continue;
      const e = scores[p]! - missing;
      // a pair listed twice keeps its best score
      const prev = nbrs[i]!.get(j);
      if (prev === undefined || e > prev) {
        nbrs[i]!.set(j, e);
        nbrs[j]!.set(i, e);
      }
    }
    const size = new Int32Array(n).fill(1);
    const version = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    const heap = new MaxHeap();
    for (let i = 0; i < n; i++)
      for (const [j, e] of nbrs[i]!) if (i < j && missing + e >= floor) heap.push({ h: missing + e, a: i, b: j, va: 0, vb: 0 });
    while (heap.length > 0) {
      const it = heap.pop()!;
      if (!alive[it.a] || !alive[it.b] || version[it.a] !== it.va || version[it.b] !== it.vb) continue;
      // merge the smaller neighbour map into the larger; the kept id is the larger map's
      let keep = it.a;
      let gone = it.b;
      if (nbrs[keep]!.size < nbrs[gone]!.size) [keep, gone] = [gone, keep];
      left.push(it.a);
      right.push(it.b);
      heights.push(it.h);
      const mk = nbrs[keep]!;
      const mg = nbrs[gone]!;
      mk.delete(gone);
      mg.delete(keep);
      for (const [x, e] of mg) {
        mk.set(x, (mk.get(x) ?? 0) + e);
        nbrs[x]!.delete(gone);
      }
      size[keep] += size[gone]!;
      alive[gone] = 0;
      nbrs[gone] = new Map();
      version[keep]++;
      for (const [x, e] of mk) {
        nbrs[x]!.set(keep, e);
        const h = missing + e / (size[keep]! * size[x]!);
        if (h >= floor) {
          const [p, q] = keep < x ? [keep, x] : [x, keep];
          heap.push({ h, a: p, b: q, va: version[p]!, vb: version[q]! });
        }
      }
    }
  }
  return { n, linkage, left: Int32Array.from(left), right: Int32Array.from(right), heights: Float64Array.from(heights) };
}

/**
 * Cluster label of every record at a threshold: labels 0..k−1, numbered by cluster size
 * (largest first), ties by smallest member; singletons get labels too.
 */
export function cutDendrogram(d: Dendrogram, threshold: number): Int32Array {
  const uf = new UnionFind(d.n);
  for (let k = 0; k < d.heights.length && d.heights[k]! >= threshold; k++) uf.union(d.left[k]!, d.right[k]!);
  const roots = new Int32Array(d.n);
  const first = new Map<number, number>();
  for (let i = 0; i < d.n; i++) {
    const r = uf.find(i);
    roots[i] = r;
    if (!first.has(r)) first.set(r, i);
  }
  const order = [...first.keys()].sort((x, y) => uf.sizeOf(y) - uf.sizeOf(x) || first.get(x)! - first.get(y)!);
  const label = new Map<number, number>();
  order.forEach((r, k) => label.set(r, k));
  const out = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) out[i] = label.get(roots[i]!)!;
  return out;
}

/** Members of every cluster with at least minSize records (default 2), in label order. */
export function clusterMembers(labels: ArrayLike<number>, minSize = 2): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let g = groups.get(l);
    if (!g) groups.set(l, (g = []));
    g.push(i);
  }
  return [...groups.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([, g]) => g)
    .filter((g) => g.length >= minSize);
}

/** One-shot: clusters (of ≥ 2 records) of the pairs at a threshold. */
export function clusterPairs(
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
  opts: DendrogramOptions = {},
): number[][] {
  return clusterMembers(cutDendrogram(buildDendrogram(n, a, b, scores, opts), threshold));
}

/** Cluster labels by the evidence method at threshold t (see the header). */
export function evidenceClusters(n: number, a: ArrayLike<number>, b: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Int32Array {
  return cutDendrogram(buildDendrogram(n, a, b, scores, { linkage: 'average', missingScore: threshold, floor: threshold }), threshold);
}

/** Pair indices kept by a greedy one-to-one assignment (descending score, each record used once, score ≥ threshold). */
export function greedyOneToOne(a: ArrayLike<number>, b: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): number[] {
  const order = Array.from({ length: a.length }, (_, p) => p).filter((p) => scores[p]! >= threshold);
  order.sort((x, y) => scores[y]! - scores[x]! || a[x]! - a[y]! || b[x]! - b[y]!);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const kept: number[] = [];
  for (const p of order) {
    if (usedA.has(a[p]!) || usedB.has(b[p]!)) continue;
    usedA.add(a[p]!);
    usedB.add(b[p]!);
    kept.push(p);
  }
  return kept.sort((x, y) => x - y);
}
