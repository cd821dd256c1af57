/**
 * Nelder–Mead minimisation (standard coefficients 1, 2, ½, ½) with restarts: after convergence
 * the simplex is rebuilt around the best point and the search repeated until a restart no
 * longer improves the value — this guards against the early collapse Nelder–Mead is known for.
 */
export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

export function nelderMead(f: (x: number[]) => number, x0: number[], opts: { step?: number; tol?: number; maxIter?: number; restarts?: number } = {}): MinimizeResult {
  const n = x0.length;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 5000;
  let best = { x: x0.slice(), fx: f(x0) };
  let iterations = 0;
  let converged = false;
  for (let restart = 0; restart <= (opts.restarts ?? 4); restart++) {
    const step = (opts.step ?? 0.5) / (restart + 1);
    const simplex: { x: number[]; fx: number }[] = [best];
    for (let i = 0; i < n; i++) {
      const x = best.x.slice();
      x[i]! += step;
      simplex.push({ x, fx: f(x) });
    }
    let it = 0;
    for (; it < maxIter; it++) {
      simplex.sort((a, b) => a.fx - b.fx);
      const lo = simplex[0]!;
      const hi = simplex[n]!;
      if (Math.abs(hi.fx - lo.fx) <= tol * (Math.abs(lo.fx) + tol)) {
        converged = true;
        break;
      }
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.x[j]! / n;
      const at = (t: number) => centroid.map((c, j) => c + t * (hi.x[j]! - c));
      const xr = at(-1);
      const fr = f(xr);
      if (fr < lo.fx) {
        const xe = at(-2);
        const fe = f(xe);
        simplex[n] = fe < fr ? { x: xe, fx: fe } : { x: xr, fx: fr };
      } else if (fr < simplex[n - 1]!.fx) {
        simplex[n] = { x: xr, fx: fr };
      } else {
        const outside = fr < hi.fx;
        const xc = at(outside ? -0.5 : 0.5);
        const fc = f(xc);
        if (fc < (outside ? fr : hi.fx)) simplex[n] = { x: xc, fx: fc };
        else {
          for (let i = 1; i <= n; i++) {
            const x = simplex[i]!.x.map((v, j) => lo.x[j]! + 0.5 * (v - lo.x[j]!));
            simplex[i] = { x, fx: f(x) };
          }
        }
      }
    }
    iterations += it;
    simplex.sort((a, b) => a.fx - b.fx);
    const improved = simplex[0]!.fx < best.fx - tol * (Math.abs(best.fx) + tol);
    if (simplex[0]!.fx <= best.fx) best = simplex[0]!;
    if (!improved && restart > 0) break;
  }
  return { x: best.x, fx: best.fx, iterations, converged };
}
