/**
 * Gradient-boosted decision trees for binary classification (the churn "tree model").
 *
 * Method (Friedman 2001 with the second-order split gain of XGBoost, Chen & Guestrin 2016):
 * - Each feature is binned once on the training rows into ≤ `maxBins` (default 32) bins at
 *   distinct quantile cut points; a row goes left when its value ≤ the cut.
 * - Start from the log-odds of the base rate. At each round, with F the current log-odds,
 *   gradients gᵢ = σ(Fᵢ) − yᵢ and hessians hᵢ = σ(Fᵢ)(1 − σ(Fᵢ)); a row subsample (fraction
 *   `subsample`, default 0.8, seeded) grows one depth-wise tree (max depth 3). A split is chosen
 *   by histogram scan maximising gain = ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] with
 *   λ = 1, both children having ≥ `minSamplesLeaf` (default 20) rows and gain > 0. Leaf value
 *   w = −G/(H+λ), shrunk by the learning rate (default 0.05). 300 rounds by default.
 * - Feature importance = total split gain per feature, normalised to sum to 1.
 * Randomness (row subsampling, and the optional column subsample per tree) only through the
 * seeded generator, so the same seed gives the same model.
 */
import { createRng, shuffle } from '../../kernel/random';
import type { DesignMatrix } from './logistic';
import { CancelledError } from '../../../shared/errors';

export interface GbmOptions {
  nTrees?: number;
  learningRate?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  subsample?: number;
  /** Fraction of features considered per tree (default 1). */
  colsample?: number;
  maxBins?: number;
  /** L2 regularisation of leaf values (default 1). */
  lambda?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  shouldCancel?: () => boolean;
}

/** Flat tree: internal nodes have feature ≥ 0; leaves have feature −1 and a value. */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface GbmModel {
  base: number;
  learningRate: number;
  trees: Tree[];
  featureNames: string[];
  /** Normalised total gain per feature (same order as featureNames). */
  importance: Float64Array;
  p: number;
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

/** Quantile cut points per feature (ascending, distinct), computed on the training rows. */
function makeBins(d: DesignMatrix, maxBins: number): Float64Array[] {
  const { X, n, p } = d;
  const cuts: Float64Array[] = [];
  const col = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = X[i * p + j]!;
    const s = Float64Array.from(col).sort();
    const distinct: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || s[i] !== s[i - 1]) distinct.push(s[i]!);
    let c: number[];
    if (distinct.length <= maxBins) c = distinct.slice(0, -1);
    else {
      c = [];
      for (let k = 1; k < maxBins; k++) {
        const v = s[Math.floor((k * n) / maxBins)]!;
        if (c.length === 0 || v > c[c.length - 1]!) c.push(v);
      }
      if (c.length && c[c.length - 1] === distinct[distinct.length - 1]) c.pop();
    }
    cuts.push(Float64Array.from(c));
  }
  return cuts;
}

