/**
 * Fellegi-Sunter scoring with m/u probabilities estimated by EM (unsupervised: no labels).
 *
 * - Each compared pair has, per field, a similarity in [0,1] or null. It is discretised into
 *   agreement levels by descending thresholds: with [0.95, 0.85], level 0 = sim ≥ 0.95,
 *   1 = ≥ 0.85, 2 = below; −1 = missing. Missing levels carry no evidence (weight 0).
 * - Model: a pair is a match with prior λ; given its class, fields are independent with
 *   P(level l | match) = m_f[l] and P(level l | non-match) = u_f[l] (conditional independence,
 *   the classic latent class model of Fellegi & Sunter 1969 / Winkler 1988).
 * - EM on the distinct comparison patterns (counts), which makes each iteration cheap however
 *   many pairs there are. Initialisation is seeded (createRng): m favours high agreement, u
 *   low agreement, each with random jitter; λ in [0.05, 0.35]. Several restarts from derived
 *   seeds; the highest log-likelihood wins. Stops when no parameter moves by more than tol, or
 *   after maxIter. Probabilities are floored at minProb (default 1e-4) so no weight is infinite
 *   and one unseen disagreement cannot outweigh everything else (|weight| ≲ 13 bits).
 * - Labels: EM may converge with the two classes swapped; the class whose top-level agreement
 *   summed over fields is higher is called "match".
 * - A user rule can declare levels "impossible for a match" (impossibleLevels): m is pinned at
 *   1e-6 there. Used when fields are correlated among non-matches (restaurants in one hotel
 *   share address and phone) and EM would otherwise call such pairs matches.
 * - u can instead be fixed from random pairs (estimateU on pairs drawn at random, nearly all
 *   non-matches; Laplace smoothing), and then EM only updates λ and m.
 * - Match weight per field and level: log2(m/u); total score W = Σ of the fields' weights.
 *   Posterior match probability: 1 / (1 + 2^−(W + log2(λ/(1−λ)))).
 */
import { createRng, deriveSeed } from '../../kernel/random';

/** Agreement level of one similarity: −1 missing, 0 = at or above thresholds[0], …, thresholds.length = below all. */
export function toLevel(sim: number | null, thresholds: readonly number[]): number {
  if (sim === null || Number.isNaN(sim)) return -1;
  for (let l = 0; l < thresholds.length; l++) if (sim >= thresholds[l]! - 1e-12) return l;
  return thresholds.length;
}

/** A pairs × fields matrix of agreement levels (row-major). */
export interface LevelMatrix {
  nPairs: number;
  fields: string[];
  /** Number of (non-missing) levels per field. */
  nLevels: number[];
  levels: Int8Array;
}

/** Builds the level matrix from per-field similarity columns. */
export function levelMatrix(
  fields: { name: string; thresholds: readonly number[] }[],
  sims: (Float64Array | (number | null)[])[],
  nPairs: number,
): LevelMatrix {
  const F = fields.length;
  const levels = new Int8Array(nPairs * F);
  for (let f = 0; f < F; f++) {
    const col = sims[f]!;
    const th = fields[f]!.thresholds;
    for (let p = 0; p < nPairs; p++) {
      const v = col[p];
      levels[p * F + f] = toLevel(v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v, th);
    }
  }
  return { nPairs, fields: fields.map((f) => f.name), nLevels: fields.map((f) => f.thresholds.length + 1), levels };
}

export interface FSModel {
  fields: string[];
  nLevels: number[];
  /** Prior share of matches among the compared pairs. */
  lambda: number;
  m: number[][];
  u: number[][];
  /** log2(m/u) per field and level. */
  weights: number[][];
  iterations: number;
  converged: boolean;
  logLik: number;
  /** Distinct comparison patterns EM worked on. */
  patterns: number;
}

export interface EMOptions {
  seed?: number;
  maxIter?: number;
  tol?: number;
  restarts?: number;
  /** u fixed (e.g. from estimateU on random pairs); EM then fits λ and m only. */
  fixedU?: number[][];
  /**
   * Per field, levels that matches never fall in (a user rule such as "a very different name is
   * a different restaurant"): m is pinned at 1e-6 there, so the level's weight is strongly
   * negative and EM does not learn it away.
   */
  impossibleLevels?: (readonly number[] | undefined)[];
  minProb?: number;
}

