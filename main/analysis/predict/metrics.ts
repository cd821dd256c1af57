/**
 * Classification metrics. ROC: thresholds at every distinct score (descending); tied scores
 * move TPR and FPR together (a diagonal step), so AUC equals the probability that a random
 * positive scores above a random negative, ties counting ½ (scikit-learn's roc_auc_score).
 */
import { createRng, shuffle } from '../random';

export function roc(y: ArrayLike<number>, score: ArrayLike<number>): { fpr: number[]; tpr: number[]; thresholds: number[]; auc: number } {
  const n = y.length;
  const idx = [...Array(n).keys()].sort((a, b) => score[b]! - score[a]!);
  const P = [...Array(n).keys()].filter((i) => y[i] === 1).length;
  const N = n - P;
  if (P === 0 || N === 0) throw new Error('ROC needs both classes');
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let k = 0; k < n; ) {
    const s = score[idx[k]!]!;
    let dtp = 0;
    let dfp = 0;
    while (k < n && score[idx[k]!] === s) {
      if (y[idx[k]!] === 1) dtp++;
      else dfp++;
      k++;
    }
    auc += (dfp / N) * ((tp + dtp / 2) / P);
    tp += dtp;
    fp += dfp;
    fpr.push(fp / N);
    tpr.push(tp / P);
    thresholds.push(s);
  }
  return { fpr, tpr, thresholds, auc };
}

export function confusion(y: ArrayLike<number>, score: ArrayLike<number>, threshold: number) {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < y.length; i++) {
    const pred = score[i]! >= threshold ? 1 : 0;
    if (pred === 1 && y[i] === 1) tp++;
    else if (pred === 1) fp++;
    else if (y[i] === 1) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { tp, fp, tn, fn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, accuracy: (tp + tn) / y.length };
}

/** Seeded stratified split: the same share of each class goes to the test set. */
export function stratifiedSplit(y: ArrayLike<number | string>, testShare: number, seed: number): { train: number[]; test: number[] } {
  const rng = createRng(seed);
  const byClass = new Map<string, number[]>();
  for (let i = 0; i < y.length; i++) {
    const k = String(y[i]);
    const l = byClass.get(k) ?? [];
    l.push(i);
    byClass.set(k, l);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const [, idx] of [...byClass].sort()) {
    shuffle(rng, idx);
    const nt = Math.round(idx.length * testShare);
    test.push(...idx.slice(0, nt));
    train.push(...idx.slice(nt));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
