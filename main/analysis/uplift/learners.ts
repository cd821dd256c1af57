/**
 * Uplift learners over a randomised campaign with one control arm and one or more variants.
 *
 * - Two-model (T-learner): one conversion model per arm on that arm's training rows;
 *   uplift_v(x) = P(convert | v, x) − P(convert | control, x). Same for unsubscribing.
 * - Class transformation (Jaszewski & Jaroszewicz 2012): for each variant v, the rows of v and
 *   of control, the larger group downsampled (seeded) so both have the same size — the method
 *   needs P(treated) = ½ — and Z = 1 when (treated and converted) or (control and not
 *   converted); then uplift_v(x) = 2 P(Z = 1 | x) − 1. One model per variant (and per outcome).
 * The response models per arm are fitted in both cases: they give the "target by response
 * probability" baseline. Base learners: gradient-boosted trees (default; uplift is an
 * interaction, which a linear logit cannot bend to) or L2 logistic regression, both from
 * main/analysis/value. An outcome with no positive (or no negative) example in a group is
 * predicted by its rate — a constant, so the uplift reduces to the difference of rates.
 */
import { applyDesign, buildDesign, fitLogistic, predictProba, selectRows, type DesignEncoder, type DesignMatrix } from '../value/logistic';
import { fitGradientBoosting, predictProbaGbm } from '../value/tree';
import { createRng, deriveSeed, shuffle } from '../../kernel/random';
import type { FeatureTable } from './features';

export type Learner = 't_learner' | 'class_transform';
export type BaseModel = 'gbm' | 'logistic';

export interface UpliftData {
  features: FeatureTable;
  /** Arm of each customer ('control' or a variant name). */
  arm: string[];
  converted: ArrayLike<number>;
  unsubscribed: ArrayLike<number>;
}

export interface UpliftScores {
  /** P(convert | arm, x) per arm, in `arms` order. */
  pConvert: Float64Array[];
  /** Conversion uplift vs control per variant, in `variants` order. */
  upliftConvert: Float64Array[];
  /** Unsubscribe uplift vs control per variant. */
  upliftUnsubscribe: Float64Array[];
}

export interface FittedUplift {
  learner: Learner;
  base: BaseModel;
  control: string;
  variants: string[];
  arms: string[];
  predict(features: FeatureTable): UpliftScores;
}

type Predictor = (d: DesignMatrix) => Float64Array;

function fitBinary(design: DesignMatrix, rows: number[], y: ArrayLike<number>, base: BaseModel, seed: number): Predictor {
  const labels = rows.map((r) => (y[r]! ? 1 : 0));
  const pos = labels.reduce<number>((s, v) => s + v, 0);
  // Too few of one class to learn from: the group's rate (smoothed) for everyone.
  if (pos < 5 || rows.length - pos < 5) {
    const rate = (pos + 0.5) / (rows.length + 1);
    return (d) => new Float64Array(d.n).fill(rate);
  }
  const sub = selectRows(design, rows);
  if (base === 'logistic') {
    const m = fitLogistic(sub, labels, { lambda: 1 });
    return (d) => predictProba(m, d);
  }
  const m = fitGradientBoosting(sub, labels, { nTrees: 120, learningRate: 0.05, maxDepth: 3, minSamplesLeaf: 30, subsample: 0.8, seed });
  return (d) => predictProbaGbm(m, d);
}

