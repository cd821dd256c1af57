/** k-means and silhouette against the published references on real data. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { datasetPath } from '../../helpers/datasets';
import { kmeans, elbow } from '../../../main/analysis/segments/kmeans';
import { silhouette } from '../../../main/analysis/segments/silhouette';
import { transformMatrix } from '../../../main/analysis/segments/transforms';
import { computeRfm } from '../../../main/analysis/segments/rfm';
import { createRng, randNormal } from '../../../main/kernel/random';

function csv(name: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true }).data;
}
function matrix(rows: Record<string, string>[], cols: string[]): Float64Array {
  const m = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (m[i * cols.length + j] = Number(r[c]))));
  return m;
}

describe('k-means references', () => {
  it('iris, raw features, k=3: inertia 78.851, sizes 50/62/38, silhouette 0.5528', () => {
    const rows = csv('iris.csv');
    const X = matrix(rows, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const r = kmeans(X, 150, 4, { k: 3, nInit: 10, seed: 0 });
    expect(r.inertia).toBeCloseTo(78.851, 3);
    expect(r.sizes).toEqual([62, 50, 38]);
    expect(silhouette(X, 150, 4, r.labels)).toBeCloseTo(0.5528, 4);
    // Same seed → identical labels; another seed finds the same optimum.
    expect(kmeans(X, 150, 4, { k: 3, nInit: 10, seed: 0 }).labels).toEqual(r.labels);
    expect(kmeans(X, 150, 4, { k: 3, nInit: 10, seed: 99 }).inertia).toBeCloseTo(78.851, 3);
  });

  it('mall customers, income × spending, k=5: inertia 44448.4554 (sizes 81/39/35/23/22), silhouette 0.5539', () => {
    const rows = csv('mall-customers.csv');
    const X = matrix(rows, ['Annual Income (k$)', 'Spending Score (1-100)']);
    const r = kmeans(X, 200, 2, { k: 5, nInit: 10, seed: 0 });
    expect(r.inertia).toBeCloseTo(44448.4554, 3);
    expect(r.sizes).toEqual([81, 39, 35, 23, 22]);
    expect(silhouette(X, 200, 2, r.labels)).toBeCloseTo(0.5539, 3);
  });

  it('online-retail-sample RFM (log1p + standardize), k=4: 442 customers, inertia ≤ 412.49×1.001, silhouette 0.3306 ± 0.002', () => {
    const rows = csv('online-retail-sample.csv').filter((r) => r.CustomerID !== '' && !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0 && Number(r.UnitPrice) > 0);
    const t = computeRfm({
      customer: rows.map((r) => r.CustomerID!),
      time: rows.map((r) => Date.parse(r.InvoiceDate!.replace(' ', 'T') + 'Z')),
      amount: rows.map((r) => Number(r.Quantity) * Number(r.UnitPrice)),
      invoice: rows.map((r) => r.InvoiceNo!),
    });
    expect(t.customers).toHaveLength(442);
    const n = t.customers.length;
    const raw = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) raw.set([t.recency[i]!, t.frequency[i]!, t.monetary[i]!], i * 3);
    const { data } = transformMatrix(raw, n, 3, ['log1p', 'standardize']);
    const r = kmeans(data, n, 3, { k: 4, nInit: 10, seed: 0 });
    expect(r.inertia).toBeLessThanOrEqual(412.49 * 1.001);
    expect(r.inertia).toBeGreaterThan(400);
    expect(Math.abs(silhouette(data, n, 3, r.labels) - 0.3306)).toBeLessThan(0.002);
    // With recency counted to the day after the last invoice: 407.66 / 0.3315.
    const t2 = computeRfm({ customer: rows.map((r) => r.CustomerID!), time: rows.map((r) => Date.parse(r.InvoiceDate!.replace(' ', 'T') + 'Z')), amount: rows.map((r) => Number(r.Quantity) * Number(r.UnitPrice)), invoice: rows.map((r) => r.InvoiceNo!) }, { recencyFrom: 'dayAfterLast' });
    for (let i = 0; i < n; i++) raw.set([t2.recency[i]!, t2.frequency[i]!, t2.monetary[i]!], i * 3);
    const d2 = transformMatrix(raw, n, 3, ['log1p', 'standardize']).data;
    const r2 = kmeans(d2, n, 3, { k: 4, nInit: 10, seed: 0 });
    expect(r2.inertia).toBeCloseTo(407.66, 1);
    expect(Math.abs(silhouette(d2, n, 3, r2.labels) - 0.3315)).toBeLessThan(0.002);
  });

  it('elbow inertia falls with k; mini-batch lands within a few percent of Lloyd on 200k points', () => {
    const rng = createRng(5);
    const n = 200_000;
    const d = 8;
    const X = new Float64Array(n * d);
    const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => randNormal(rng) * 6));
    for (let i = 0; i < n; i++) {
      const c = centres[i % 4]!;
      for (let u = 0; u < d; u++) X[i * d + u] = c[u]! + randNormal(rng);
    }
    const full = kmeans(X, n, d, { k: 4, nInit: 1, seed: 1, miniBatch: false });
    const mb = kmeans(X, n, d, { k: 4, nInit: 1, seed: 1, miniBatch: true });
    expect(mb.inertia / full.inertia).toBeLessThan(1.03);
    const small = X.subarray(0, 2000 * d);
    const curve = elbow(small, 2000, d, 2, 6, { nInit: 3, seed: 0 });
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.inertia).toBeLessThanOrEqual(curve[i - 1]!.inertia);
  });

  it('validates its input', () => {
    expect(() => kmeans(new Float64Array([1, 2, NaN, 4]), 2, 2, { k: 1 })).toThrow(/NaN/);
    expect(() => kmeans(new Float64Array(4), 2, 2, { k: 3 })).toThrow(/k must/);
    expect(() => kmeans(new Float64Array(3), 2, 2, { k: 1 })).toThrow(/expected 2 × 2/);
  });
});
