/**
 * Feature design and L2-regularised logistic regression (the churn model).
 *
 * Design (`buildDesign`): numeric columns are standardised z = (v − mean)/sd with the mean and the
 * POPULATION sd of the fitting rows (scikit-learn's StandardScaler; sd 0 → 1). Blank / null / NaN
 * numbers are missing and imputed with the mean (z = 0). A non-numeric text in a numeric column
 * is an error. Categorical columns are one-hot encoded over the levels seen in the fitting rows,
 * sorted alphabetically (scikit-learn's OneHotEncoder); blank/null is its own level "(missing)";
 * beyond `maxLevels` (default 50) the rarest levels are pooled into "(other)"; a level not seen when
 * fitting encodes as all zeros (handle_unknown='ignore'). Full one-hot (no reference level) by
 * default — fine under an L2 penalty; `dropFirst` gives reference coding instead. The encoder is
 * returned so test rows and new customers are encoded with the training statistics (no leakage).
 *
 * Model: minimise Σᵢ [−yᵢ ln μᵢ − (1−yᵢ) ln(1−μᵢ)] + (λ/2)‖w‖², μ = σ(b + xᵀw), intercept b not
 * penalised. λ = 1 by default, i.e. scikit-learn's LogisticRegression(C=1). Solved by Newton–Raphson
 * (IRLS) with a Cholesky solve of (XᵀWX + λI) and step halving on the objective; converged when
 * the largest Newton step < 1e-8. With more than 300 features L-BFGS is used instead (the p×p
 * Hessian would be too costly). Coefficients are on the standardised scale: exp(coef) is the odds
 * ratio for one standard deviation (numeric) or for having the level (one-hot).
 */
import { fusedObjective, lbfgs } from '../../kernel/optim';
import { CancelledError } from '../../../shared/errors';
import { KERNEL_MEMORY_LIMIT, kernelInstance, MemoryLayout } from '../../kernel/wasm';
import { WASM_BASE64 } from './kernels/logistic.wasm';

export type CellValue = number | string | boolean | null | undefined;
export type ColumnValues = ArrayLike<CellValue>;

export interface DesignSpec {
  numeric?: string[];
  categorical?: string[];
  /** Rows whose values define means, sds and levels (the training rows). Default: all rows. */
  fitRows?: ArrayLike<number>;
  dropFirst?: boolean;
  maxLevels?: number;
}

export interface DesignEncoder {
  numeric: { name: string; mean: number; sd: number }[];
  categorical: { name: string; levels: string[]; pooled: boolean }[];
  dropFirst: boolean;
  featureNames: string[];
}

export interface DesignMatrix {
  /** Row-major n × p values. */
  X: Float64Array;
  n: number;
  p: number;
  featureNames: string[];
}

export interface Design extends DesignMatrix {
  encoder: DesignEncoder;
}

const MISSING = '(missing)';
const OTHER = '(other)';

function isBlank(v: CellValue): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v));
}

function toNumber(v: CellValue, col: string, row: number): number {
  if (isBlank(v)) return NaN;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`buildDesign: numeric column "${col}" has a non-finite value at row ${row}`);
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = String(v).trim().replace(/,/g, '');
  const num = Number(s);
  if (!Number.isFinite(num)) throw new Error(`buildDesign: numeric column "${col}" holds the text "${String(v)}" at row ${row}; choose it as categorical or clean it`);
  return num;
}

function toLevel(v: CellValue): string {
  return isBlank(v) ? MISSING : String(v).trim();
}

function rowCount(columns: Record<string, ColumnValues>, names: string[], fn: string): number {
  let n = -1;
  for (const name of names) {
    const col = columns[name];
    if (!col || typeof col.length !== 'number') throw new Error(`${fn}: column "${name}" is missing`);
    if (n >= 0 && col.length !== n) throw new Error(`${fn}: column "${name}" has ${col.length} rows, expected ${n}`);
    n = col.length;
  }
  if (n < 0) throw new Error(`${fn}: choose at least one numeric or categorical column`);
  return n;
}

