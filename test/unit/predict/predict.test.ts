/** Churn model, ROC, FP-growth, recommendations and forecasting against references and real data. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { datasetPath } from '../../helpers/datasets';
import { buildDesign, fitLogistic, predictProba } from '../../../main/analysis/predict/logistic';
import { confusion, roc, stratifiedSplit } from '../../../main/analysis/predict/metrics';
import { associationRules, fpGrowth } from '../../../main/analysis/predict/fpgrowth';
import { hitRate } from '../../../main/analysis/predict/recommend';
import { holtWinters } from '../../../main/analysis/predict/forecast';
import { createRng, randNormal } from '../../../main/analysis/random';

const csv = (name: string) => Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('ROC', () => {
  it('the textbook example: y=[0,0,1,1], scores=[.1,.4,.35,.8] → AUC 0.75', () => {
    expect(roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).auc).toBeCloseTo(0.75, 10);
    expect(roc([0, 1], [0.5, 0.5]).auc).toBeCloseTo(0.5, 10); // a tie counts one half
  });
});

describe('churn model on Telco', () => {
  it('stratified 70/30 split, standardized numbers + one-hot categories, L2 logistic regression → test AUC ≥ 0.84', () => {
    const rows: Record<string, string>[] = csv('telco-customer-churn.csv').map((r) => ({ ...r, TotalCharges: r.TotalCharges!.trim() === '' ? '0' : r.TotalCharges! }));
    const y = rows.map((r) => (r.Churn === 'Yes' ? 1 : 0));
    expect(y.filter(Boolean)).toHaveLength(1869);
    const numeric = ['tenure', 'MonthlyCharges', 'TotalCharges'];
    const categorical = Object.keys(rows[0]!).filter((c) => !numeric.includes(c) && c !== 'customerID' && c !== 'Churn');
    const { train, test } = stratifiedSplit(y, 0.3, 0);
    expect(test.length).toBe(Math.round(1869 * 0.3) + Math.round(5174 * 0.3));
    const design = buildDesign(train.map((i) => rows[i]!), { numeric, categorical });
    const model = fitLogistic(design.X, train.map((i) => y[i]!), train.length, design.d);
    expect(model.converged).toBe(true);
    const Xt = design.transform(test.map((i) => rows[i]!));
    const p = predictProba(model, Xt, test.length, design.d);
    const yt = test.map((i) => y[i]!);
    const r = roc(yt, p);
    expect(r.auc).toBeGreaterThanOrEqual(0.84);
    const c = confusion(yt, p, 0.5);
    expect(c.tp + c.fp + c.tn + c.fn).toBe(test.length);
    expect(c.accuracy).toBeGreaterThan(0.78);
    // Month-to-month contracts raise churn; long tenure lowers it.
    expect(model.weights[design.names.indexOf('Contract=Month-to-month')]!).toBeGreaterThan(model.weights[design.names.indexOf('Contract=Two year')]!);
    expect(model.weights[design.names.indexOf('tenure')]!).toBeLessThan(0);
  });
});

describe('FP-growth', () => {
  const baskets = [
    ['Milk', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
    ['Dill', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
    ['Milk', 'Apple', 'Kidney Beans', 'Eggs'],
    ['Milk', 'Unicorn', 'Corn', 'Kidney Beans', 'Yogurt'],
    ['Corn', 'Onion', 'Onion', 'Kidney Beans', 'Ice cream', 'Eggs'],
  ];
  it("mlxtend's example at min_support 0.6: 11 itemsets, {Kidney Beans, Eggs} 0.8", () => {
    const sets = fpGrowth(baskets, { minSupport: 0.6 });
    expect(sets).toHaveLength(11);
    expect(sets.find((s) => s.items.join('|') === 'Eggs|Kidney Beans')!.support).toBeCloseTo(0.8);
    const rules = associationRules(sets, { minConfidence: 0.7 });
    const r = rules.find((x) => x.antecedent.join() === 'Eggs' && x.consequent.join() === 'Kidney Beans')!;
    expect(r.confidence).toBeCloseTo(1);
    expect(r.lift).toBeCloseTo(1);
    expect(r.conviction).toBe(Infinity);
  });

  it('equals a brute-force count on the online-retail baskets (2% support)', () => {
    const rows = csv('online-retail-sample.csv').filter((r) => !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0);
    const byInv = new Map<string, Set<string>>();
    for (const r of rows) (byInv.get(r.InvoiceNo!) ?? byInv.set(r.InvoiceNo!, new Set()).get(r.InvoiceNo!)!).add(r.StockCode!);
    const baskets = [...byInv.values()].map((s) => [...s]);
    const sets = fpGrowth(baskets, { minSupport: 0.02 });
    // Brute force: count every 1-, 2- and 3-itemset built from frequent items.
    const n = baskets.length;
    const min = Math.ceil(0.02 * n - 1e-9);
    const count = (items: string[]) => baskets.filter((b) => items.every((i) => b.includes(i))).length;
    const single = [...new Set(baskets.flat())].filter((i) => count([i]) >= min).sort();
    const brute: string[] = single.map((i) => i);
    for (let a = 0; a < single.length; a++)
      for (let b = a + 1; b < single.length; b++) {
        const ab = [single[a]!, single[b]!];
        if (count(ab) < min) continue;
        brute.push(ab.join('|'));
        for (let c = b + 1; c < single.length; c++) if (count([...ab, single[c]!]) >= min) brute.push([...ab, single[c]!].join('|'));
      }
    const got = sets.filter((s) => s.items.length <= 3).map((s) => s.items.join('|'));
    expect(got.sort()).toEqual(brute.sort());
    expect(sets.every((s) => s.count === count(s.items))).toBe(true);
  });
});

describe('recommendations and forecast', () => {
  it('item-based CF beats the popularity baseline on a time-based hold-out', () => {
    const rows = csv('online-retail-sample.csv').filter((r) => r.CustomerID && !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0);
    const cut = '2011-09-01';
    const p = (r: Record<string, string>) => ({ customer: r.CustomerID!, item: r.StockCode! });
    const h = hitRate(rows.filter((r) => r.InvoiceDate! < cut).map(p), rows.filter((r) => r.InvoiceDate! >= cut).map(p), 10);
    expect(h.customers).toBeGreaterThan(100);
    expect(h.cf).toBeGreaterThan(h.popularity);
  });

  it('Holt-Winters recovers a seasonal pattern and its interval covers a held-out year', () => {
    const rng = createRng(3);
    const season = [10, 5, 0, -5, -8, -6, -2, 3, 8, 12, 15, 20];
    const y = Array.from({ length: 60 }, (_, t) => 100 + 0.8 * t + season[t % 12]! + randNormal(rng) * 2);
    const f = holtWinters(y.slice(0, 48), { period: 12, horizon: 12 });
    expect(f.seasonal).toBe(true);
    const inside = y.slice(48).filter((v, h) => v >= f.lower[h]! && v <= f.upper[h]!).length;
    expect(inside).toBeGreaterThanOrEqual(10);
    const err = y.slice(48).reduce((s, v, h) => s + Math.abs(v - f.forecast[h]!), 0) / 12;
    expect(err).toBeLessThan(5);
  });
});
