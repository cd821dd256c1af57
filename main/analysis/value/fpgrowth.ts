/**
 * Market-basket analysis: baskets from (order id, item) rows, FP-growth frequent itemsets
 * (Han, Pei & Yin 2000) and association rules with the metrics of mlxtend / Agrawal et al.
 *
 * Baskets (`buildBaskets`): one basket per order id; an item counts once per basket however many
 * rows or units it has. Excluded by default: rows of cancellation orders (order id starting with
 * "C" or "c", the UCI Online Retail convention), rows with quantity ≤ 0 (returns, adjustments),
 * and rows with a blank order id or item. Cancellations are not subtracted from the original
 * order (the sold basket still says what was bought together).
 *
 * FP-growth: support(S) = (baskets containing S) / (all baskets); an itemset is frequent when its
 * support ≥ minSupport (count ≥ ⌈minSupport·N⌉ with a 1e-9 tolerance), like mlxtend's
 * `fpgrowth(min_support=…)`. Items are ordered by decreasing frequency (ties: first seen), each
 * basket is inserted into a prefix tree, and the tree is mined recursively through conditional
 * pattern bases, up to `maxLength` items. The result is exact: the same itemsets and counts as
 * brute-force counting.
 *
 * Rules (`associationRules`): for every frequent itemset S with |S| ≥ 2 and every non-empty
 * proper subset A, the rule A → C = S \ A with
 *   support = s(S), confidence = s(S)/s(A), lift = confidence / s(C),
 *   leverage = s(S) − s(A)·s(C), conviction = (1 − s(C)) / (1 − confidence) (∞ when confidence = 1),
 * kept when confidence ≥ minConfidence (default 0.5) and lift ≥ minLift (default 0). Sorted by lift,
 * then confidence, then support (descending).
 */
import { CancelledError } from '../../../shared/errors';

export interface BasketOptions {
  quantities?: ArrayLike<number | null | undefined>;
  /** Drop "C…" orders and quantity ≤ 0 rows (default true). */
  excludeCancellations?: boolean;
}

export interface Baskets {
  /** Items of each basket (distinct, in first-seen order). */
  baskets: string[][];
  orderIds: string[];
  excludedRows: number;
  cancelledOrders: number;
}

