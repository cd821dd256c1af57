/**
 * Logistic regression with L2 regularisation, fitted by Newton–Raphson (IRLS):
 * minimise −Σ[y log p + (1−y) log(1−p)] + (λ/2)‖w‖² (the intercept is not penalised).
 * λ = 1/C with scikit-learn's default C = 1. The design builder standardises numeric columns
 * with the training data's mean and population std (missing → mean, i.e. 0 after scaling) and
 * one-hot encodes categorical columns (all levels, unseen levels → all zeros).
 */
export interface DesignSpec {
  numeric: string[];
  categorical: string[];
}

export interface Design {
  X: Float64Array;
  n: number;
  d: number;
  names: string[];
  transform(rows: Record<string, unknown>[]): Float64Array;
}

export function buildDesign(rows: Record<string, unknown>[], spec: DesignSpec): Design {
  const num = spec.numeric.map((c) => {
    const vals = rows.map((r) => Number(r[c])).filter((v) => Number.isFinite(v));
    const mean = vals.reduce((s, v) => s + v, 0) / Math.max(1, vals.length);
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, vals.length)) || 1;
    return { c, mean, sd };
  });
  const cat = spec.categorical.map((c) => ({ c, levels: [...new Set(rows.map((r) => String(r[c] ?? '')))].sort() }));
  const names = [...num.map((x) => x.c), ...cat.flatMap((x) => x.levels.map((l) => `${x.c}=${l}`))];
  const d = names.length;
  const transform = (rs: Record<string, unknown>[]) => {
    const X = new Float64Array(rs.length * d);
    rs.forEach((r, i) => {
      let j = 0;
      for (const x of num) {
        const v = Number(r[x.c]);
        X[i * d + j++] = Number.isFinite(v) ? (v - x.mean) / x.sd : 0;
      }
      for (const x of cat) {
        const k = x.levels.indexOf(String(r[x.c] ?? ''));
        if (k >= 0) X[i * d + j + k] = 1;
        j += x.levels.length;
      }
    });
    return X;
  };
  return { X: transform(rows), n: rows.length, d, names, transform };
}

export interface LogisticModel {
  weights: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solve A x = b (A symmetric positive definite, dense) by Cholesky. */
function solveSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      L[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * m + j]!;
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * m + k]! * y[k]!;
    y[i] = s / L[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!;
    x[i] = s / L[i * m + i]!;
  }
  return x;
}

export function fitLogistic(X: Float64Array, y: ArrayLike<number>, n: number, d: number, opts: { l2?: number; maxIter?: number; tol?: number } = {}): LogisticModel {
  if (X.length !== n * d || y.length !== n) throw new Error('X must be n × d and y of length n');
  const lambda = opts.l2 ?? 1;
  const m = d + 1; // parameters: w (d) + intercept
  let beta = new Float64Array(m);
  let iterations = 0;
  let converged = false;
  for (let it = 0; it < (opts.maxIter ?? 100); it++) {
    iterations = it + 1;
    const H = new Float64Array(m * m);
    const g = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let z = beta[d]!;
      for (let j = 0; j < d; j++) z += X[i * d + j]! * beta[j]!;
      const p = sigmoid(z);
      const r = p - y[i]!;
      const w = Math.max(p * (1 - p), 1e-10);
      for (let j = 0; j < m; j++) {
        const xj = j === d ? 1 : X[i * d + j]!;
        if (xj === 0) continue;
        g[j]! += r * xj;
        for (let k = 0; k <= j; k++) {
          const xk = k === d ? 1 : X[i * d + k]!;
          if (xk !== 0) H[j * m + k]! += w * xj * xk;
        }
      }
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) H[k * m + j] = H[j * m + k]!;
    for (let j = 0; j < d; j++) {
      g[j]! += lambda * beta[j]!;
      H[j * m + j]! += lambda;
    }
    const step = solveSpd(H, g, m);
    let maxStep = 0;
    const next = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      next[j] = beta[j]! - step[j]!;
      maxStep = Math.max(maxStep, Math.abs(step[j]!));
    }
    beta = next;
    if (maxStep < (opts.tol ?? 1e-8)) {
      converged = true;
      break;
    }
  }
  return { weights: beta.subarray(0, d), intercept: beta[d]!, iterations, converged };
}

export function predictProba(model: LogisticModel, X: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = model.intercept;
    for (let j = 0; j < d; j++) z += X[i * d + j]! * model.weights[j]!;
    out[i] = sigmoid(z);
  }
  return out;
}
