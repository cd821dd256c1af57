/**
 * Binary-classification metrics and seeded data splits.
 *
 * - ROC (like scikit-learn's roc_curve with drop_intermediate=false): scores sorted descending;
 *   tied scores form ONE step, so the curve goes diagonally through a tie. Points start at
 *   (0, 0) with threshold +∞. AUC = trapezoidal area under those points, which equals the
 *   Mann–Whitney probability P(score⁺ > score⁻) + ½ P(score⁺ = score⁻) (ties count half).
 * - Average precision (scikit-learn's average_precision_score): Σ (Rₖ − Rₖ₋₁) Pₖ over the same
 *   distinct thresholds.
 * - At a threshold: predicted positive when score ≥ threshold. Precision = TP/(TP+FP) (NaN when
 *   nothing is predicted positive), recall = TP/(TP+FN), F1 = harmonic mean, accuracy.
 * - Labels are 0/1 (any non-zero counts as 1).
 * - stratifiedSplit: per class, a seeded Fisher–Yates shuffle, then round(testFraction·n_class)
 *   of each class go to the test set (at least 1 when the class has ≥ 2 members), so class
 *   proportions are kept. Indices are returned sorted.
 * - stratifiedKFold: per class shuffled, then dealt round-robin to the k folds (fold sizes differ
 *   by at most one per class).
 */
import { createRng, shuffle } from '../../kernel/random';

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

export interface RocResult {
  points: RocPoint[];
  auc: number;
  positives: number;
  negatives: number;
}

function checkLabels(name: string, y: ArrayLike<number>, scores?: ArrayLike<number>): void {
  if (!y || typeof y.length !== 'number') throw new Error(`${name}: labels are required`);
  if (scores && scores.length !== y.length) throw new Error(`${name}: labels (${y.length}) and scores (${scores.length}) must have the same length`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new Error(`${name}: label ${i} is not a number`);
    if (scores && Number.isNaN(scores[i]!)) throw new Error(`${name}: score ${i} is NaN`);
  }
}

/** Distinct-threshold cumulative counts (scores descending). */
function cumulative(y: ArrayLike<number>, scores: ArrayLike<number>): { tps: number[]; fps: number[]; thresholds: number[]; P: number; N: number } {
  const n = y.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    if (y[i]! !== 0) tp++;
    else fp++;
    if (k === n - 1 || scores[idx[k + 1]!]! !== scores[i]!) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[i]!);
    }
  }
  return { tps, fps, thresholds, P: tp, N: fp };
}

export function rocCurve(y: ArrayLike<number>, scores: ArrayLike<number>): RocResult {
  checkLabels('rocCurve', y, scores);
  const { tps, fps, thresholds, P, N } = cumulative(y, scores);
  if (P === 0 || N === 0) throw new Error('rocCurve: both classes must be present');
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  for (let k = 0; k < tps.length; k++) points.push({ fpr: fps[k]! / N, tpr: tps[k]! / P, threshold: thresholds[k]! });
  let auc = 0;
  for (let k = 1; k < points.length; k++) auc += ((points[k]!.fpr - points[k - 1]!.fpr) * (points[k]!.tpr + points[k - 1]!.tpr)) / 2;
  return { points, auc, positives: P, negatives: N };
}

export function averagePrecision(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkLabels('averagePrecision', y, scores);
  const { tps, fps, P } = cumulative(y, scores);
  if (P === 0) throw new Error('averagePrecision: no positive labels');
  let ap = 0;
  let prevR = 0;
  for (let k = 0; k < tps.length; k++) {
    const r = tps[k]! / P;
    ap += (r - prevR) * (tps[k]! / (tps[k]! + fps[k]!));
    prevR = r;
  }
  return ap;
}

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusionMatrix(y: ArrayLike<number>, predicted: ArrayLike<number>): ConfusionMatrix {
  checkLabels('confusionMatrix', y, predicted);
  const m = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const a = y[i]! !== 0;
    const p = predicted[i]! !== 0;
    if (a && p) m.tp++;
    else if (!a && p) m.fp++;
    else if (a) m.fn++;
    else m.tn++;
  }
  return m;
}

export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  specificity: number;
  confusion: ConfusionMatrix;
}

export function precisionRecallAt(y: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ThresholdMetrics {
  checkLabels('precisionRecallAt', y, scores);
  if (!Number.isFinite(threshold)) throw new Error('precisionRecallAt: threshold must be a finite number');
  const pred = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) pred[i] = scores[i]! >= threshold ? 1 : 0;
  const c = confusionMatrix(y, pred);
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : NaN;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : NaN;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : NaN;
  return {
    threshold,
    precision,
    recall,
    f1,
    accuracy: y.length > 0 ? (c.tp + c.tn) / y.length : NaN,
    specificity: c.tn + c.fp > 0 ? c.tn / (c.tn + c.fp) : NaN,
    confusion: c,
  };
}

function classIndices(y: ArrayLike<number>): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    let arr = byClass.get(c);
    if (!arr) byClass.set(c, (arr = []));
    arr.push(i);
  }
  // Deterministic class order (ascending label) so the seed alone fixes the split.
  return new Map([...byClass.entries()].sort((a, b) => a[0] - b[0]));
}

/** Seeded stratified train/test split of row indices (class labels may be any numbers). */
export function stratifiedSplit(y: ArrayLike<number>, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  checkLabels('stratifiedSplit', y);
  if (!(testFraction > 0 && testFraction < 1)) throw new Error('stratifiedSplit: testFraction must be between 0 and 1');
  if (!Number.isFinite(seed)) throw new Error('stratifiedSplit: seed must be a number');
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const idx of classIndices(y).values()) {
    shuffle(rng, idx);
    let nt = Math.round(testFraction * idx.length);
    if (idx.length >= 2) nt = Math.min(idx.length - 1, Math.max(1, nt));
    for (let k = 0; k < idx.length; k++) (k < nt ? test : train).push(idx[k]!);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** Seeded stratified k folds: fold[f] lists the test indices of fold f (sorted). */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed: number): Int32Array[] {
  checkLabels('stratifiedKFold', y);
  if (!(Number.isInteger(k) && k >= 2 && k <= y.length)) throw new Error('stratifiedKFold: k must be an integer from 2 to the number of rows');
  const rng = createRng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let offset = 0;
  for (const idx of classIndices(y).values()) {
    shuffle(rng, idx);
    // Continue dealing where the previous class stopped, so fold sizes stay balanced overall.
    for (let j = 0; j < idx.length; j++) folds[(offset + j) % k]!.push(idx[j]!);
    offset = (offset + idx.length) % k;
  }
  return folds.map((f) => Int32Array.from(f).sort());
}
