/** Fellegi-Sunter EM on synthetic pairs drawn from known m, u and λ (seeded). */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../main/kernel/random';
import { fitFellegiSunter, estimateU, scorePairs, toLevel, matchProbability, type LevelMatrix } from '../../../main/analysis/dedupe/fellegi-sunter';

const M = [
  [0.9, 0.07, 0.03],
  [0.85, 0.1, 0.05],
  [0.95, 0.05],
  [0.7, 0.2, 0.1],
];
const U = [
  [0.02, 0.08, 0.9],
  [0.05, 0.15, 0.8],
  [0.1, 0.9],
  [0.01, 0.04, 0.95],
];

function draw(rng: Rng, p: number[]): number {
  let r = rng();
  for (let l = 0; l < p.length; l++) {
    r -= p[l]!;
    if (r < 0) return l;
  }
  return p.length - 1;
}

function synthetic(n: number, lambda: number, seed: number, missing = 0.1): { mat: LevelMatrix; truth: Uint8Array } {
  const rng = createRng(seed);
  const F = M.length;
  const levels = new Int8Array(n * F);
  const truth = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const match = rng() < lambda;
    truth[p] = match ? 1 : 0;
    for (let f = 0; f < F; f++) levels[p * F + f] = rng() < missing ? -1 : draw(rng, (match ? M : U)[f]!);
  }
  return { mat: { nPairs: n, fields: ['a', 'b', 'c', 'd'], nLevels: M.map((r) => r.length), levels }, truth };
}

describe('Fellegi-Sunter EM', () => {
  it('levels from thresholds', () => {
    expect(toLevel(0.97, [0.95, 0.85])).toBe(0);
    expect(toLevel(0.9, [0.95, 0.85])).toBe(1);
    expect(toLevel(0.2, [0.95, 0.85])).toBe(2);
    expect(toLevel(null, [0.95, 0.85])).toBe(-1);
    expect(toLevel(1, [1])).toBe(0);
  });

  it('recovers λ, m and u from unlabelled pairs (10% missing values)', () => {
    const { mat } = synthetic(20_000, 0.2, 7);
    const model = fitFellegiSunter(mat, { seed: 3 });
    expect(model.converged).toBe(true);
    expect(Math.abs(model.lambda - 0.2)).toBeLessThan(0.01);
    for (let f = 0; f < M.length; f++)
      for (let l = 0; l < M[f]!.length; l++) {
        expect(Math.abs(model.m[f]![l]! - M[f]![l]!)).toBeLessThan(0.025);
        expect(Math.abs(model.u[f]![l]! - U[f]![l]!)).toBeLessThan(0.015);
      }
    // weights are log2(m/u): agreement positive, disagreement negative
    for (const w of model.weights) {
      expect(w[0]!).toBeGreaterThan(0);
      expect(w[w.length - 1]!).toBeLessThan(0);
    }
    // the same seed gives the same model
    expect(fitFellegiSunter(mat, { seed: 3 }).m).toEqual(model.m);
  });

  it('classifies the synthetic pairs well at probability 0.5', () => {
    const { mat, truth } = synthetic(10_000, 0.3, 11);
    const model = fitFellegiSunter(mat, { seed: 1 });
    const { probability, weight } = scorePairs(mat, model);
    let correct = 0;
    for (let p = 0; p < mat.nPairs; p++) if ((probability[p]! >= 0.5 ? 1 : 0) === truth[p]) correct++;
    expect(correct / mat.nPairs).toBeGreaterThan(0.97);
    expect(probability[0]).toBeCloseTo(matchProbability(weight[0]!, model.lambda), 12);
  });

  it('u from random pairs, then EM for λ and m only', () => {
    const random = synthetic(20_000, 0, 5).mat; // no matches at all
    const u = estimateU(random);
    for (let f = 0; f < U.length; f++) for (let l = 0; l < U[f]!.length; l++) expect(Math.abs(u[f]![l]! - U[f]![l]!)).toBeLessThan(0.01);
    const { mat } = synthetic(5_000, 0.4, 9);
    const model = fitFellegiSunter(mat, { seed: 2, fixedU: u });
    expect(model.u).toEqual(u.map((r) => r.map((x) => x / r.reduce((a, b) => a + b, 0))));
    expect(Math.abs(model.lambda - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(model.m[0]![0]! - 0.9)).toBeLessThan(0.02);
  });

  it('an impossible level pins m near zero', () => {
    const { mat } = synthetic(5_000, 0.2, 13);
    const model = fitFellegiSunter(mat, { seed: 1, impossibleLevels: [[2], undefined, undefined, undefined] });
    expect(model.m[0]![2]).toBeLessThan(1e-5);
    expect(model.weights[0]![2]!).toBeLessThan(-15);
  });
});
