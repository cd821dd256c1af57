/** Adjusted Rand index of two labelings (1 = the same partition, ≈ 0 = chance). */
export function ari(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const cont = new Map<string, number>();
  const ra = new Map<string, number>();
  const rb = new Map<string, number>();
  a.forEach((x, i) => {
    cont.set(`${x}\u0001${b[i]}`, (cont.get(`${x}\u0001${b[i]}`) ?? 0) + 1);
    ra.set(x, (ra.get(x) ?? 0) + 1);
    rb.set(b[i]!, (rb.get(b[i]!) ?? 0) + 1);
  });
  const c2 = (k: number) => (k * (k - 1)) / 2;
  const sumIJ = [...cont.values()].reduce((s, v) => s + c2(v), 0);
  const sumA = [...ra.values()].reduce((s, v) => s + c2(v), 0);
  const sumB = [...rb.values()].reduce((s, v) => s + c2(v), 0);
  const expected = (sumA * sumB) / c2(n);
  return (sumIJ - expected) / ((sumA + sumB) / 2 - expected);
}
