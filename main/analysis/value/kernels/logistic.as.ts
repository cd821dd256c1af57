/**
 * The L2 logistic regression's Newton steps, in AssemblyScript compiled to WebAssembly: the passes
 * over the rows (loss, gradient, μ, XᵀWX) and the Cholesky solve; ../logistic.ts keeps the step
 * halving and the convergence test. The same sums in the same order as the TypeScript they replace,
 * without its bounds checks and JIT warm-up (a cold fit was 3–5× scikit-learn's time). Rows
 * are given by their non-zeros (rowStart, nzCol, nzVal: one-hot designs are mostly zeros); pointers
 * are byte offsets into a memory the caller lays out.
 */

@inline function f64At(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

@inline function i32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * Σᵢ softplus(tᵢ) − yᵢ tᵢ with tᵢ = b + xᵢ·w (the log-loss without the penalty); grad[0..p) gets
 * Σ (μᵢ − yᵢ) xᵢ and grad[p] Σ μᵢ − yᵢ (zeroed first), mu[i] = μᵢ.
 */
export function lossAndGradient(n: i32, p: i32, rowStart: usize, nzCol: usize, nzVal: usize, y: usize, w: usize, b: f64, grad: usize, mu: usize): f64 {
  memory.fill(grad, 0, (<usize>(p + 1)) << 3);
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const start = load<i32>(i32At(rowStart, i));
    const end = load<i32>(i32At(rowStart, i + 1));
    let t = b;
    for (let q = start; q < end; q++) t += load<f64>(f64At(nzVal, q)) * load<f64>(f64At(w, load<i32>(i32At(nzCol, q))));
    // softplus and the sigmoid share one e^−|t|
    const e = Math.exp(-Math.abs(t));
    const yi = load<f64>(f64At(y, i));
    f += (t > 0 ? t : 0) + Math.log1p(e) - yi * t;
    const m = t >= 0 ? 1 / (1 + e) : e / (1 + e);
    store<f64>(f64At(mu, i), m);
    const r = m - yi;
    for (let q = start; q < end; q++) {
      const g = f64At(grad, load<i32>(i32At(nzCol, q)));
      store<f64>(g, load<f64>(g) + r * load<f64>(f64At(nzVal, q)));
    }
    const gb = f64At(grad, p);
    store<f64>(gb, load<f64>(gb) + r);
  }
  return f;
}

/**
 * The Newton system's matrix: XᵀWX + λI (W = μ(1−μ)) into the m × m H, the intercept's row and
 * column p last (not penalised; 1e-12 on its diagonal).
 */
export function hessian(n: i32, m: i32, p: i32, rowStart: usize, nzCol: usize, nzVal: usize, mu: usize, H: usize, fitIntercept: i32, lambda: f64): void {
  memory.fill(H, 0, (<usize>(m * m)) << 3);
  const rowP = p * m;
  for (let i = 0; i < n; i++) {
    const mi = load<f64>(f64At(mu, i));
    const wi = mi * (1 - mi);
    if (wi == 0) continue;
    const start = load<i32>(i32At(rowStart, i));
    const end = load<i32>(i32At(rowStart, i + 1));
    // the row's trailing run of ones (its one-hot columns follow the numeric ones): a product with
    // 1 is the other factor exactly, so those pairs add wi without a multiplication — the same sums
    let ones = end;
    while (ones > start && load<f64>(f64At(nzVal, ones - 1)) == 1) ones--;
    for (let q = start; q < end; q++) {
      const a = load<i32>(i32At(nzCol, q));
      const xa = load<f64>(f64At(nzVal, q)) * wi;
      if (xa == 0) continue;
      const row = H + ((<usize>(a * m)) << 3);
      const mixed = q < ones ? q + 1 : ones;
      for (let r = start; r < mixed; r++) {
        const c = f64At(row, load<i32>(i32At(nzCol, r)));
        store<f64>(c, load<f64>(c) + xa * load<f64>(f64At(nzVal, r)));
      }
      for (let r = mixed; r <= q; r++) {
        const c = f64At(row, load<i32>(i32At(nzCol, r)));
        store<f64>(c, load<f64>(c) + xa);
      }
      if (fitIntercept) {
        const c = f64At(H, rowP + a);
        store<f64>(c, load<f64>(c) + xa);
      }
    }
    if (fitIntercept) {
      const c = f64At(H, rowP + p);
      store<f64>(c, load<f64>(c) + wi);
    }
  }
  // the lower triangle was summed; the upper is its mirror
  for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) store<f64>(f64At(H, c * m + a), load<f64>(f64At(H, a * m + c)));
  for (let a = 0; a < p; a++) {
    const c = f64At(H, a * m + a);
    store<f64>(c, load<f64>(c) + lambda);
  }
  if (fitIntercept) {
    const c = f64At(H, rowP + p);
    store<f64>(c, load<f64>(c) + 1e-12);
  }
}

/**
 * Solves the symmetric positive definite A z = rhs by Cholesky (A, m × m row-major, is overwritten by
 * its factor). Returns 0 when A is not positive definite (z then undefined), 1 otherwise.
 */
export function choleskySolve(A: usize, rhs: usize, m: i32, z: usize): i32 {
  for (let j = 0; j < m; j++) {
    let s = load<f64>(f64At(A, j * m + j));
    for (let k = 0; k < j; k++) {
      const v = load<f64>(f64At(A, j * m + k));
      s -= v * v;
    }
    if (!(s > 0)) return 0;
    const l = Math.sqrt(s);
    store<f64>(f64At(A, j * m + j), l);
    for (let i = j + 1; i < m; i++) {
      let t = load<f64>(f64At(A, i * m + j));
      for (let k = 0; k < j; k++) t -= load<f64>(f64At(A, i * m + k)) * load<f64>(f64At(A, j * m + k));
      store<f64>(f64At(A, i * m + j), t / l);
    }
  }
  for (let i = 0; i < m; i++) {
    let t = load<f64>(f64At(rhs, i));
    for (let k = 0; k < i; k++) t -= load<f64>(f64At(A, i * m + k)) * load<f64>(f64At(z, k));
    store<f64>(f64At(z, i), t / load<f64>(f64At(A, i * m + i)));
  }
  for (let i = m - 1; i >= 0; i--) {
    let t = load<f64>(f64At(z, i));
    for (let k = i + 1; k < m; k++) t -= load<f64>(f64At(A, k * m + i)) * load<f64>(f64At(z, k));
    store<f64>(f64At(z, i), t / load<f64>(f64At(A, i * m + i)));
  }
  return 1;
}

/** Where the module's own static data ends (the caller's arrays start beyond it: kernel/wasm.ts). */
export function heapBase(): usize {
  return __heap_base;
}
