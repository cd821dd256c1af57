import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { distinctFromHashes, fnv1a, patternOf, profileColumn, profileDataset } from '../../../main/analysis/quality/profile';
import { madFences } from '../../../main/analysis/quality/outliers';
import { createRng, randNormal } from '../../../main/kernel/random';
import { datasetPath } from '../../helpers/datasets';

function csv(name: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(datasetPath(name), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** Independent type-7 quantile on a plain sorted array. */
function q7(s: number[], p: number): number {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
}

describe('patterns, validity, distinct', () => {
  it('patterns map digits, letters and CJK, keeping runs and other characters', () => {
    expect(patternOf('138-1234-5678')).toBe('ddd-dddd-dddd');
    expect(patternOf('张三')).toBe('汉汉');
    expect(patternOf('AB12 c')).toBe('aadd a');
    expect(patternOf('+86 138')).toBe('+dd ddd');
    expect(patternOf('x'.repeat(50))).toBe('a'.repeat(40) + '…');
  });

  it('counts invalid phones with Chinese rules, invalid emails and dates, with row indices', () => {
    const p = profileColumn(['13812345678', '+8613812345678', '010-12345678', '12345678901', '12345', null, ''], 'phone');
    expect(p).toMatchObject({ count: 7, nulls: 2, nonNull: 5 });
    expect(p.invalid).toMatchObject({ count: 2, rows: [3, 4], reasons: { invalid_mobile: 1, too_short: 1 } });
    const e = profileColumn(['a@b.cn', 'A@B.CN', 'no-at', 'x@y', null], 'email');
    expect(e.invalid.count).toBe(2);
    expect(e.distinct).toBe(4);
    const d = profileColumn(['2024-01-05', '2024-02-30', '2024/3/1', 'N/A', '下周', '2024-01-05'], 'date');
    expect(d.nulls).toBe(1); // the placeholder
    expect(d.invalid).toMatchObject({ count: 2, rows: [1, 4] });
    expect(d.dates).toMatchObject({ min: '2024-01-05', max: '2024-03-01', median: '2024-01-05' });
    expect(d.top[0]).toEqual({ value: '2024-01-05', count: 2 });
  });

  it('distinct is exact below the limit and a close hash estimate above it', () => {
    const vals = Array.from({ length: 300_000 }, (_, i) => `客户${(i * 7919) % 250_000}`);
    const exact = profileColumn(vals, 'id', { exactDistinctLimit: 300_000 });
    expect(exact).toMatchObject({ distinct: 250_000, distinctExact: true, topExact: true });
    const est = profileColumn(vals, 'id', { exactDistinctLimit: 1000 });
    expect(est.distinctExact).toBe(false);
    expect(Math.abs(est.distinct - 250_000) / 250_000).toBeLessThan(0.002);
    const h = Uint32Array.from(['a', 'b', 'a'], fnv1a);
    expect(distinctFromHashes(h)).toBe(2);
  });
});

describe('numeric columns on real data', () => {
  it('online-retail Quantity: IQR and MAD outliers agree with a direct computation', () => {
    const rows = csv('online-retail-sample.csv');
    const q = rows.map((r) => Number(r.Quantity));
    const p = profileColumn(q, 'integer');
    const s = [...q].sort((a, b) => a - b);
    const q1 = q7(s, 0.25);
    const q3 = q7(s, 0.75);
    const lo = q1 - 1.5 * (q3 - q1);
    const hi = q3 + 1.5 * (q3 - q1);
    const iqrRows = q.flatMap((v, i) => (v < lo || v > hi ? [i] : []));
    expect(p.outliers!.iqr.count).toBe(iqrRows.length);
    expect(p.outliers!.iqr.rows).toEqual(iqrRows.slice(0, 1000));
    expect(p.outliers!.iqr.truncated).toBe(iqrRows.length > 1000);
    const med = q7(s, 0.5);
    const dev = q.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
    const mad = q7(dev, 0.5);
    const madCount = q.filter((v) => Math.abs((0.6745 * (v - med)) / mad) > 3.5).length;
    expect(mad).toBeGreaterThan(0);
    expect(p.outliers!.mad!.count).toBe(madCount);
    expect(iqrRows.length).toBeGreaterThan(1000); // heavy tails: bulk orders and cancellations
    expect(p.numeric!.median).toBe(med);
    expect(p.numeric!.mean).toBeCloseTo(q.reduce((a, b) => a + b, 0) / q.length, 9);
    expect(p.distinct).toBe(new Set(q).size);
    expect(p.min).toBe(s[0]);
    expect(p.histogram!.reduce((a, b) => a + b.count, 0)).toBe(q.length);
    expect(p.invalid.count).toBe(0);
  });

  it('telco TotalCharges: the 11 single-space cells are missing, not invalid', () => {
    const rows = csv('telco-customer-churn.csv');
    const p = profileColumn(rows.map((r) => r.TotalCharges!), 'decimal');
    expect(p).toMatchObject({ count: 7043, nulls: 11, nonNull: 7032 });
    expect(p.invalid.count).toBe(0);
    const xs = rows.map((r) => r.TotalCharges!).filter((v) => v.trim() !== '').map(Number);
    expect(p.numeric!.std).toBeCloseTo(Math.sqrt(xs.reduce((a, x) => a + (x - p.numeric!.mean) ** 2, 0) / (xs.length - 1)), 6);
    expect(p.outliers!.iqr.count).toBe(0); // right-skewed but within 1.5 IQR
    expect(p.quality.completeness).toBeCloseTo(7032 / 7043, 12);
  });

  it('integer histograms use one bin per value when the range is small', () => {
    const p = profileColumn([1, 2, 2, 3, 3, 3, null], 'integer');
    expect(p.histogram!.map((b) => [b.lo, b.hi, b.count])).toEqual([[0.5, 1.5, 1], [1.5, 2.5, 2], [2.5, 3.5, 3]]);
    expect(p.top).toEqual([{ value: 3, count: 3 }, { value: 2, count: 2 }, { value: 1, count: 1 }]);
  });

  it('profiles a million numbers quickly', () => {
    const rng = createRng(7);
    const xs = Array.from({ length: 1_000_000 }, (_, i) => (i % 100 === 0 ? null : Math.round(randNormal(rng) * 1000) / 10));
    const t0 = performance.now();
    const p = profileColumn(xs, 'decimal');
    const ms = performance.now() - t0;
    expect(p.nonNull).toBe(990_000);
    expect(Math.abs(p.numeric!.std - 100)).toBeLessThan(1);
    expect(ms).toBeLessThan(2000); // measured ≈ 0.3 s on a 2-core machine
  });
});

describe('quality score', () => {
  it('follows the documented formula', () => {
    // 10 phones: 2 empty, 1 invalid; 7 of 8 share the E.164 pattern, the invalid one has its own → top-3 covers all
    const vals = ['13812345678', '13912345678', '13712345678', '13612345678', '13512345678', '13412345678', '13312345678', '12345', null, null];
    const p = profileColumn(vals, 'phone');
    const expected = (100 * (0.4 * 0.8 + 0.35 * (7 / 8) + 0.1 * 1)) / (0.4 + 0.35 + 0.1);
    expect(p.quality.score).toBeCloseTo(expected, 1);
    expect(p.quality.uniqueness).toBeNull();
    // an id column meant to be unique: duplicates cost
    const ids = profileColumn(['a1', 'a2', 'a3', 'a3'], 'id', { expectUnique: true });
    expect(ids.quality.uniqueness).toBe(0.75);
    expect(ids.quality.score).toBeCloseTo((100 * (0.4 + 0.15 * 0.75 + 0.1)) / 0.65, 1);
    expect(profileColumn([null, null], 'text').quality.score).toBe(0);
  });

  it('profiles a dataset with role weights and duplicate rows (Telco)', () => {
    const rows = csv('telco-customer-churn.csv');
    const d = profileDataset([
      { name: 'customerID', type: 'id', role: 'customer_id', values: rows.map((r) => r.customerID!) },
      { name: 'tenure', type: 'integer', values: rows.map((r) => r.tenure!) },
      { name: 'TotalCharges', type: 'decimal', role: 'amount', values: rows.map((r) => r.TotalCharges!) },
      { name: 'Churn', type: 'boolean', role: 'label', values: rows.map((r) => r.Churn!) },
    ]);
    expect(d.rows).toBe(7043);
    expect(d.duplicateRows).toBe(0);
    const byName = Object.fromEntries(d.columns.map((c) => [c.name, c]));
    expect(byName.customerID!.quality.uniqueness).toBe(1); // ≥ 95% distinct id → uniqueness expected
    expect(byName.Churn!.invalid.count).toBe(0);
    const w = d.columns.reduce((a, c) => a + c.weight, 0);
    expect(w).toBe(7);
    expect(d.score).toBeCloseTo(d.columns.reduce((a, c) => a + c.weight * c.quality.score, 0) / w, 1);
    expect(d.score).toBeGreaterThan(99);
    const dup = profileDataset([{ name: 'a', type: 'text', values: ['x', 'x', 'y'] }, { name: 'b', type: 'integer', values: [1, 1, 1] }]);
    expect(dup.duplicateRows).toBe(1);
  });

  it('MAD falls back to the mean absolute deviation when more than half the values are equal', () => {
    const xs = [5, 5, 5, 5, 5, 5, 6, 40];
    const f = madFences(xs, 5)!;
    // meanAD = (1 + 35) / 8 = 4.5 → half-width 3.5 × 1.253314 × 4.5
    expect(f.upper).toBeCloseTo(5 + 3.5 * 1.253314 * 4.5, 9);
    expect(profileColumn(xs, 'integer').outliers!.mad!.rows).toEqual([7]);
  });
});
