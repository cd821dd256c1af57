/** Clustering: monotone in the threshold (property), chaining, evidence, one-to-one. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDendrogram, cutDendrogram, clusterMembers, clusterPairs, evidenceClusters, greedyOneToOne } from '../../../main/analysis/dedupe/cluster';

const graph = fc
  .integer({ min: 2, max: 25 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 60 }),
      t1: fc.double({ min: 0, max: 1, noNaN: true }),
      t2: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  );

/** True when partition `fine` refines `coarse` (every fine cluster inside one coarse cluster). */
function refines(fine: Int32Array, coarse: Int32Array): boolean {
  const map = new Map<number, number>();
  for (let i = 0; i < fine.length; i++) {
    const c = map.get(fine[i]!);
    if (c === undefined) map.set(fine[i]!, coarse[i]!);
    else if (c !== coarse[i]) return false;
  }
  return true;
}

describe('clustering', () => {
  for (const linkage of ['single', 'average'] as const) {
    it(`${linkage}: raising the threshold never merges clusters (property)`, () => {
      fc.assert(
        fc.property(graph, ({ n, edges, t1, t2 }) => {
          const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const d = buildDendrogram(n, edges.map((e) => e[0]), edges.map((e) => e[1]), edges.map((e) => e[2]), { linkage });
          for (let k = 1; k < d.heights.length; k++) if (d.heights[k]! > d.heights[k - 1]! + 1e-12) return false;
          return refines(cutDendrogram(d, hi), cutDendrogram(d, lo));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('single linkage equals connected components of the pairs at or above the threshold', () => {
    const a = [0, 1, 3, 5];
    const b = [1, 2, 4, 6];
    const s = [0.9, 0.6, 0.8, 0.3];
    expect(clusterPairs(7, a, b, s, 0.5)).toEqual([[0, 1, 2], [3, 4]]);
    expect(clusterPairs(7, a, b, s, 0.7)).toEqual([[0, 1], [3, 4]]);
    expect(clusterPairs(7, a, b, s, 0.95)).toEqual([]);
  });

  it('average linkage and evidence do not chain two groups through one link', () => {
    // two triangles of strong pairs joined by one strong bridge 2–3
    const e: [number, number, number][] = [
      [0, 1, 0.99], [0, 2, 0.98], [1, 2, 0.97],
      [3, 4, 0.99], [3, 5, 0.98], [4, 5, 0.97],
      [2, 3, 0.95], [1, 3, 0.1], [2, 4, 0.1],
    ];
    const a = e.map((x) => x[0]);
    const b = e.map((x) => x[1]);
    const s = e.map((x) => x[2]);
    expect(clusterPairs(6, a, b, s, 0.5)).toEqual([[0, 1, 2, 3, 4, 5]]); // single chains
    expect(clusterPairs(6, a, b, s, 0.5, { linkage: 'average' })).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(clusterMembers(evidenceClusters(6, a, b, s, 0.5))).toEqual([[0, 1, 2], [3, 4, 5]]);
    // evidence: uncompared pairs are neutral, so a strong chain of 3 with one pair never compared still merges
    expect(clusterMembers(evidenceClusters(3, [0, 1], [1, 2], [0.99, 0.99], 0.5))).toEqual([[0, 1, 2]]);
    expect(clusterPairs(3, [0, 1], [1, 2], [0.99, 0.99], 0.5, { linkage: 'average' })).toEqual([[0, 1]]);
  });

  it('labels are numbered by size and cover every record', () => {
    const labels = cutDendrogram(buildDendrogram(5, [3, 0], [4, 3], [0.9, 0.8]), 0.5);
    expect(Array.from(labels)).toEqual([0, 1, 2, 0, 0]);
  });

  it('greedy one-to-one keeps the best pair per record', () => {
    const kept = greedyOneToOne([0, 0, 1, 1], [0, 1, 0, 1], [0.9, 0.8, 0.85, 0.4], 0.5);
    expect(kept).toEqual([0]); // (0,0) wins; (1,1) is below 0.5; (0,1) and (1,0) reuse a record
    expect(greedyOneToOne([0, 0, 1, 1], [0, 1, 0, 1], [0.9, 0.8, 0.85, 0.6], 0.5)).toEqual([0, 3]);
  });

  it('rejects pairs outside the records', () => {
    expect(() => buildDendrogram(2, [0], [2], [1])).toThrow(/outside/);
  });
});