function key(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

export function buildBaskets(orderIds: ArrayLike<string | number | null | undefined>, items: ArrayLike<string | number | null | undefined>, opts: BasketOptions = {}): Baskets {
  if (!orderIds || !items || orderIds.length !== items.length) throw new Error('buildBaskets: orderIds and items must be arrays of the same length');
  const q = opts.quantities;
  if (q && q.length !== orderIds.length) throw new Error('buildBaskets: quantities must have the same length as orderIds');
  const exclude = opts.excludeCancellations ?? true;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const sets: Set<string>[] = [];
  const cancelled = new Set<string>();
  let excluded = 0;
  for (let i = 0; i < orderIds.length; i++) {
    const o = key(orderIds[i]);
    const it = key(items[i]);
    if (o === '' || it === '') {
      excluded++;
      continue;
    }
    if (exclude) {
      if (o[0] === 'C' || o[0] === 'c') {
        cancelled.add(o);
        excluded++;
        continue;
      }
      if (q) {
        const qi = q[i];
        if (typeof qi === 'number' && Number.isFinite(qi) && qi <= 0) {
          excluded++;
          continue;
        }
      }
    }
    let k = index.get(o);
    if (k === undefined) {
      k = ids.length;
      index.set(o, k);
      ids.push(o);
      sets.push(new Set());
    }
    sets[k]!.add(it);
  }
  return { baskets: sets.map((s) => [...s]), orderIds: ids, excludedRows: excluded, cancelledOrders: cancelled.size };
}

export interface FpGrowthOptions {
  /** Minimum support as a fraction of baskets, in (0, 1]. */
  minSupport: number;
  /** Largest itemset size (default: no limit). */
  maxLength?: number;
  shouldCancel?: () => boolean;
  /** Stop with an error beyond this many itemsets (default 1,000,000) instead of exhausting memory. */
  maxItemsets?: number;
}

export interface FrequentItemset<T> {
  items: T[];
  count: number;
  support: number;
}

export interface FpGrowthResult<T> {
  itemsets: FrequentItemset<T>[];
  transactions: number;
  minCount: number;
}

/** Prefix tree over item ranks (0 = most frequent). Node 0 is the root. */
class FpTree {
  item: number[] = [-1];
  count: number[] = [0];
  parent: number[] = [-1];
  firstChild: number[] = [-1];
  nextSibling: number[] = [-1];
  /** Per item: head of the node-link list, and the item's total count in this tree. */
  head: Int32Array;
  nextSame: number[] = [-1];
  total: Float64Array;

  constructor(nItems: number) {
    this.head = new Int32Array(nItems).fill(-1);
    this.total = new Float64Array(nItems);
  }

  /** Inserts a path of ranks (ascending = most frequent first) with a count. */
  insert(path: ArrayLike<number>, len: number, c: number): void {
    let node = 0;
    for (let k = 0; k < len; k++) {
      const it = path[k]!;
      let ch = this.firstChild[node]!;
      while (ch >= 0 && this.item[ch] !== it) ch = this.nextSibling[ch]!;
      if (ch < 0) {
        ch = this.item.length;
        this.item.push(it);
        this.count.push(0);
        this.parent.push(node);
        this.firstChild.push(-1);
        this.nextSibling.push(this.firstChild[node]!);
        this.firstChild[node] = ch;
        this.nextSame.push(this.head[it]!);
        this.head[it] = ch;
      }
      this.count[ch] = this.count[ch]! + c;
      this.total[it] = this.total[it]! + c;
      node = ch;
    }
  }
}

export function fpGrowth<T extends string | number>(baskets: ArrayLike<ArrayLike<T>>, opts: FpGrowthOptions): FpGrowthResult<T> {
  if (!baskets || typeof baskets.length !== 'number') throw new Error('fpGrowth: baskets must be an array of item arrays');
  if (!opts || !(opts.minSupport > 0 && opts.minSupport <= 1)) throw new Error('fpGrowth: minSupport must be a fraction in (0, 1]');
  const maxLength = opts.maxLength ?? Infinity;
  if (!(maxLength >= 1)) throw new Error('fpGrowth: maxLength must be at least 1');
  const maxItemsets = opts.maxItemsets ?? 1_000_000;
  const N = baskets.length;
  if (N === 0) return { itemsets: [], transactions: 0, minCount: 0 };
  const minCount = Math.max(1, Math.ceil(opts.minSupport * N - 1e-9));
  // Item dictionary and per-basket distinct ids.
  const dict = new Map<T, number>();
  const labels: T[] = [];
  const freq: number[] = [];
  const encoded: Int32Array[] = [];
  for (let b = 0; b < N; b++) {
    const basket = baskets[b];
    if (!basket || typeof basket.length !== 'number') throw new Error(`fpGrowth: basket ${b} is not an array`);
    const seen = new Set<number>();
    for (let k = 0; k < basket.length; k++) {
      const it = basket[k]!;
      if (it === null || it === undefined) throw new Error(`fpGrowth: basket ${b} holds an empty item`);
      let id = dict.get(it);
      if (id === undefined) {
        id = labels.length;
        dict.set(it, id);
        labels.push(it);
        freq.push(0);
      }
      if (!seen.has(id)) {
        seen.add(id);
        freq[id]!++;
      }
    }
    encoded.push(Int32Array.from(seen));
  }
  // Frequent items ranked by decreasing count (ties: first seen).
  const frequent = labels.map((_, id) => id).filter((id) => freq[id]! >= minCount);
  frequent.sort((a, b) => freq[b]! - freq[a]! || a - b);
  const rankOf = new Int32Array(labels.length).fill(-1);
  frequent.forEach((id, r) => (rankOf[id] = r));
  const m = frequent.length;
  const tree = new FpTree(m);
  const path = new Int32Array(m);
  for (const e of encoded) {
    let len = 0;
    for (let k = 0; k < e.length; k++) {
      const r = rankOf[e[k]!]!;
      if (r >= 0) path[len++] = r;
    }
    if (len === 0) continue;
    const p = path.subarray(0, len).sort();
    tree.insert(p, len, 1);
  }
  const out: FrequentItemset<T>[] = [];
  const suffix: number[] = [];
  let visits = 0;
  const mine = (t: FpTree, nRanks: number): void => {
    // Least frequent first, as in the paper; conditional trees only hold ranks < the item's.
    for (let r = nRanks - 1; r >= 0; r--) {
      const cnt = t.total[r]!;
      if (cnt < minCount) continue;
      if ((++visits & 1023) === 0 && opts.shouldCancel && opts.shouldCancel()) throw new CancelledError();
      suffix.push(r);
      out.push({ items: suffix.map((s) => labels[frequent[s]!]!).reverse(), count: cnt, support: cnt / N });
      if (out.length > maxItemsets) throw new Error(`fpGrowth: more than ${maxItemsets} frequent itemsets; raise minSupport or lower maxLength`);
      if (suffix.length < maxLength && r > 0) {
        // Conditional pattern base: prefix paths of every node of r, weighted by its count.
        const condCount = new Float64Array(r);
        for (let nd = t.head[r]!; nd >= 0; nd = t.nextSame[nd]!) {
          const c = t.count[nd]!;
          for (let up = t.parent[nd]!; up > 0; up = t.parent[up]!) condCount[t.item[up]!] = condCount[t.item[up]!]! + c;
        }
        let any = false;
        for (let k = 0; k < r; k++) if (condCount[k]! >= minCount) any = true;
        if (any) {
          const ct = new FpTree(r);
          const buf = new Int32Array(r);
          for (let nd = t.head[r]!; nd >= 0; nd = t.nextSame[nd]!) {
            let len = 0;
            for (let up = t.parent[nd]!; up > 0; up = t.parent[up]!) {
              const it = t.item[up]!;
              if (condCount[it]! >= minCount) buf[len++] = it;
            }
            if (len === 0) continue;
            // Parents were collected leaf→root (descending rank); the tree wants ascending.
            buf.subarray(0, len).reverse();
            ct.insert(buf, len, t.count[nd]!);
          }
          mine(ct, r);
        }
      }
      suffix.pop();
    }
  };
  mine(tree, m);
  // Items inside an itemset in rank order (most frequent first); sets by size, then support.
  out.sort((a, b) => a.items.length - b.items.length || b.count - a.count);
  return { itemsets: out, transactions: N, minCount };
}

export interface AssociationRule<T> {
  antecedent: T[];
  consequent: T[];
  support: number;
  count: number;
  antecedentSupport: number;
  consequentSupport: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

export function associationRules<T extends string | number>(
  result: FpGrowthResult<T>,
  opts: { minConfidence?: number; minLift?: number; maxRules?: number } = {},
): AssociationRule<T>[] {
  if (!result || !Array.isArray(result.itemsets)) throw new Error('associationRules: pass the result of fpGrowth');
  const minConf = opts.minConfidence ?? 0.5;
  const minLift = opts.minLift ?? 0;
  if (!(minConf >= 0 && minConf <= 1)) throw new Error('associationRules: minConfidence must be in [0, 1]');
  if (!(minLift >= 0)) throw new Error('associationRules: minLift must be non-negative');
  const maxRules = opts.maxRules ?? 1_000_000;
  const ids = new Map<T, number>();
  for (const s of result.itemsets) for (const it of s.items) if (!ids.has(it)) ids.set(it, ids.size);
  const keyOf = (items: T[]) =>
    items
      .map((it) => ids.get(it)!)
      .sort((a, b) => a - b)
      .join(',');
  const support = new Map<string, number>();
  for (const s of result.itemsets) support.set(keyOf(s.items), s.support);
  const rules: AssociationRule<T>[] = [];
  for (const s of result.itemsets) {
    const k = s.items.length;
    if (k < 2) continue;
    // Every non-empty proper subset as antecedent (bit masks; k is small).
    for (let mask = 1; mask < (1 << k) - 1; mask++) {
      const A: T[] = [];
      const C: T[] = [];
      for (let b = 0; b < k; b++) (mask & (1 << b) ? A : C).push(s.items[b]!);
      const sA = support.get(keyOf(A));
      const sC = support.get(keyOf(C));
      if (sA === undefined || sC === undefined) continue; // cannot happen for FP-growth output
      const conf = s.support / sA;
      if (conf < minConf - 1e-12) continue;
      const lift = conf / sC;
      if (lift < minLift) continue;
      rules.push({
        antecedent: A,
        consequent: C,
        support: s.support,
        count: s.count,
        antecedentSupport: sA,
        consequentSupport: sC,
        confidence: conf,
        lift,
        leverage: s.support - sA * sC,
        conviction: conf >= 1 - 1e-12 ? Infinity : (1 - sC) / (1 - conf),
      });
      if (rules.length > maxRules) throw new Error(`associationRules: more than ${maxRules} rules; raise minConfidence or minSupport`);
    }
  }
  rules.sort((a, b) => b.lift - a.lift || b.confidence - a.confidence || b.support - a.support);
  return rules;
}
