/** Association rules (FP-growth) and item-based recommendations on real baskets. */
import { describe, expect, it } from 'vitest';
import { associationRules, buildBaskets, fpGrowth } from '../../../main/analysis/value/fpgrowth';
import { evaluateRecommendations, fitItemCf, recommendItemCf, recommendPopular } from '../../../main/analysis/value/recommend';
import { csv } from './load';

const mlxtend = [
  ['Milk', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
  ['Dill', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
  ['Milk', 'Apple', 'Kidney Beans', 'Eggs'],
  ['Milk', 'Unicorn', 'Corn', 'Kidney Beans', 'Yogurt'],
  ['Corn', 'Onion', 'Onion', 'Kidney Beans', 'Ice cream', 'Eggs'],
];

const setKey = (items: string[]) => [...items].sort().join('|');

/** Independent count: every k-subset (k ≤ maxK) of each basket restricted to frequent single items. */
function bruteForce(baskets: string[][], minSupport: number, maxK: number): Map<string, number> {
  const N = baskets.length;
  const single = new Map<string, number>();
  for (const b of baskets) for (const it of new Set(b)) single.set(it, (single.get(it) ?? 0) + 1);
  const isFrequent = (c: number) => c / N >= minSupport - 1e-12;
  const counts = new Map<string, number>();
  for (const b of baskets) {
    // Any subset of a frequent itemset is frequent, so only frequent single items can take part.
    const items = [...new Set(b)].filter((it) => isFrequent(single.get(it)!)).sort();
    const rec = (start: number, chosen: string[]) => {
      if (chosen.length > 0) {
        const k = chosen.join('|');
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      if (chosen.length === maxK) return;
      for (let i = start; i < items.length; i++) rec(i + 1, [...chosen, items[i]!]);
    };
    rec(0, []);
  }
  return new Map([...counts].filter(([, c]) => isFrequent(c)));
}

describe('FP-growth', () => {
  it("mlxtend's 5-basket example at min_support 0.6: 11 itemsets, {Kidney Beans, Eggs} 0.8", () => {
    const r = fpGrowth(mlxtend, { minSupport: 0.6 });
    expect(r.itemsets).toHaveLength(11);
    const sup = new Map(r.itemsets.map((s) => [setKey(s.items), s.support]));
    expect(sup.get(setKey(['Kidney Beans', 'Eggs']))).toBeCloseTo(0.8, 12);
    expect(sup.get('Kidney Beans')).toBe(1);
    expect(sup.get(setKey(['Kidney Beans', 'Eggs', 'Onion']))).toBeCloseTo(0.6, 12);
    expect(fpGrowth(mlxtend, { minSupport: 0.6, maxLength: 2 }).itemsets).toHaveLength(10);
  });

  it('association rules with support, confidence, lift, leverage, conviction (hand-checked on the mlxtend example)', () => {
    const rules = associationRules(fpGrowth(mlxtend, { minSupport: 0.6 }), { minConfidence: 0.7 });
    const find = (a: string[], c: string[]) => rules.find((r) => setKey(r.antecedent) === setKey(a) && setKey(r.consequent) === setKey(c));
    const eo = find(['Eggs'], ['Onion'])!;
    // s(E,O) = 0.6, s(E) = 0.8, s(O) = 0.6
    expect(eo.confidence).toBeCloseTo(0.75, 12);
    expect(eo.lift).toBeCloseTo(1.25, 12);
    expect(eo.leverage).toBeCloseTo(0.12, 12);
    expect(eo.conviction).toBeCloseTo(1.6, 12);
    const oe = find(['Onion'], ['Eggs'])!;
    expect(oe.confidence).toBe(1);
    expect(oe.conviction).toBe(Infinity);
    expect(find(['Kidney Beans'], ['Milk'])).toBeUndefined(); // confidence 0.6 < 0.7
    for (let i = 1; i < rules.length; i++) expect(rules[i - 1]!.lift).toBeGreaterThanOrEqual(rules[i]!.lift);
  });

  const { rows } = csv('online-retail-sample.csv');
  const built = buildBaskets(
    rows.map((r) => r.InvoiceNo),
    rows.map((r) => r.StockCode),
    { quantities: rows.map((r) => Number(r.Quantity)) },
  );

  it('baskets from online-retail-sample.csv exclude cancellations (C… invoices, negative quantities)', () => {
    expect(built.cancelledOrders).toBeGreaterThan(0);
    expect(built.orderIds.some((o) => o.startsWith('C'))).toBe(false);
    const cRows = rows.filter((r) => r.InvoiceNo!.startsWith('C') || Number(r.Quantity) <= 0).length;
    expect(built.excludedRows).toBe(cRows);
    for (const b of built.baskets) expect(new Set(b).size).toBe(b.length);
    const all = buildBaskets(
      rows.map((r) => r.InvoiceNo),
      rows.map((r) => r.StockCode),
      { excludeCancellations: false },
    );
    expect(all.baskets.length).toBeGreaterThan(built.baskets.length);
  });

  it('on the online-retail baskets, FP-growth equals a brute-force count (2% support; 1% up to 3 items)', () => {
    for (const [minSupport, maxLength] of [
      [0.02, Infinity],
      [0.01, 3],
    ] as const) {
      const r = fpGrowth(built.baskets, { minSupport, maxLength });
      const longest = Math.max(...r.itemsets.map((s) => s.items.length));
      // Count one size beyond the longest found, to prove nothing longer is frequent.
      const bf = bruteForce(built.baskets, minSupport, Math.min(maxLength, longest + 1));
      expect(r.itemsets.length).toBe(bf.size);
      for (const s of r.itemsets) expect(bf.get(setKey(s.items))).toBe(s.count);
      expect(r.itemsets.length).toBeGreaterThan(100);
    }
  });

  it('validates input and stops on explosions', () => {
    expect(() => fpGrowth(mlxtend, { minSupport: 0 })).toThrow(/minSupport/);
    expect(() => fpGrowth(built.baskets, { minSupport: 0.004, maxItemsets: 10_000 })).toThrow(/more than 10000 frequent itemsets/);
  });
});

describe('recommendations', () => {
  const { rows } = csv('online-retail-sample.csv');
  const ok = rows.filter((r) => r.CustomerID && !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0);
  const customers = ok.map((r) => r.CustomerID!);
  const items = ok.map((r) => r.StockCode!);
  const times = ok.map((r) => Date.parse(r.InvoiceDate!.replace(' ', 'T') + 'Z'));

  it('item-based CF: top-N excludes bought items, cosine similarities in (0, 1]', () => {
    const m = fitItemCf(customers, items, { neighbours: 50 });
    const recs = recommendItemCf(m, 10);
    expect(recs).toHaveLength(m.customers.length);
    m.customers.forEach((_, ci) => {
      const owned = new Set(Array.from(m.owned[ci]!, (j) => m.items[j]));
      expect(recs[ci]!).toHaveLength(10);
      for (const r of recs[ci]!) expect(owned.has(r.item)).toBe(false);
    });
    for (const s of m.sims) for (const v of s) expect(v > 0 && v <= 1 + 1e-12).toBe(true);
    // Hand check of one similarity: co-buyers / √(buyers_i · buyers_j).
    const i = m.popularity[0]!;
    const j = m.neighbours[i]![0]!;
    let co = 0;
    for (const o of m.owned) if (o.includes(i) && o.includes(j)) co++;
    expect(m.sims[i]![0]!).toBeCloseTo(co / Math.sqrt(m.buyers[i]! * m.buyers[j]!), 12);
    expect(recommendPopular(m, 5)[0]).toHaveLength(5);
  });

  it('time-based hold-out: CF beats the popularity baseline (hit rate@10 and recall@10)', () => {
    const def = evaluateRecommendations(customers, items, times, { k: 10 });
    const sep = evaluateRecommendations(customers, items, times, { k: 10, cutoff: Date.UTC(2011, 8, 1) });
    for (const e of [def, sep]) {
      expect(e.customers).toBeGreaterThan(100);
      expect(e.itemCf.hitRate).toBeGreaterThan(e.popularity.hitRate);
      expect(e.itemCf.recall).toBeGreaterThan(1.5 * e.popularity.recall);
    }
  });
});
