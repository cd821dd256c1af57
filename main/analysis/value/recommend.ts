/**
 * Item-based collaborative filtering on implicit (bought / not bought) data.
 *
 * - Interactions are binary: a customer "has" an item if any row links them (quantities and
 *   repeat purchases are ignored).
 * - Similarity of items i and j: co-occurrence cosine  sim(i, j) = c_ij / √(n_i · n_j), where c_ij
 *   is the number of customers who bought both and n_i the number who bought i. Only the
 *   `neighbours` (default 100) most similar items are kept per item (ties: more popular first).
 * - Score of an item j for a customer who owns the set O: Σ_{i∈O} sim(i, j); items already owned
 *   are never recommended. Top-N by score (ties: more popular first). When fewer than N items have a
 *   positive score, the list is filled with the most popular unowned items (`fillWithPopular`,
 *   default true) so every customer gets N suggestions; filled entries have score 0.
 * - Popularity baseline: items by number of distinct buyers, excluding owned ones.
 * - Evaluation (`evaluateRecommendations`): a time-based hold-out. Rows before `cutoff` train the
 *   model, rows at or after it are the test period. Evaluated customers have ≥ 1 training item and
 *   ≥ 1 NEW item in the test period (an item they had not bought before — the only kind that can
 *   be recommended). Hit rate@k = share of evaluated customers with at least one of their top-k
 *   recommendations among their new items; precision@k = hits / k and recall@k = hits / new items,
 *   averaged over customers. The default cutoff is the 80th percentile of the row times.
 */
import { quantile } from '../../kernel/stats';
import { CancelledError } from '../../../shared/errors';

type Id = string | number;

export interface ItemCfModel {
  items: Id[];
  /** Distinct buyers per item (training data). */
  buyers: Int32Array;
  /** Neighbour lists: for item i, neighbours[i] item indices and sims[i] similarities (descending). */
  neighbours: Int32Array[];
  sims: Float64Array[];
  /** Item indices by decreasing popularity. */
  popularity: Int32Array;
  customers: Id[];
  /** Owned item indices per customer (same order as `customers`). */
  owned: Int32Array[];
}

export interface ItemCfOptions {
  neighbours?: number;
  shouldCancel?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The k best of ids[0..n) under `cmp` (negative = a ranks before b), sorted best first. A binary
 * heap keeps the current k best with the worst at the root: O(n log k) instead of a full sort.
 */
function topK(ids: Int32Array, n: number, k: number, cmp: (a: number, b: number) => number): Int32Array {
  const size = Math.min(k, n);
  const heap = new Int32Array(size);
  let h = 0;
  // "worse(a, b)": a ranks after b.
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < h && cmp(heap[l]!, heap[w]!) > 0) w = l;
      if (r < h && cmp(heap[r]!, heap[w]!) > 0) w = r;
      if (w === i) return;
      const t = heap[i]!;
      heap[i] = heap[w]!;
      heap[w] = t;
      i = w;
    }
  };
  for (let t = 0; t < n; t++) {
    const id = ids[t]!;
    if (h < size) {
      heap[h] = id;
      let i = h++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (cmp(heap[i]!, heap[p]!) <= 0) break;
        const tmp = heap[i]!;
        heap[i] = heap[p]!;
        heap[p] = tmp;
        i = p;
      }
    } else if (size > 0 && cmp(id, heap[0]!) < 0) {
      heap[0] = id;
      siftDown(0);
    }
  }
  return heap.sort(cmp);
}

function checkPairs(name: string, customers: ArrayLike<unknown>, items: ArrayLike<unknown>): void {
  if (!customers || !items || customers.length !== items.length) throw new Error(`${name}: customers and items must be arrays of the same length`);
}