interface Patterns {
  levels: Int8Array; // K × F
  counts: Float64Array;
  K: number;
}

function compress(mat: LevelMatrix): Patterns {
  const F = mat.fields.length;
  const index = new Map<string, number>();
  const rows: number[] = [];
  const counts: number[] = [];
  for (let p = 0; p < mat.nPairs; p++) {
    const row = mat.levels.subarray(p * F, p * F + F);
    const key = row.join(',');
    const k = index.get(key);
    if (k === undefined) {
      index.set(key, counts.length);
      counts.push(1);
      for (let f = 0; f < F; f++) rows.push(row[f]!);
    } else counts[k]!++;
  }
  return { levels: Int8Array.from(rows), counts: Float64Array.from(counts), K: counts.length };
}

function normalise(v: number[], minProb: number): number[] {
  const fl = v.map((x) => Math.max(x, minProb));
  const s = fl.reduce((a, b) => a + b, 0);
  return fl.map((x) => x / s);
}

/** u probabilities from pairs that are (almost all) non-matches, e.g. random pairs; Laplace smoothing. */
export function estimateU(mat: LevelMatrix, smoothing = 1): number[][] {
  const F = mat.fields.length;
  return mat.nLevels.map((L, f) => {
    const c = new Array<number>(L).fill(smoothing);
    for (let p = 0; p < mat.nPairs; p++) {
      const l = mat.levels[p * F + f]!;
      if (l >= 0) c[l]!++;
    }
    const s = c.reduce((a, b) => a + b, 0);
    return c.map((x) => x / s);
  });
}

/** m of an "impossible" level: about −20 bits against a common disagreement. */
const IMPOSSIBLE = 1e-6;

function pinImpossible(m: number[][], o: { impossibleLevels?: (readonly number[] | undefined)[]; minProb: number }): number[][] {
  if (!o.impossibleLevels) return m;
  return m.map((row, f) => {
    const lv = o.impossibleLevels![f];
    if (!lv?.length) return row;
    const rest = row.reduce((s, x, l) => (lv.includes(l) ? s : s + x), 0);
    const pin = Math.min(o.minProb, IMPOSSIBLE);
    const pinned = lv.length * pin;
    return row.map((x, l) => (lv.includes(l) ? pin : rest > 0 ? (x / rest) * (1 - pinned) : (1 - pinned) / (row.length - lv.length)));
  });
}

type RunOptions = Required<Omit<EMOptions, 'fixedU' | 'impossibleLevels'>> & Pick<EMOptions, 'fixedU' | 'impossibleLevels'>;

function runEM(pt: Patterns, nLevels: number[], seed: number, o: RunOptions) {
  const F = nLevels.length;
  const rng = createRng(seed);
  let lambda = 0.05 + 0.3 * rng();
  let m = pinImpossible(
    nLevels.map((L) =>
      normalise(
        Array.from({ length: L }, (_, l) => (l === 0 ? 0.7 + 0.25 * rng() : (0.3 * rng()) / L)),
        o.minProb,
      ),
    ),
    o,
  );
  let u =
    o.fixedU?.map((r) => normalise(r, o.minProb)) ??
    nLevels.map((L) =>
      normalise(
        Array.from({ length: L }, (_, l) => (l === L - 1 ? 0.6 + 0.35 * rng() : (0.4 * rng()) / L)),
        o.minProb,
      ),
    );
  const g = new Float64Array(pt.K);
  let iterations = 0;
  let converged = false;
  let logLik = -Infinity;
  for (; iterations < o.maxIter; ) {
    iterations++;
    // E-step
    const logM = m.map((r) => r.map(Math.log));
    const logU = u.map((r) => r.map(Math.log));
    const lp = Math.log(lambda);
    const lq = Math.log(1 - lambda);
    logLik = 0;
    for (let k = 0; k < pt.K; k++) {
      let a = lp;
      let b = lq;
      for (let f = 0; f < F; f++) {
        const l = pt.levels[k * F + f]!;
        if (l < 0) continue;
        a += logM[f]![l]!;
        b += logU[f]![l]!;
      }
      const mx = Math.max(a, b);
      const ea = Math.exp(a - mx);
      const eb = Math.exp(b - mx);
      g[k] = ea / (ea + eb);
      logLik += pt.counts[k]! * (mx + Math.log(ea + eb));
    }
    // M-step
    let total = 0;
    let matched = 0;
    const mc = nLevels.map((L) => new Array<number>(L).fill(0));
    const uc = nLevels.map((L) => new Array<number>(L).fill(0));
    for (let k = 0; k < pt.K; k++) {
      const c = pt.counts[k]!;
      const gm = c * g[k]!;
      total += c;
      matched += gm;
      for (let f = 0; f < F; f++) {
        const l = pt.levels[k * F + f]!;
        if (l < 0) continue;
        mc[f]![l] += gm;
        uc[f]![l] += c - gm;
      }
    }
    const newLambda = Math.min(1 - o.minProb, Math.max(o.minProb, matched / total));
    const newM = pinImpossible(
      mc.map((r) => normalise(r, o.minProb)),
      o,
    );
    const newU = o.fixedU ? u : uc.map((r) => normalise(r, o.minProb));
    let delta = Math.abs(newLambda - lambda);
    for (let f = 0; f < F; f++)
      for (let l = 0; l < nLevels[f]!; l++)
        delta = Math.max(delta, Math.abs(newM[f]![l]! - m[f]![l]!), Math.abs(newU[f]![l]! - u[f]![l]!));
    lambda = newLambda;
    m = newM;
    u = newU;
    if (delta < o.tol) {
      converged = true;
      break;
    }
  }
  return { lambda, m, u, iterations, converged, logLik };
}

