/**
 * FP-growth (Han, Pei & Yin 2000): frequent itemsets without candidate generation. Items in
 * each basket are de-duplicated and ordered by global frequency (ties by name); the FP-tree is
 * mined recursively through conditional pattern bases. Rules X → Y from each frequent itemset:
 * support = s(X∪Y), confidence = s(X∪Y)/s(X), lift = confidence/s(Y), leverage = s(X∪Y) − s(X)s(Y),
 * conviction = (1 − s(Y))/(1 − confidence) (∞ when confidence = 1).
 */
interface Node {
  item: string;
  count: number;
  parent: Node | null;
  children: Map<string, Node>;
  next: Node | null;
}

export interface Itemset {
  items: string[];
  count: number;
  support: number;
}

function buildTree(transactions: { items: string[]; count: number }[], minCount: number) {
  const freq = new Map<string, number>();
  for (const t of transactions) for (const i of t.items) freq.set(i, (freq.get(i) ?? 0) + t.count);
  const keep = [...freq].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const rank = new Map(keep.map(([i], k) => [i, k]));
  const root: Node = { item: '', count: 0, parent: null, children: new Map(), next: null };
  const heads = new Map<string, Node | null>(keep.map(([i]) => [i, null]));
  for (const t of transactions) {
    const items = t.items.filter((i) => rank.has(i)).sort((a, b) => rank.get(a)! - rank.get(b)!);
    let node = root;
    for (const i of items) {
      let child = node.children.get(i);
      if (!child) {
        child = { item: i, count: 0, parent: node, children: new Map(), next: heads.get(i) ?? null };
        heads.set(i, child);
        node.children.set(i, child);
      }
      child.count += t.count;
      node = child;
    }
  }
  return { heads, order: keep.map(([i]) => i), freq };
}

export function fpGrowth(baskets: string[][], opts: { minSupport: number; maxLength?: number; shouldCancel?: () => boolean }): Itemset[] {
  if (!(opts.minSupport > 0 && opts.minSupport <= 1)) throw new Error('minSupport must be in (0, 1]');
  const n = baskets.length;
  const minCount = Math.ceil(opts.minSupport * n - 1e-9);
  const maxLen = opts.maxLength ?? Infinity;
  const out: Itemset[] = [];
  const mine = (transactions: { items: string[]; count: number }[], suffix: string[]) => {
    if (opts.shouldCancel?.()) throw new Error('cancelled');
    const { heads, order, freq } = buildTree(transactions, minCount);
    for (let k = order.length - 1; k >= 0; k--) {
      const item = order[k]!;
      const itemset = [item, ...suffix];
      out.push({ items: itemset, count: freq.get(item)!, support: freq.get(item)! / n });
      if (itemset.length >= maxLen) continue;
      const base: { items: string[]; count: number }[] = [];
      for (let node = heads.get(item) ?? null; node; node = node.next) {
        const path: string[] = [];
        for (let p = node.parent; p && p.item !== ''; p = p.parent) path.push(p.item);
        if (path.length) base.push({ items: path, count: node.count });
      }
      if (base.length) mine(base, itemset);
    }
  };
  mine(baskets.map((b) => ({ items: [...new Set(b)], count: 1 })), []);
  for (const s of out) s.items.sort();
  return out.sort((a, b) => b.support - a.support || a.items.length - b.items.length || a.items.join('\u0001').localeCompare(b.items.join('\u0001')));
}

export interface Rule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

export function associationRules(itemsets: Itemset[], opts: { minConfidence: number }): Rule[] {
  const sup = new Map(itemsets.map((s) => [s.items.join('\u0001'), s.support]));
  const rules: Rule[] = [];
  for (const s of itemsets) {
    if (s.items.length < 2) continue;
    const k = s.items.length;
    for (let mask = 1; mask < (1 << k) - 1; mask++) {
      const a = s.items.filter((_, i) => mask & (1 << i));
      const c = s.items.filter((_, i) => !(mask & (1 << i)));
      const sa = sup.get(a.join('\u0001'));
      const sc = sup.get(c.join('\u0001'));
      if (sa === undefined || sc === undefined) continue;
      const confidence = s.support / sa;
      if (confidence < opts.minConfidence) continue;
      rules.push({ antecedent: a, consequent: c, support: s.support, confidence, lift: confidence / sc, leverage: s.support - sa * sc, conviction: confidence >= 1 ? Infinity : (1 - sc) / (1 - confidence) });
    }
  }
  return rules.sort((x, y) => y.lift - x.lift || y.confidence - x.confidence);
}
