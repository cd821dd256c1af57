import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRfm, quantileScores, rfmSegments, segment11, RFM11, valueTiers } from '../../../main/analysis/segments/rfm';
import { migration } from '../../../main/analysis/segments/compare';
import { welchTest, tTwoSidedP } from '../../../main/kernel/intervals';
import { timeMs } from '../../../main/services/segments/source';

const D = (s: string) => Date.parse(s + 'T00:00:00Z');

describe('RFM', () => {
  it('computes R, F, M with cancellations excluded and recency to the last date', () => {
    const t = computeRfm({
      customer: ['a', 'a', 'a', 'b', 'b', 'c'],
      time: [D('2024-01-01'), D('2024-01-10'), D('2024-01-10'), D('2024-01-05'), D('2024-01-20'), D('2024-01-15')],
      amount: [10, 20, 5, 100, -100, 7],
      invoice: ['1', '2', '2', '3', 'C4', '5'],
    });
    expect(t.customers).toEqual(['a', 'b', 'c']);
    expect([...t.recency]).toEqual([5, 10, 0]);
    expect([...t.frequency]).toEqual([2, 1, 1]);
    expect([...t.monetary]).toEqual([35, 100, 7]);
    expect(t.rowsExcluded).toBe(1);
  });

  it('quintiles are equal-count with ties broken by order (documented tie rule)', () => {
    expect([...quantileScores([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([...quantileScores([1, 2, 3, 4, 5], 5, true)]).toEqual([5, 4, 3, 2, 1]);
  });

  it('the 11-class map covers every score and names champions, lost and the rest', () => {
    expect(segment11(5, 5, 5).key).toBe('champions');
    expect(segment11(1, 1, 1).key).toBe('lost');
    expect(segment11(1, 5, 5).key).toBe('cant_lose');
    expect(segment11(5, 1, 1).key).toBe('new');
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(segment11(r, f, m).key);
    expect([...seen].sort()).toEqual(Object.keys(RFM11).sort());
  });

  it('the Chinese 8-class scheme splits on the mean', () => {
    const t = computeRfm({ customer: ['hi', 'lo'], time: [D('2024-02-01'), D('2023-01-01')], amount: [1000, 10], invoice: ['1', '2'] });
    const s = rfmSegments(t, 'cn8');
    expect(s.segments.map((x) => x.zh)).toEqual(['重要发展客户', '一般挽留客户']);
  });

  it('value tiers, migrations and Welch t-test', () => {
    expect(valueTiers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual(['rest', 'rest', 'rest', 'rest', 'rest', 'middle', 'middle', 'middle', 'top', 'top']);
    const m = migration(new Map([['a', 'champions'], ['b', 'loyal'], ['c', 'loyal']]), new Map([['a', 'at_risk'], ['b', 'loyal'], ['d', 'new']]));
    expect(m).toContainEqual({ from: 'champions', to: 'at_risk', count: 1 });
    expect(m).toContainEqual({ from: 'loyal', to: '(gone)', count: 1 });
    expect(m).toContainEqual({ from: '(new)', to: 'new', count: 1 });
    // t = 2.228 with 10 df is the two-sided 5% point.
    expect(tTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    const w = welchTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(w.t).toBeCloseTo(-1.897, 3);
    expect(w.p).toBeGreaterThan(0.1);
  });

  it('property: the scores are pandas qcut(rank(method="first")) — the same as ranking by a stable sort on value, then position', () => {
    const byStableSort = (xs: number[], reverse: boolean) => {
      const order = [...xs.keys()].sort((a, b) => xs[a]! - xs[b]! || a - b);
      const s = new Array<number>(xs.length);
      order.forEach((idx, rank) => {
        const q = Math.floor((rank * 5) / xs.length) + 1;
        s[idx] = reverse ? 6 - q : q;
      });
      return s;
    };
    fc.assert(
      // few distinct values (many ties, as frequencies and recencies have), negatives and -0 among them
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 6 }), fc.constant(-0), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 400 }), fc.boolean(), (xs, reverse) => {
        expect([...quantileScores(xs, 5, reverse)]).toEqual(byStableSort(xs, reverse));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('property: scores are 1..5 and roughly a fifth each', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 300 }), (xs) => {
        const s = quantileScores(xs);
        const counts = [0, 0, 0, 0, 0];
        s.forEach((v) => counts[v - 1]!++);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe('time text → epoch ms', () => {
  it('reads the clock by character codes and the day once, exactly as Date.parse does (invalid days and clocks too)', () => {
    const p2 = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(fc.integer({ min: 1969, max: 2101 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), (y, mo, d, h, mi, s) => {
        const v = `${y}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}`;
        expect(Object.is(timeMs(v), Date.parse(v.replace(' ', 'T') + 'Z'))).toBe(true);
        expect(Object.is(timeMs(v.slice(0, 10)), Date.parse(v.slice(0, 10) + 'T00:00:00Z'))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(timeMs('2024-01-05 1a:00:00')).toBeNaN();
  });
});
