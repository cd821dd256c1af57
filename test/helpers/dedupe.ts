/** Reading a dedupe run's results through the app, as the review screen does. */
import type { ReviewCluster } from '../../shared/api/customers';
import { clusterPairsOf } from '../../main/analysis/dedupe/index';
import type { TestApp } from './app';

/** Every review cluster of a run (all pages), at the run's or the given threshold. */
export async function allClusters(app: TestApp, runId: string, threshold?: number): Promise<ReviewCluster[]> {
  const out: ReviewCluster[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await app.call('customers/clusters', { runId, threshold, offset, limit: 500, status: 'all' });
    out.push(...page.clusters);
    if (out.length >= page.total) return out;
  }
}

/** The row pairs a run's clusters merge, and a lookup of whether a given pair was merged. */
export function mergedPairs(clusters: ReviewCluster[]): { pairs: [number, number][]; merged(a: number, b: number): boolean } {
  const pairs = clusterPairsOf(clusters.map((c) => c.rows.map((r) => r.row)));
  const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const set = new Set(pairs.map(([a, b]) => key(a, b)));
  return { pairs, merged: (a, b) => set.has(key(a, b)) };
}