export function buildDesign(columns: Record<string, ColumnValues>, spec: DesignSpec): Design {
  if (!columns || typeof columns !== 'object') throw new Error('buildDesign: columns must be an object of arrays');
  if (!spec) throw new Error('buildDesign: spec is required');
  const numeric = spec.numeric ?? [];
  const categorical = spec.categorical ?? [];
  const all = [...numeric, ...categorical];
  if (new Set(all).size !== all.length) throw new Error('buildDesign: a column is listed twice');
  const n = rowCount(columns, all, 'buildDesign');
  const maxLevels = spec.maxLevels ?? 50;
  if (!(Number.isInteger(maxLevels) && maxLevels >= 1)) throw new Error('buildDesign: maxLevels must be a positive integer');
  let fitRows: ArrayLike<number>;
  if (spec.fitRows) {
    fitRows = spec.fitRows;
    for (let k = 0; k < fitRows.length; k++) {
      const r = fitRows[k]!;
      if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new Error(`buildDesign: fitRows[${k}] = ${r} is not a row index`);
    }
    if (fitRows.length === 0) throw new Error('buildDesign: fitRows is empty');
  } else fitRows = Int32Array.from({ length: n }, (_, i) => i);
  const enc: DesignEncoder = { numeric: [], categorical: [], dropFirst: spec.dropFirst ?? false, featureNames: [] };
  for (const name of numeric) {
    const col = columns[name]!;
    let s = 0;
    let c = 0;
    for (let i = 0; i < col.length; i++) toNumber(col[i], name, i); // validate every row
    for (let k = 0; k < fitRows.length; k++) {
      const v = toNumber(col[fitRows[k]!], name, fitRows[k]!);
      if (!Number.isNaN(v)) {
        s += v;
        c++;
      }
    }
    const mean = c > 0 ? s / c : 0;
    let ss = 0;
    for (let k = 0; k < fitRows.length; k++) {
      const v = toNumber(col[fitRows[k]!], name, fitRows[k]!);
      if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
    }
    const sd = c > 0 ? Math.sqrt(ss / c) : 0;
    enc.numeric.push({ name, mean, sd: sd > 0 ? sd : 1 });
    enc.featureNames.push(name);
  }
  for (const name of categorical) {
    const col = columns[name]!;
    const counts = new Map<string, number>();
    for (let k = 0; k < fitRows.length; k++) {
      const l = toLevel(col[fitRows[k]!]);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    let levels = [...counts.keys()];
    let pooled = false;
    if (levels.length > maxLevels) {
      levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxLevels - 1).map((e) => e[0]);
      levels.push(OTHER);
      pooled = true;
    }
    levels.sort();
    const used = enc.dropFirst ? levels.slice(1) : levels;
    enc.categorical.push({ name, levels: used, pooled });
    for (const l of used) enc.featureNames.push(`${name}=${l}`);
  }
  return { ...applyDesign(enc, columns), encoder: enc };
}

/** Encodes (new) rows with a fitted encoder. */
export function applyDesign(encoder: DesignEncoder, columns: Record<string, ColumnValues>): DesignMatrix {
  if (!encoder || !encoder.featureNames) throw new Error('applyDesign: a fitted encoder is required');
  const names = [...encoder.numeric.map((c) => c.name), ...encoder.categorical.map((c) => c.name)];
  const n = rowCount(columns, names, 'applyDesign');
  const p = encoder.featureNames.length;
  const X = new Float64Array(n * p);
  let j = 0;
  for (const { name, mean, sd } of encoder.numeric) {
    const col = columns[name]!;
    for (let i = 0; i < n; i++) {
      const v = toNumber(col[i], name, i);
      X[i * p + j] = Number.isNaN(v) ? 0 : (v - mean) / sd;
    }
    j++;
  }
  for (const { name, levels, pooled } of encoder.categorical) {
    const col = columns[name]!;
    const pos = new Map(levels.map((l, k) => [l, j + k]));
    const otherPos = pooled ? pos.get(OTHER) : undefined;
    for (let i = 0; i < n; i++) {
      const l = toLevel(col[i]);
      let c = pos.get(l);
      // A level pooled when fitting goes to "(other)" — only levels never seen are all-zero.
      if (c === undefined && otherPos !== undefined && l !== OTHER) c = otherPos;
      if (c !== undefined) X[i * p + c] = 1;
    }
    j += levels.length;
  }
  return { X, n, p, featureNames: encoder.featureNames.slice() };
}

/** Rows of a design matrix (e.g. the training rows of a split). */
export function selectRows(d: DesignMatrix, rows: ArrayLike<number>): DesignMatrix {
  const X = new Float64Array(rows.length * d.p);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (!(Number.isInteger(r) && r >= 0 && r < d.n)) throw new Error(`selectRows: ${r} is not a row index`);
    X.set(d.X.subarray(r * d.p, (r + 1) * d.p), k * d.p);
  }
  return { X, n: rows.length, p: d.p, featureNames: d.featureNames };
}