/** Fits the item–item similarity model from (customer, item) rows. Blank ids are skipped. */
export function fitItemCf(customers: ArrayLike<Id | null | undefined>, items: ArrayLike<Id | null | undefined>, opts: ItemCfOptions = {}): ItemCfModel {
  checkPairs('fitItemCf', customers, items);
  const K = opts.neighbours ?? 100;
  if (!(Number.isInteger(K) && K >= 1)) throw new Error('fitItemCf: neighbours must be a positive integer');
  const cIndex = new Map<Id, number>();
  const iIndex = new Map<Id, number>();
  const custIds: Id[] = [];
  const itemIds: Id[] = [];
  const ownedSets: Set<number>[] = [];
  for (let r = 0; r < customers.length; r++) {
    const c = customers[r];
    const it = items[r];
    if (c === null || c === undefined || c === '' || it === null || it === undefined || it === '') continue;
    let ci = cIndex.get(c);
    if (ci === undefined) {
      ci = custIds.length;
      cIndex.set(c, ci);
      custIds.push(c);
      ownedSets.push(new Set());
    }
    let ii = iIndex.get(it);
    if (ii === undefined) {
      ii = itemIds.length;
      iIndex.set(it, ii);
      itemIds.push(it);
    }
    ownedSets[ci]!.add(ii);
  }
  const nI = itemIds.length;
  const owned = ownedSets.map((s) => Int32Array.from(s).sort());
  const buyers = new Int32Array(nI);
  const byItemCount = new Int32Array(nI);
  for (const o of owned) for (const i of o) buyers[i]!++;
  // Item → customers (CSR).
  const start = new Int32Array(nI + 1);
  for (let i = 0; i < nI; i++) start[i + 1] = start[i]! + buyers[i]!;
  const cust = new Int32Array(start[nI]!);
  owned.forEach((o, c) => {
    for (const i of o) cust[start[i]! + byItemCount[i]!++] = c;
  });
  const popularity = Int32Array.from({ length: nI }, (_, i) => i).sort((a, b) => buyers[b]! - buyers[a]! || a - b);
  const co = new Float64Array(nI);
  const touched = new Int32Array(nI);
  const neighbours: Int32Array[] = [];
  const sims: Float64Array[] = [];
  for (let i = 0; i < nI; i++) {
    if ((i & 255) === 0) {
      if (opts.shouldCancel && opts.shouldCancel()) throw new CancelledError();
      opts.onProgress?.(i, nI);
    }
    let nt = 0;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const o = owned[cust[k]!]!;
      for (let q = 0; q < o.length; q++) {
        const j = o[q]!;
        if (j === i) continue;
        if (co[j] === 0) touched[nt++] = j;
        co[j] = co[j]! + 1;
      }
    }
    for (let t = 0; t < nt; t++) {
      const j = touched[t]!;
      co[j] = co[j]! / Math.sqrt(buyers[i]! * buyers[j]!); // co now holds the cosine
    }
    const keep = topK(touched, nt, K, (a, b) => co[b]! - co[a]! || buyers[b]! - buyers[a]! || a - b);
    neighbours.push(keep);
    sims.push(Float64Array.from(keep, (j) => co[j]!));
    for (let t = 0; t < nt; t++) co[touched[t]!] = 0;
  }
  opts.onProgress?.(nI, nI);
  return { items: itemIds, buyers, neighbours, sims, popularity, customers: custIds, owned };
}

export interface Recommendation {
  item: Id;
  score: number;
}

function topN(model: ItemCfModel, ownedItems: Int32Array, n: number, fill: boolean, scores: Float64Array, touched: Int32Array): Recommendation[] {
  let nt = 0;
  const own = new Set(ownedItems);
  for (const i of ownedItems) {
    const nb = model.neighbours[i]!;
    const s = model.sims[i]!;
    for (let k = 0; k < nb.length; k++) {
      const j = nb[k]!;
      if (own.has(j)) continue;
      if (scores[j] === 0) touched[nt++] = j;
      scores[j] = scores[j]! + s[k]!;
    }
  }
  const cand = topK(touched, nt, n, (a, b) => scores[b]! - scores[a]! || model.buyers[b]! - model.buyers[a]! || a - b);
  const out: Recommendation[] = Array.from(cand, (j) => ({ item: model.items[j]!, score: scores[j]! }));
  if (fill && out.length < n) {
    const chosen = new Set(cand);
    for (const j of model.popularity) {
      if (out.length >= n) break;
      if (own.has(j) || chosen.has(j)) continue;
      out.push({ item: model.items[j]!, score: 0 });
    }
  }
  for (let t = 0; t < nt; t++) scores[touched[t]!] = 0;
  return out;
}

/** Top-N recommendations for every customer of the model (same order as model.customers). */
export function recommendItemCf(model: ItemCfModel, n = 10, opts: { fillWithPopular?: boolean } = {}): Recommendation[][] {
  if (!model || !Array.isArray(model.items)) throw new Error('recommendItemCf: a fitted model is required');
  if (!(Number.isInteger(n) && n >= 1)) throw new Error('recommendItemCf: n must be a positive integer');
  const scores = new Float64Array(model.items.length);
  const touched = new Int32Array(model.items.length);
  return model.owned.map((o) => topN(model, o, n, opts.fillWithPopular ?? true, scores, touched));
}

