import { describe, expect, it } from 'vitest';
import { UnionFind } from '../../../main/kernel/union-find';

describe('UnionFind', () => {
  it('keeps the first member as the root whatever order the pairs come in, and counts members', () => {
    for (const pairs of [[[3, 1], [4, 3], [0, 2]], [[0, 2], [1, 4], [4, 3]]]) {
      const uf = new UnionFind(5);
      for (const [a, b] of pairs) expect(uf.union(a!, b!)).toBe(true);
      expect([0, 1, 2, 3, 4].map((x) => uf.find(x))).toEqual([0, 1, 0, 1, 1]);
      expect(uf.sizeOf(4)).toBe(3);
      expect(uf.sizeOf(2)).toBe(2);
      expect(uf.union(3, 1)).toBe(false);
    }
  });

  it('grows one singleton at a time', () => {
    const uf = new UnionFind();
    const a = uf.add();
    const b = uf.add();
    expect([a, b, uf.length]).toEqual([0, 1, 2]);
    uf.union(b, a);
    expect(uf.find(b)).toBe(0);
  });
});
