/**
 * Item-based collaborative filtering on implicit purchases: items are vectors of the customers
 * who bought them (binary); similarity = cosine = co-buyers / √(buyers_i · buyers_j). A
 * customer's score for an item they have not bought = Σ similarity to the items they bought.
 * Evaluated by hit rate@k on a time-based hold-out (a customer counts as a hit when any of the
 * items they buy after the cut-off is in their top k), beside a popularity baseline (the k
 * most bought items they do not have yet). When a customer has fewer than N scored items (few
 * or unusual purchases), the list is filled with the most popular items they do not own yet.
 */
export interface Purchase {
  customer: string;
  item: string;
}

export function itemCf(purchases: Purchase[], opts: { topN: number; maxNeighbours?: number }): Map<string, { item: string; score: number }[]> {
  const byCust = new Map<string, Set<string>>();
  const byItem = new Map<string, Set<string>>();
  for (const p of purchases) {
    (byCust.get(p.customer) ?? byCust.set(p.customer, new Set()).get(p.customer)!).add(p.item);
    (byItem.get(p.item) ?? byItem.set(p.item, new Set()).get(p.item)!).add(p.customer);
  }
  // Co-occurrence counts, item → item → co-buyers.
  const co = new Map<string, Map<string, number>>();
  for (const items of byCust.values()) {
    const arr = [...items];
    for (const a of arr) {
      let m = co.get(a);
      if (!m) co.set(a, (m = new Map()));
      for (const b of arr) if (a !== b) m.set(b, (m.get(b) ?? 0) + 1);
    }
  }
  const sims = new Map<string, [string, number][]>();
  for (const [a, m] of co) {
    const na = byItem.get(a)!.size;
    const list = [...m].map(([b, c]) => [b, c / Math.sqrt(na * byItem.get(b)!.size)] as [string, number]).sort((x, y) => y[1] - x[1]);
    sims.set(a, list.slice(0, opts.maxNeighbours ?? 200));
  }
  const popular = popularity(purchases);
  const out = new Map<string, { item: string; score: number }[]>();
  for (const [c, items] of byCust) {
    const score = new Map<string, number>();
    for (const i of items) for (const [j, s] of sims.get(i) ?? []) if (!items.has(j)) score.set(j, (score.get(j) ?? 0) + s);
    const list = [...score].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.topN).map(([item, s]) => ({ item, score: s }));
    for (const p of popular) {
      if (list.length >= opts.topN) break;
      if (!items.has(p) && !score.has(p)) list.push({ item: p, score: 0 });
    }
    out.set(c, list);
  }
  return out;
}

export function popularity(purchases: Purchase[]): string[] {
  const counts = new Map<string, Set<string>>();
  for (const p of purchases) (counts.get(p.item) ?? counts.set(p.item, new Set()).get(p.item)!).add(p.customer);
  return [...counts].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1)).map(([i]) => i);
}

export function hitRate(train: Purchase[], test: Purchase[], k: number): { cf: number; popularity: number; customers: number } {
  const recs = itemCf(train, { topN: k });
  const pop = popularity(train);
  const owned = new Map<string, Set<string>>();
  for (const p of train) (owned.get(p.customer) ?? owned.set(p.customer, new Set()).get(p.customer)!).add(p.item);
  const future = new Map<string, Set<string>>();
  for (const p of test) if (owned.has(p.customer) && !owned.get(p.customer)!.has(p.item)) (future.get(p.customer) ?? future.set(p.customer, new Set()).get(p.customer)!).add(p.item);
  let cf = 0;
  let pp = 0;
  for (const [c, items] of future) {
    if ((recs.get(c) ?? []).some((r) => items.has(r.item))) cf++;
    const mine = owned.get(c)!;
    if (pop.filter((i) => !mine.has(i)).slice(0, k).some((i) => items.has(i))) pp++;
  }
  const n = future.size;
  return { cf: n ? cf / n : 0, popularity: n ? pp / n : 0, customers: n };
}