/** Most popular items the customer does not own. */
export function recommendPopular(model: ItemCfModel, n = 10): Recommendation[][] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error('recommendPopular: n must be a positive integer');
  return model.owned.map((o) => {
    const own = new Set(o);
    const out: Recommendation[] = [];
    for (const j of model.popularity) {
      if (out.length >= n) break;
      if (!own.has(j)) out.push({ item: model.items[j]!, score: model.buyers[j]! });
    }
    return out;
  });
}

export interface RecommenderScore {
  hitRate: number;
  precision: number;
  recall: number;
}

export interface RecommendationEvaluation {
  cutoff: number;
  k: number;
  trainRows: number;
  testRows: number;
  /** Customers evaluated (≥ 1 training item and ≥ 1 new item after the cutoff). */
  customers: number;
  itemCf: RecommenderScore;
  popularity: RecommenderScore;
}

export function evaluateRecommendations(
  customers: ArrayLike<Id | null | undefined>,
  items: ArrayLike<Id | null | undefined>,
  times: ArrayLike<number>,
  opts: { cutoff?: number; k?: number; neighbours?: number; fillWithPopular?: boolean; shouldCancel?: () => boolean } = {},
): RecommendationEvaluation {
  checkPairs('evaluateRecommendations', customers, items);
  if (!times || times.length !== customers.length) throw new Error('evaluateRecommendations: times must have one value per row');
  for (let r = 0; r < times.length; r++) if (!Number.isFinite(times[r]!)) throw new Error(`evaluateRecommendations: time at row ${r} is not finite`);
  const k = opts.k ?? 10;
  if (!(Number.isInteger(k) && k >= 1)) throw new Error('evaluateRecommendations: k must be a positive integer');
  const cutoff = opts.cutoff ?? quantile(times, 0.8);
  if (!Number.isFinite(cutoff)) throw new Error('evaluateRecommendations: cutoff must be a finite time');
  const trC: (Id | null | undefined)[] = [];
  const trI: (Id | null | undefined)[] = [];
  const test = new Map<Id, Set<Id>>();
  let testRows = 0;
  for (let r = 0; r < times.length; r++) {
    if (times[r]! < cutoff) {
      trC.push(customers[r]);
      trI.push(items[r]);
    } else {
      const c = customers[r];
      const it = items[r];
      if (c === null || c === undefined || c === '' || it === null || it === undefined || it === '') continue;
      testRows++;
      let s = test.get(c);
      if (!s) test.set(c, (s = new Set()));
      s.add(it);
    }
  }
  if (trC.length === 0) throw new Error('evaluateRecommendations: no rows before the cutoff');
  const model = fitItemCf(trC, trI, { neighbours: opts.neighbours, shouldCancel: opts.shouldCancel });
  const cf = recommendItemCf(model, k, { fillWithPopular: opts.fillWithPopular });
  const pop = recommendPopular(model, k);
  const acc = { cf: { hit: 0, prec: 0, rec: 0 }, pop: { hit: 0, prec: 0, rec: 0 } };
  let evaluated = 0;
  model.customers.forEach((c, ci) => {
    const future = test.get(c);
    if (!future) return;
    const ownedIds = new Set(Array.from(model.owned[ci]!, (j) => model.items[j]!));
    const fresh = new Set([...future].filter((it) => !ownedIds.has(it)));
    if (fresh.size === 0) return;
    evaluated++;
    for (const [name, recs] of [['cf', cf[ci]!], ['pop', pop[ci]!]] as const) {
      let h = 0;
      for (const r of recs) if (fresh.has(r.item)) h++;
      const a = acc[name];
      if (h > 0) a.hit++;
      a.prec += h / k;
      a.rec += h / fresh.size;
    }
  });
  const score = (a: { hit: number; prec: number; rec: number }): RecommenderScore =>
    evaluated > 0 ? { hitRate: a.hit / evaluated, precision: a.prec / evaluated, recall: a.rec / evaluated } : { hitRate: NaN, precision: NaN, recall: NaN };
  return { cutoff, k, trainRows: trC.length, testRows, customers: evaluated, itemCf: score(acc.cf), popularity: score(acc.pop) };
}