export interface LogisticOptions {
  /** L2 penalty λ (= 1/C of scikit-learn). Default 1. */
  lambda?: number;
  fitIntercept?: boolean;
  maxIter?: number;
  tol?: number;
  shouldCancel?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface LogisticModel {
  intercept: number;
  coef: Float64Array;
  featureNames: string[];
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Mean training log-loss (without the penalty). */
  logLoss: number;
  solver: 'newton' | 'lbfgs';
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

function checkShape(name: string, d: DesignMatrix): void {
  if (!d || !(d.X instanceof Float64Array) || !Number.isInteger(d.n) || !Number.isInteger(d.p) || d.X.length !== d.n * d.p)
    throw new Error(`${name}: design must be { X: Float64Array (n·p), n, p }`);
}

const notFinite = (name: string, i: number) => new Error(`${name}: design value ${i} is not finite`);

function checkDesign(name: string, d: DesignMatrix): void {
  checkShape(name, d);
  for (let i = 0; i < d.X.length; i++) if (!Number.isFinite(d.X[i]!)) throw notFinite(name, i);
}

/** The L2 penalty (λ/2)‖w‖², its gradient λw added to `grad` when given (both routes). */
function penalty(w: Float64Array, p: number, lambda: number, grad: Float64Array | null): number {
  let pen = 0;
  for (let j = 0; j < p; j++) pen += w[j]! * w[j]!;
  if (grad) for (let j = 0; j < p; j++) grad[j] = grad[j]! + lambda * w[j]!;
  return 0.5 * lambda * pen;
}

/** Objective and gradient (length p+1, intercept last) of the penalised log-loss over the dense rows (the L-BFGS route). */
function objective(d: DesignMatrix, y: Float64Array, w: Float64Array, b: number, lambda: number, grad: Float64Array | null): number {
  const { X, n, p } = d;
  let f = 0;
  if (grad) grad.fill(0);
  for (let i = 0; i < n; i++) {
    let t = b;
    const o = i * p;
    for (let j = 0; j < p; j++) t += X[o + j]! * w[j]!;
    // −y ln μ − (1−y) ln(1−μ) = softplus(t) − y t; softplus and the sigmoid share one e^−|t|
    // (the same values as softplus(t) and sigmoid(t)).
    const e = Math.exp(-Math.abs(t));
    f += (t > 0 ? t : 0) + Math.log1p(e) - y[i]! * t;
    if (grad) {
      const r = (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[i]!;
      for (let j = 0; j < p; j++) grad[j] = grad[j]! + r * X[o + j]!;
      grad[p] = grad[p]! + r;
    }
  }
  return f + penalty(w, p, lambda, grad);
}

/** The kernels' exports (kernels/logistic.as.ts); pointers are byte offsets into NewtonWork's memory. */
interface LogisticKernel {
  lossAndGradient(n: number, p: number, rowStart: number, nzCol: number, nzVal: number, y: number, w: number, b: number, grad: number, mu: number): number;
  hessian(n: number, m: number, p: number, rowStart: number, nzCol: number, nzVal: number, mu: number, H: number, fitIntercept: number, lambda: number): void;
  choleskySolve(A: number, rhs: number, m: number, z: number): number;
}

/**
 * The Newton steps in WebAssembly (kernels/logistic.as.ts). Its memory holds the rows' non-zeros
 * (one-hot designs are mostly zeros: only their products are summed, in the dense loop's order),
 * the labels, the system's matrix, and two sets of gradient and μ: the current point's and a trial
 * point's, swapped when a step is accepted (nearly always at t = 1), so each step reads the rows once
 * for its value, gradient and μ. The dense design is not copied in: the non-zeros are picked here,
 * straight from it (copying Telco's 7043 × 45 into a fresh memory cost 7 ms of a 25 ms fit in page
 * faults alone, and held the design twice).
 */
class NewtonWork {
  private readonly w: Float64Array;
  private readonly rhs: Float64Array;
  private readonly z: Float64Array;
  private readonly grad: [Float64Array, Float64Array];
  /** Which of the two gradient and μ sets is the current point's. */
  private cur: 0 | 1 = 0;

  private constructor(
    private readonly kernel: LogisticKernel,
    buf: ArrayBuffer,
    private readonly at: NewtonLayout,
    private readonly n: number,
    private readonly p: number,
    readonly m: number,
    private readonly fitIntercept: boolean,
  ) {
    this.w = new Float64Array(buf, at.w, p);
    this.grad = [new Float64Array(buf, at.grad[0], p + 1), new Float64Array(buf, at.grad[1], p + 1)];
    this.rhs = new Float64Array(buf, at.rhs, m);
    this.z = new Float64Array(buf, at.z, m);
  }

  /**
   * The design and labels in a kernel memory, or null when they do not fit in WebAssembly's 4 GiB
   * (the caller fits by L-BFGS). Throws on a value that is not finite.
   */
  static create(design: DesignMatrix, y: Float64Array, fitIntercept: boolean): NewtonWork | null {
    const { n, p, X } = design;
    const m = p + (fitIntercept ? 1 : 0);
    let nnz = 0;
    for (let i = 0; i < X.length; i++) {
      const v = X[i]!;
      if (!Number.isFinite(v)) throw notFinite('fitLogistic', i);
      if (v !== 0) nnz++;
    }
    const L = new MemoryLayout();
    const at = newtonLayout(L, n, p, m, nnz);
    if (L.bytes > KERNEL_MEMORY_LIMIT) return null;
    const { exports, memory } = kernelInstance<LogisticKernel>(WASM_BASE64, L.bytes);
    // row i's non-zeros are rowStart[i] ≤ q < rowStart[i + 1], in column order
    const rowStart = new Int32Array(memory.buffer, at.rowStart, n + 1);
    const nzCol = new Int32Array(memory.buffer, at.nzCol, nnz);
    const nzVal = new Float64Array(memory.buffer, at.nzVal, nnz);
    let q = 0;
    for (let i = 0, o = 0; i < n; i++, o += p) {
      for (let a = 0; a < p; a++) {
        const v = X[o + a]!;
        if (v === 0) continue;
        nzCol[q] = a;
        nzVal[q++] = v;
      }
      rowStart[i + 1] = q;
    }
    new Float64Array(memory.buffer, at.y, n).set(y);
    return new NewtonWork(exports, memory.buffer, at, n, p, m, fitIntercept);
  }

  /** The penalised objective at (w, b): with `trial`, its gradient and μ go to the trial set, otherwise to the current one. */
  evaluate(w: Float64Array, b: number, lambda: number, trial: boolean): number {
    const { n, p, at } = this;
    const slot = trial ? 1 - this.cur : this.cur;
    this.w.set(w);
    const f = this.kernel.lossAndGradient(n, p, at.rowStart, at.nzCol, at.nzVal, at.y, at.w, b, at.grad[slot]!, at.mu[slot]!);
    return f + penalty(w, p, lambda, this.grad[slot]!);
  }

  /** The trial point becomes the current one. */
  accept(): void {
    this.cur = this.cur === 0 ? 1 : 0;
  }

  /** The Newton step at the current point ((XᵀWX + λI)⁻¹ ∇, intercept last), or null when the system is singular. */
  step(lambda: number): Float64Array | null {
    const { n, m, p, at } = this;
    this.kernel.hessian(n, m, p, at.rowStart, at.nzCol, at.nzVal, at.mu[this.cur]!, at.H, this.fitIntercept ? 1 : 0, lambda);
    const grad = this.grad[this.cur]!;
    for (let a = 0; a < p; a++) this.rhs[a] = grad[a]!;
    if (this.fitIntercept) this.rhs[p] = grad[p]!;
    return this.kernel.choleskySolve(at.H, at.rhs, m, at.z) ? this.z.slice() : null;
  }
}

type NewtonLayout = ReturnType<typeof newtonLayout>;

/** Where NewtonWork's arrays sit in the kernel's memory. */
function newtonLayout(L: MemoryLayout, n: number, p: number, m: number, nnz: number) {
  return {
    rowStart: L.i32(n + 1),
    nzCol: L.i32(nnz),
    nzVal: L.f64(nnz),
    y: L.f64(n),
    w: L.f64(p),
    grad: [L.f64(p + 1), L.f64(p + 1)],
    mu: [L.f64(n), L.f64(n)],
    H: L.f64(m * m),
    rhs: L.f64(m),
    z: L.f64(m),
  };
}

export function fitLogistic(design: DesignMatrix, y: ArrayLike<number>, opts: LogisticOptions = {}): LogisticModel {
  checkShape('fitLogistic', design);
  if (!y || y.length !== design.n) throw new Error(`fitLogistic: y must have ${design.n} labels`);
  const yy = new Float64Array(design.n);
  let pos = 0;
  for (let i = 0; i < design.n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new Error(`fitLogistic: label ${i} is ${v}; labels must be 0 or 1`);
    yy[i] = v;
    pos += v;
  }
  if (pos === 0 || pos === design.n) throw new Error('fitLogistic: both classes (0 and 1) must be present');
  const lambda = opts.lambda ?? 1;
  if (!(Number.isFinite(lambda) && lambda >= 0)) throw new Error('fitLogistic: lambda must be a non-negative number');
  const fitIntercept = opts.fitIntercept ?? true;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-8;
  const { n, p } = design;
  let w = new Float64Array(p);
  let b = fitIntercept ? Math.log(pos / (n - pos)) : 0;
  let iterations = 0;
  let converged = false;
  let solver: 'newton' | 'lbfgs' = 'newton';
  // Newton up to 300 features (beyond, the p × p system costs more than L-BFGS's steps), and while
  // the kernel's memory holds the design (WebAssembly's 4 GiB). NewtonWork.create checks the values
  // as it counts them, before it sizes the memory; beyond 300 features they are checked here
  const newton = p <= 300 ? NewtonWork.create(design, yy, fitIntercept) : null;
  if (p > 300) checkDesign('fitLogistic', design);
  if (newton) {
    const m = newton.m;
    let f = newton.evaluate(w, b, lambda, false);
    for (; iterations < maxIter; iterations++) {
      if (opts.shouldCancel && opts.shouldCancel()) throw new CancelledError();
      opts.onProgress?.(iterations, maxIter);
      const step = newton.step(lambda);
      if (!step) break; // singular (λ = 0 with collinear features): fall back below
      let t = 1;
      let accepted = false;
      const wNew = new Float64Array(p);
      for (let h = 0; h < 30; h++) {
        for (let a = 0; a < p; a++) wNew[a] = w[a]! - t * step[a]!;
        const bNew = fitIntercept ? b - t * step[p]! : 0;
        const fNew = newton.evaluate(wNew, bNew, lambda, true);
        if (fNew <= f + 1e-12 * Math.abs(f)) {
          w = Float64Array.from(wNew);
          b = bNew;
          f = fNew;
          newton.accept();
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      let maxStep = 0;
      for (let a = 0; a < m; a++) maxStep = Math.max(maxStep, Math.abs(t * step[a]!));
      if (!accepted || maxStep < tol) {
        converged = accepted || maxStep < tol;
        iterations++;
        break;
      }
    }
  }
  if (!converged) {
    solver = 'lbfgs';
    // Value and gradient from one pass over the rows (the line search asks for both at one point).
    const { f: fn, grad: gr } = fusedObjective(p + 1, (th, out) => {
      const v = objective(design, yy, th.subarray(0, p), fitIntercept ? th[p]! : 0, lambda, out);
      if (!fitIntercept) out[p] = 0;
      return v;
    });
    const th0 = new Float64Array(p + 1);
    th0.set(w);
    th0[p] = b;
    const r = lbfgs(fn, gr, th0, { maxIter: 2000, gradTol: 1e-6, shouldCancel: opts.shouldCancel });
    w = Float64Array.from(r.x.subarray(0, p));
    b = fitIntercept ? r.x[p]! : 0;
    iterations += r.iterations;
    converged = r.converged;
  }
  opts.onProgress?.(maxIter, maxIter);
  const total = newton ? newton.evaluate(w, b, lambda, true) : objective(design, yy, w, b, lambda, null);
  return {
    intercept: b,
    coef: w,
    featureNames: design.featureNames.slice(),
    lambda,
    iterations,
    converged,
    logLoss: (total - penalty(w, p, lambda, null)) / n,
    solver,
  };
}

export function predictProba(model: LogisticModel, design: DesignMatrix): Float64Array {
  if (!model || !(model.coef instanceof Float64Array)) throw new Error('predictProba: a fitted model is required');
  checkDesign('predictProba', design);
  if (design.p !== model.coef.length) throw new Error(`predictProba: the design has ${design.p} features, the model ${model.coef.length}`);
  const { X, n, p } = design;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = model.intercept;
    for (let j = 0; j < p; j++) t += X[i * p + j]! * model.coef[j]!;
    out[i] = sigmoid(t);
  }
  return out;
}

export interface Coefficient {
  feature: string;
  coef: number;
  oddsRatio: number;
}

/** Coefficients sorted by absolute size (largest effect first). */
export function coefficients(model: LogisticModel): Coefficient[] {
  if (!model || !(model.coef instanceof Float64Array)) throw new Error('coefficients: a fitted model is required');
  return Array.from(model.coef, (c, j) => ({ feature: model.featureNames[j] ?? `x${j}`, coef: c, oddsRatio: Math.exp(c) })).sort(
    (a, b) => Math.abs(b.coef) - Math.abs(a.coef),
  );
}
