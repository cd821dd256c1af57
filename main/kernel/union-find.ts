/**
 * Disjoint sets over 0…n−1 (path halving). A union keeps the smaller index as the root, so a
 * component's root is its first member whatever order the evidence came in (results do not
 * depend on the order pairs are found); component sizes are kept for ranking clusters.
 */
export class UnionFind {
  private readonly parent: number[] = [];
  private readonly count: number[] = [];

  constructor(n = 0) {
    for (let i = 0; i < n; i++) this.add();
  }

  get length(): number {
    return this.parent.length;
  }

  /** A new singleton; returns its index. */
  add(): number {
    const i = this.parent.length;
    this.parent.push(i);
    this.count.push(1);
    return i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Join the sets of a and b; false when they already were one. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    this.count[root]! += this.count[child]!;
    return true;
  }

  /** How many members the set of x has. */
  sizeOf(x: number): number {
    return this.count[this.find(x)]!;
  }
}