function binIndex(cuts: Float64Array, v: number): number {
  // first cut ≥ v → bin index (values ≤ cut[k] are in bin ≤ k)
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function fitGradientBoosting(design: DesignMatrix, y: ArrayLike<number>, opts: GbmOptions = {}): GbmModel {
  if (!design || !(design.X instanceof Float64Array) || design.X.length !== design.n * design.p) throw new Error('fitGradientBoosting: design must be { X: Float64Array (n·p), n, p }');
  const { X, n, p } = design;
  if (!y || y.length !== n) throw new Error(`fitGradientBoosting: y must have ${n} labels`);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`fitGradientBoosting: label ${i} must be 0 or 1`);
    pos += y[i]!;
  }
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i]!)) throw new Error(`fitGradientBoosting: design value ${i} is not finite`);
  if (pos === 0 || pos === n) throw new Error('fitGradientBoosting: both classes must be present');
  const nTrees = opts.nTrees ?? 300;
  const lr = opts.learningRate ?? 0.05;
  const maxDepth = opts.maxDepth ?? 3;
  const minLeaf = opts.minSamplesLeaf ?? 20;
  const subsample = opts.subsample ?? 0.8;
  const colsample = opts.colsample ?? 1;
  const maxBins = opts.maxBins ?? 32;
  const lambda = opts.lambda ?? 1;
  if (!(Number.isInteger(nTrees) && nTrees >= 1 && nTrees <= 10_000)) throw new Error('fitGradientBoosting: nTrees must be an integer from 1 to 10000');
  if (!(lr > 0 && lr <= 1)) throw new Error('fitGradientBoosting: learningRate must be in (0, 1]');
  if (!(Number.isInteger(maxDepth) && maxDepth >= 1 && maxDepth <= 12)) throw new Error('fitGradientBoosting: maxDepth must be an integer from 1 to 12');
  if (!(Number.isInteger(minLeaf) && minLeaf >= 1)) throw new Error('fitGradientBoosting: minSamplesLeaf must be a positive integer');
  if (!(subsample > 0 && subsample <= 1)) throw new Error('fitGradientBoosting: subsample must be in (0, 1]');
  if (!(colsample > 0 && colsample <= 1)) throw new Error('fitGradientBoosting: colsample must be in (0, 1]');
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= 255)) throw new Error('fitGradientBoosting: maxBins must be an integer from 2 to 255');
  if (!(lambda >= 0)) throw new Error('fitGradientBoosting: lambda must be non-negative');
  const rng = createRng(opts.seed ?? 0);
  const cuts = makeBins(design, maxBins);
  // Binned matrix, column-major for cache-friendly histogram building.
  const binned = new Uint8Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) binned[j * n + i] = binIndex(cuts[j]!, X[i * p + j]!);
  const nb = cuts.map((c) => c.length + 1);
  const base = Math.log(pos / (n - pos));
  const F = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const importance = new Float64Array(p);
  const trees: Tree[] = [];
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const featIdx = Array.from({ length: p }, (_, j) => j);
  const histG = new Float64Array(256);
  const histH = new Float64Array(256);
  const histC = new Int32Array(256);
  for (let t = 0; t < nTrees; t++) {
    if (opts.shouldCancel && opts.shouldCancel()) throw new CancelledError();
    opts.onProgress?.(t, nTrees);
    for (let i = 0; i < n; i++) {
      const m = sigmoid(F[i]!);
      g[i] = m - y[i]!;
      h[i] = m * (1 - m);
    }
    let rows: Int32Array;
    if (subsample < 1) {
      const perm = shuffle(rng, Array.from(all));
      rows = Int32Array.from(perm.slice(0, Math.max(2 * minLeaf, Math.round(subsample * n)))).sort();
    } else rows = all;
    let feats = featIdx;
    if (colsample < 1) feats = shuffle(rng, featIdx.slice()).slice(0, Math.max(1, Math.round(colsample * p)));
    const tf: number[] = [];
    const tt: number[] = [];
    const tl: number[] = [];
    const tr: number[] = [];
    const tv: number[] = [];
    const grow = (idx: Int32Array, depth: number): number => {
      const node = tf.length;
      tf.push(-1);
      tt.push(0);
      tl.push(-1);
      tr.push(-1);
      let G = 0;
      let H = 0;
      for (let k = 0; k < idx.length; k++) {
        G += g[idx[k]!]!;
        H += h[idx[k]!]!;
      }
      tv.push(-G / (H + lambda));
      if (depth >= maxDepth || idx.length < 2 * minLeaf) return node;
      const parentScore = (G * G) / (H + lambda);
      let bestGain = 0;
      let bestF = -1;
      let bestBin = -1;
      for (const j of feats) {
        const nbj = nb[j]!;
        if (nbj < 2) continue;
        histG.fill(0, 0, nbj);
        histH.fill(0, 0, nbj);
        histC.fill(0, 0, nbj);
        const col = j * n;
        for (let k = 0; k < idx.length; k++) {
          const i = idx[k]!;
          const b = binned[col + i]!;
          histG[b] = histG[b]! + g[i]!;
          histH[b] = histH[b]! + h[i]!;
          histC[b] = histC[b]! + 1;
        }
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < nbj - 1; b++) {
          gl += histG[b]!;
          hl += histH[b]!;
          cl += histC[b]!;
          const cr = idx.length - cl;
          if (cl < minLeaf) continue;
          if (cr < minLeaf) break;
          const gr = G - gl;
          const hr = H - hl;
          const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
          if (gain > bestGain) {
            bestGain = gain;
            bestF = j;
            bestBin = b;
          }
        }
      }
      if (bestF < 0) return node;
      importance[bestF] = importance[bestF]! + bestGain;
      const col = bestF * n;
      let nl = 0;
      for (let k = 0; k < idx.length; k++) if (binned[col + idx[k]!]! <= bestBin) nl++;
      const li = new Int32Array(nl);
      const ri = new Int32Array(idx.length - nl);
      let a = 0;
      let c = 0;
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k]!;
        if (binned[col + i]! <= bestBin) li[a++] = i;
        else ri[c++] = i;
      }
      tf[node] = bestF;
      tt[node] = cuts[bestF]![bestBin]!;
      tl[node] = grow(li, depth + 1);
      tr[node] = grow(ri, depth + 1);
      return node;
    };
    grow(rows, 0);
    const tree: Tree = {
      feature: Int32Array.from(tf),
      threshold: Float64Array.from(tt),
      left: Int32Array.from(tl),
      right: Int32Array.from(tr),
      value: Float64Array.from(tv, (v) => v * lr),
    };
    trees.push(tree);
    for (let i = 0; i < n; i++) F[i] = F[i]! + predictTree(tree, X, i * p);
  }
  opts.onProgress?.(nTrees, nTrees);
  let tot = 0;
  for (let j = 0; j < p; j++) tot += importance[j]!;
  if (tot > 0) for (let j = 0; j < p; j++) importance[j] = importance[j]! / tot;
  return { base, learningRate: lr, trees, featureNames: design.featureNames.slice(), importance, p };
}

function predictTree(tree: Tree, X: Float64Array, offset: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = X[offset + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

export function predictProbaGbm(model: GbmModel, design: DesignMatrix): Float64Array {
  if (!model || !Array.isArray(model.trees)) throw new Error('predictProbaGbm: a fitted model is required');
  if (!design || !(design.X instanceof Float64Array) || design.X.length !== design.n * design.p) throw new Error('predictProbaGbm: design must be { X, n, p }');
  if (design.p !== model.p) throw new Error(`predictProbaGbm: the design has ${design.p} features, the model ${model.p}`);
  const out = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) {
    let f = model.base;
    for (const t of model.trees) f += predictTree(t, design.X, i * design.p);
    out[i] = sigmoid(f);
  }
  return out;
}

/** Features by importance (largest first). */
export function gbmFeatureImportance(model: GbmModel): { feature: string; importance: number }[] {
  return Array.from(model.importance, (v, j) => ({ feature: model.featureNames[j] ?? `x${j}`, importance: v })).sort((a, b) => b.importance - a.importance);
}