/** Fits λ, m and u by EM (seeded restarts, best log-likelihood). */
export function fitFellegiSunter(mat: LevelMatrix, opts: EMOptions = {}): FSModel {
  const o = {
    seed: opts.seed ?? 1,
    maxIter: opts.maxIter ?? 500,
    tol: opts.tol ?? 1e-7,
    restarts: Math.max(1, opts.restarts ?? 4),
    minProb: opts.minProb ?? 1e-4,
    fixedU: opts.fixedU,
    impossibleLevels: opts.impossibleLevels,
  };
  const pt = compress(mat);
  let best: ReturnType<typeof runEM> | null = null;
  if (pt.K > 0) {
    for (let r = 0; r < o.restarts; r++) {
      const fit = runEM(pt, mat.nLevels, deriveSeed(o.seed, r), o);
      if (!best || fit.logLik > best.logLik + 1e-9) best = fit;
    }
  }
  let { lambda, m, u, iterations, converged, logLik } = best ?? {
    lambda: 0.5,
    m: mat.nLevels.map((L) => new Array<number>(L).fill(1 / L)),
    u: mat.nLevels.map((L) => new Array<number>(L).fill(1 / L)),
    iterations: 0,
    converged: false,
    logLik: 0,
  };
  // The "match" class is the one that agrees more at the top level.
  const agree = m.reduce((s, r, f) => s + r[0]! - u[f]![0]!, 0);
  if (agree < 0 && !o.fixedU && !o.impossibleLevels) {
    [m, u] = [u, m];
    lambda = 1 - lambda;
  }
  return {
    fields: mat.fields,
    nLevels: mat.nLevels,
    lambda,
    m,
    u,
    weights: m.map((r, f) => r.map((x, l) => Math.log2(x / u[f]![l]!))),
    iterations,
    converged,
    logLik,
    patterns: pt.K,
  };
}

/** Posterior match probability of a total weight under prior λ. */
export function matchProbability(weight: number, lambda: number): number {
  const prior = Math.log2(lambda / (1 - lambda));
  return 1 / (1 + Math.pow(2, -(weight + prior)));
}

/** Total match weight and posterior probability of every pair. */
export function scorePairs(mat: LevelMatrix, model: FSModel): { weight: Float64Array; probability: Float64Array } {
  const F = mat.fields.length;
  const weight = new Float64Array(mat.nPairs);
  const probability = new Float64Array(mat.nPairs);
  for (let p = 0; p < mat.nPairs; p++) {
    let w = 0;
    for (let f = 0; f < F; f++) {
      const l = mat.levels[p * F + f]!;
      if (l >= 0) w += model.weights[f]![l]!;
    }
    weight[p] = w;
    probability[p] = matchProbability(w, model.lambda);
  }
  return { weight, probability };
}
