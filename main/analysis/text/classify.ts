/**
 * Text classification: multinomial naive Bayes on token counts (Laplace α = 1), and k-fold
 * stratified, seeded cross-validation reporting accuracy, per-class precision/recall/F1,
 * macro-F1 and the confusion matrix. Tokens come from the caller (tokenizer + stopwords), so
 * the same classifier serves Chinese and English.
 */
import { createRng, shuffle } from '../random';

export interface NbModel {
  labels: string[];
  logPrior: number[];
  logLik: Map<string, number[]>;
  logUnseen: number[];
  predict(tokens: string[]): string;
}

export function trainNb(docs: string[][], labels: string[], alpha = 1): NbModel {
  const classes = [...new Set(labels)].sort();
  const k = classes.length;
  const counts = new Map<string, number[]>();
  const totals = new Array<number>(k).fill(0);
  const docsPer = new Array<number>(k).fill(0);
  docs.forEach((d, i) => {
    const c = classes.indexOf(labels[i]!);
    docsPer[c]!++;
    for (const t of d) {
      let arr = counts.get(t);
      if (!arr) counts.set(t, (arr = new Array<number>(k).fill(0)));
      arr[c]!++;
      totals[c]!++;
    }
  });
  const V = counts.size;
  const logLik = new Map<string, number[]>();
  for (const [t, arr] of counts) logLik.set(t, arr.map((n, c) => Math.log((n + alpha) / (totals[c]! + alpha * V))));
  const logPrior = docsPer.map((n) => Math.log(n / docs.length));
  const logUnseen = totals.map((tot) => Math.log(alpha / (tot + alpha * V)));
  return {
    labels: classes,
    logPrior,
    logLik,
    logUnseen,
    predict(tokens: string[]) {
      const s = logPrior.slice();
      for (const t of tokens) {
        const l = logLik.get(t);
        if (!l) continue; // words never seen in training carry no evidence
        for (let c = 0; c < k; c++) s[c]! += l[c]!;
      }
      let best = 0;
      for (let c = 1; c < k; c++) if (s[c]! > s[best]!) best = c;
      return classes[best]!;
    },
  };
}

export interface CvReport {
  accuracy: number;
  macroF1: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: { labels: string[]; matrix: number[][] };
}

export function evaluate(truth: string[], pred: string[]): CvReport {
  const labels = [...new Set([...truth, ...pred])].sort();
  const matrix = labels.map(() => labels.map(() => 0));
  truth.forEach((t, i) => matrix[labels.indexOf(t)]![labels.indexOf(pred[i]!)]!++);
  const perClass = labels.map((l, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { label: l, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  return { accuracy: truth.filter((t, i) => t === pred[i]).length / truth.length, macroF1: present.reduce((a, c) => a + c.f1, 0) / present.length, perClass, confusion: { labels, matrix } };
}

/** Stratified k-fold: each class is shuffled (seeded) and dealt round-robin into the folds. */
export function stratifiedFolds(labels: string[], k: number, seed: number): number[] {
  const rng = createRng(seed);
  const fold = new Array<number>(labels.length);
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => (byClass.get(l) ?? byClass.set(l, []).get(l)!).push(i));
  for (const [, idx] of [...byClass].sort()) shuffle(rng, idx).forEach((i, j) => (fold[i] = j % k));
  return fold;
}

export function crossValidateNb(docs: string[][], labels: string[], opts: { folds?: number; seed?: number } = {}): CvReport {
  const k = opts.folds ?? 5;
  const fold = stratifiedFolds(labels, k, opts.seed ?? 0);
  const pred = new Array<string>(docs.length);
  for (let f = 0; f < k; f++) {
    const train = docs.map((_, i) => i).filter((i) => fold[i] !== f);
    const model = trainNb(train.map((i) => docs[i]!), train.map((i) => labels[i]!));
    for (let i = 0; i < docs.length; i++) if (fold[i] === f) pred[i] = model.predict(docs[i]!);
  }
  return evaluate(labels, pred);
}
