/**
 * Word frequencies, n-grams and keywords per group. Keyword score of a term in a group =
 * (count of the term in the group's documents / all tokens of the group) × idf, with the
 * smoothed idf of scikit-learn: idf = ln((1 + N) / (1 + df)) + 1 over all N documents — terms
 * frequent in the group but rare elsewhere rank first.
 */
export function termCounts(docs: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of docs) for (const t of d) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export function ngrams(docs: string[][], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of docs)
    for (let i = 0; i + n <= d.length; i++) {
      const g = d.slice(i, i + n).join(' ');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
  return m;
}

export function top(m: Map<string, number>, k: number): { term: string; count: number }[] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([term, count]) => ({ term, count }));
}

export function keywordsByGroup(docs: string[][], groups: string[], k: number): { group: string; size: number; terms: { term: string; score: number }[] }[] {
  const N = docs.length;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log((1 + N) / (1 + (df.get(t) ?? 0))) + 1;
  const byGroup = new Map<string, string[][]>();
  docs.forEach((d, i) => (byGroup.get(groups[i]!) ?? byGroup.set(groups[i]!, []).get(groups[i]!)!).push(d));
  return [...byGroup]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([group, gd]) => {
      const counts = termCounts(gd);
      const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
      const terms = [...counts]
        .filter(([, c]) => c >= 2)
        .map(([term, c]) => ({ term, score: (c / total) * idf(term) }))
        .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
        .slice(0, k);
      return { group, size: gd.length, terms };
    });
}
