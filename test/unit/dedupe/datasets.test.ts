/**
 * The engine on the benchmark files (same configs as scripts/eval.ts), with floors a little
 * under the measured figures (docs/methods/dedupe.md): FEBRL 1 F1 0.998, FEBRL 4 0.9993,
 * restaurants 0.965, Cora 0.977.
 */
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../helpers/datasets';
process.env.SEGMINT_DATASETS ??= datasetsDir;
import { febrl1, febrl4, restaurant, cora, evaluate, predictedPairs, goldPairs } from '../../../scripts/eval';
import { recluster, pairwiseScores } from '../../../main/analysis/dedupe/index';

describe('benchmarks', () => {
  it('FEBRL 1 (dedupe, 1,000 records): F1 ≥ 0.99 with > 99% of pairs skipped', () => {
    const { summary } = evaluate(febrl1());
    expect(summary.truePairs).toBe(500);
    expect(summary.f1).toBeGreaterThanOrEqual(0.99);
    expect(summary.precision).toBeGreaterThanOrEqual(0.99);
    expect(summary.reductionRatio).toBeGreaterThan(0.99);
  });

  it('FEBRL 4 (link 5,000 × 5,000): F1 ≥ 0.995 within a few seconds', () => {
    const ds = febrl4();
    const { summary, result } = evaluate(ds);
    expect(summary.truePairs).toBe(5000);
    expect(summary.f1).toBeGreaterThanOrEqual(0.995);
    expect(summary.pairsCompleteness).toBeGreaterThan(0.995);
    expect(summary.reductionRatio).toBeGreaterThan(0.998);
    expect(summary.seconds).toBeLessThan(15); // ~1 s measured; loose for a busy CI machine
    // one-to-one: every cluster is one A row and one B row
    expect(result.clusters.every((c) => c.length === 2 && c[0]! < result.nA && c[1]! >= result.nA)).toBe(true);
    // moving the threshold up only removes links
    const strict = recluster(result, 0.999).clusters;
    expect(strict.length).toBeLessThanOrEqual(result.clusters.length);
    const s = pairwiseScores(predictedPairs(result, strict), goldPairs(ds));
    expect(s.precision).toBeGreaterThanOrEqual(summary.precision);
  });

  it('restaurants (Fodor’s + Zagat, 112 gold pairs): F1 ≥ 0.95', () => {
    const { summary, result } = evaluate(restaurant());
    expect(summary.truePairs).toBe(112);
    expect(summary.f1).toBeGreaterThanOrEqual(0.95);
    expect(summary.recall).toBeGreaterThanOrEqual(0.97);
    expect(summary.pairsCompleteness).toBe(1);
    // the name rule makes a very different name strong evidence against a match
    const w = result.model.weights[0]!;
    expect(w[w.length - 1]!).toBeLessThan(-15);
  });

  it('Cora citations (heavy duplication, 64,578 gold pairs): F1 ≥ 0.95 with evidence clustering', () => {
    const ds = cora();
    const { summary, result } = evaluate(ds);
    expect(summary.truePairs).toBe(64578);
    expect(summary.f1).toBeGreaterThanOrEqual(0.95);
    expect(summary.precision).toBeGreaterThanOrEqual(0.96);
    // the same pairs under single linkage chain into giant clusters: much lower precision
    const single = pairwiseScores(predictedPairs(result, recluster({ ...result, linkage: 'single', dendrogram: singleDendrogram(result) }, 0.5).clusters), ds.gold);
    expect(single.precision).toBeLessThan(summary.precision - 0.2);
  });
});

import { buildDendrogram } from '../../../main/analysis/dedupe/cluster';
function singleDendrogram(r: ReturnType<typeof evaluate>['result']) {
  return buildDendrogram(r.dendrogram.n, r.edges.a, r.edges.b, r.edges.score, { linkage: 'single' });
}