export function fitUpliftModel(data: UpliftData, trainRows: number[], opts: { learner?: Learner; base?: BaseModel; control: string; variants: string[]; seed?: number }): FittedUplift {
  const learner = opts.learner ?? 't_learner';
  const base = opts.base ?? 'gbm';
  const seed = opts.seed ?? 0;
  const arms = [opts.control, ...opts.variants];
  const f = data.features;
  const design = buildDesign(f.columns, { numeric: f.numeric, categorical: f.categorical, fitRows: trainRows });
  const encoder: DesignEncoder = design.encoder;
  const rowsOf = (a: string) => trainRows.filter((r) => data.arm[r] === a);
  const conv = arms.map((a, k) => fitBinary(design, rowsOf(a), data.converted, base, deriveSeed(seed, k)));
  const unsub = arms.map((a, k) => fitBinary(design, rowsOf(a), data.unsubscribed, base, deriveSeed(seed, 10 + k)));
  let transformed: { conv: Predictor; unsub: Predictor }[] | null = null;
  if (learner === 'class_transform') {
    transformed = opts.variants.map((v, k) => {
      const rng = createRng(deriveSeed(seed, 100 + k));
      const t = shuffle(rng, rowsOf(v));
      const c = shuffle(rng, rowsOf(opts.control));
      const m = Math.min(t.length, c.length);
      const rows = [...t.slice(0, m), ...c.slice(0, m)];
      const isT = new Set(t.slice(0, m));
      const z = (y: ArrayLike<number>) => {
        const out = new Uint8Array(data.arm.length);
        for (const r of rows) out[r] = isT.has(r) === !!y[r] ? 1 : 0;
        return out;
      };
      return { conv: fitBinary(design, rows, z(data.converted), base, deriveSeed(seed, 200 + k)), unsub: fitBinary(design, rows, z(data.unsubscribed), base, deriveSeed(seed, 300 + k)) };
    });
  }
  return {
    learner,
    base,
    control: opts.control,
    variants: opts.variants.slice(),
    arms,
    predict(features: FeatureTable): UpliftScores {
      const d = applyDesign(encoder, features.columns);
      const pConvert = conv.map((p) => p(d));
      const pUnsub = unsub.map((p) => p(d));
      if (transformed) {
        return {
          pConvert,
          upliftConvert: transformed.map((t) => t.conv(d).map((p) => 2 * p - 1)),
          upliftUnsubscribe: transformed.map((t) => t.unsub(d).map((p) => 2 * p - 1)),
        };
      }
      return {
        pConvert,
        upliftConvert: opts.variants.map((_, k) => pConvert[k + 1]!.map((p, i) => p - pConvert[0]![i]!)),
        upliftUnsubscribe: opts.variants.map((_, k) => pUnsub[k + 1]!.map((p, i) => p - pUnsub[0]![i]!)),
      };
    },
  };
}

export interface Economics {
  /** Value of one conversion (currency). */
  conversionValue: number;
  /** Cost of one send. */
  costPerSend: number;
  /** Value lost when a customer unsubscribes (future messages can no longer reach them). */
  unsubscribeCost: number;
}

export const DEFAULT_ECONOMICS: Economics = { conversionValue: 100, costPerSend: 0.05, unsubscribeCost: 50 };

/** Expected net gain of sending each variant, the best variant and its gain (≤ 0: do not send). */
export function netGains(s: UpliftScores, e: Economics): { gain: Float64Array; best: Int32Array } {
  const n = s.pConvert[0]!.length;
  const gain = new Float64Array(n);
  const best = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let g = -Infinity;
    let b = 0;
    s.upliftConvert.forEach((u, v) => {
      const x = e.conversionValue * u[i]! - e.unsubscribeCost * s.upliftUnsubscribe[v]![i]! - e.costPerSend;
      if (x > g) {
        g = x;
        b = v;
      }
    });
    gain[i] = g;
    best[i] = b;
  }
  return { gain, best };
}

/** The response-probability baseline: P(convert) under the variant with the highest one. */
export function responseScores(s: UpliftScores): { score: Float64Array; best: Int32Array } {
  const n = s.pConvert[0]!.length;
  const score = new Float64Array(n);
  const best = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let v = 1; v < s.upliftConvert.length; v++) if (s.pConvert[v + 1]![i]! > s.pConvert[b + 1]![i]!) b = v;
    score[i] = s.pConvert[b + 1]![i]!;
    best[i] = b;
  }
  return { score, best };
}
