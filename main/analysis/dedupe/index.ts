/**
 * Record dedupe and linkage, end to end: normalise → block → compare → Fellegi-Sunter (EM) →
 * cluster. Pure: rows in, scored pairs and clusters out.
 *
 * - dedupe(rows, config): duplicates inside one table; pairs (i, j), i < j.
 * - link(rowsA, rowsB, config): the same entity across two tables; pairs (i in A, j in B);
 *   clusters use one index space, A rows as 0..nA−1 and B rows as nA + j. With oneToOne
 *   (each table free of inner duplicates) pairs are assigned greedily by score, each row once.
 * - Values are normalised once per row and field (FieldSpec.normalise, default "text"), then
 *   compared per candidate pair. Pairs are scored with the EM-fitted model; the default
 *   decision is posterior match probability ≥ 0.5 (score "probability"), or a match weight
 *   (score "weight", log2 units).
 * - The result carries the dendrogram, so recluster(result, t) is cheap when the user moves the
 *   threshold (no re-comparison, no re-fit).
 * - autoConfig(columns) picks comparators, levels and blocking passes from column roles.
 * - u: by default EM estimates u from the candidate pairs with everything else. With
 *   em.randomPairsForU = k, u is fixed from k seeded random pairs (Splink-style) — beware that
 *   blocking makes the blocking fields agree far more often among candidates than among random
 *   pairs, so EM may then call "same name" a match; it is off in autoConfig for that reason.
 */
import { normalisers, type NormaliserName, tokens as wordTokens, qgrams, normalizeText, phoneKey, phoneDigits } from './keys';
import type { CountryCode } from 'libphonenumber-js';
import { comparatorFor, type Comparator, type ComparatorName, type ComparatorOptions } from './compare';
import { candidatePairs, type BlockingPass, type CandidatePairs, type PassReport } from './blocking';
import { fitFellegiSunter, levelMatrix, scorePairs, estimateU, type EMOptions, type FSModel, type LevelMatrix } from './fellegi-sunter';
import { buildDendrogram, cutDendrogram, clusterMembers, greedyOneToOne, type Dendrogram, type Linkage } from './cluster';
import { createRng, randInt } from '../../kernel/random';
import { CancelledError } from '../../../shared/errors';

export * from './keys';
export * from './compare';
export * from './blocking';
export * from './fellegi-sunter';
export * from './cluster';
export * from './survivorship';

export type Row = Record<string, unknown>;
type Normaliser = NormaliserName | ((v: unknown) => string);

export interface FieldSpec {
  /** Field name in the model and the report. */
  name: string;
  /** Column in the rows (default: name); columnB for table B when linking and names differ. */
  column?: string;
  columnB?: string;
  /** Applied once per value before comparing (default "text"). */
  normalise?: Normaliser;
  /** A comparator, or several: the pair then gets the best (highest) of their similarities. */
  comparator: ComparatorName | Comparator | (ComparatorName | Comparator)[];
  options?: ComparatorOptions;
  /** Descending similarity thresholds of the agreement levels (default [0.95, 0.85]; 0/1 comparators [1]). */
  levels?: number[];
  /**
   * Rule: below this similarity the two records are different entities whatever the other
   * fields say (adds a level whose m is pinned near 0; weight about −20 bits).
   */
  neverMatchBelow?: number;
}

export interface KeySpec {
  column: string;
  columnB?: string;
  /** Normaliser for the key (default "text"). */
  key?: Normaliser;
  /** Keep only the first N characters of the key. */
  prefix?: number;
}

export type BlockingSpec =
  | { kind: 'standard'; name?: string; keys: KeySpec[]; maxBlockSize?: number }
  | { kind: 'sorted'; name?: string; keys: KeySpec[]; window: number }
  | { kind: 'tokens'; name?: string; column: string; columnB?: string; normalise?: Normaliser; tokens?: 'words' | 'wordPairs' | 'qgrams'; q?: number; maxBlockSize: number };

export interface MatchConfig {
  fields: FieldSpec[];
  blocking: BlockingSpec[];
  /** Decision threshold on the score (default 0.5 for probability, 0 for weight). */
  threshold?: number;
  score?: 'probability' | 'weight';
  /** Clustering: single (components, default), average (UPGMA) or evidence (see cluster.ts). */
  linkage?: Linkage | 'evidence';
  /** Average linkage: score of pairs never compared (default 0). */
  missingScore?: number;
  em?: EMOptions & { randomPairsForU?: number };
  /** link only: each row matches at most one row of the other table. */
  oneToOne?: boolean;
  /**
   * Rule: two records whose similarity is below `below` (one of the field's levels) on ALL of
   * these fields, each present, are different entities whatever the rest says — a family sharing
   * one phone and address differs in name (not identical) and birthday (not within days).
   */
  differentWhen?: { field: string; below: number }[];
}

export interface RunHooks {
  onProgress?: (stage: 'block' | 'compare' | 'fit' | 'cluster', done: number, total: number) => void;
  shouldCancel?: () => boolean;
}

export interface MatchResult {
  mode: 'dedupe' | 'link';
  nA: number;
  nB: number;
  blocking: { pairs: number; possible: number; reductionRatio: number; passes: PassReport[] };
  /** Candidate pairs with their levels (pairs × fields, −1 missing), weight and probability. */
  pairs: { a: Uint32Array; b: Uint32Array; levels: Int8Array; weight: Float64Array; probability: Float64Array };
  model: FSModel;
  score: 'probability' | 'weight';
  threshold: number;
  linkage: Linkage | 'evidence';
  /** Merges for re-clustering (evidence: built at `threshold`, rebuilt by recluster at another). */
  dendrogram: Dendrogram;
  /** Clustering edges in the cluster index space (after one-to-one when set) and their scores. */
  edges: { a: Int32Array; b: Int32Array; score: Float64Array };
  /** Cluster label per row (link: A rows then B rows). */
  labels: Int32Array;
  /** Clusters of ≥ 2 rows (link: B rows as nA + j). */
  clusters: number[][];
  /** Pair indices scoring at or above the threshold (after one-to-one when set). */
  matches: number[];
  seconds: { block: number; compare: number; fit: number; cluster: number };
}

const BINARY: ComparatorName[] = ['exact', 'pinyin', 'tradSimp'];

function normaliserOf(n: Normaliser | undefined): (v: unknown) => string {
  if (typeof n === 'function') return n;
  return normalisers[n ?? 'text'];
}

function keyValues(rows: Row[], keys: KeySpec[], side: 'A' | 'B'): string[] {
  const fns = keys.map((k) => normaliserOf(k.key));
  return rows.map((r) => {
    const parts: string[] = [];
    for (let k = 0; k < keys.length; k++) {
      const spec = keys[k]!;
      let v = fns[k]!(r[side === 'B' ? spec.columnB ?? spec.column : spec.column]);
      if (spec.prefix !== undefined) v = [...v].slice(0, spec.prefix).join('');
      if (!v) return ''; // a key with a missing part does not block
      parts.push(v);
    }
    return parts.join('\u0001');
  });
}

function tokenValues(rows: Row[], spec: Extract<BlockingSpec, { kind: 'tokens' }>, side: 'A' | 'B'): string[][] {
  const col = side === 'B' ? spec.columnB ?? spec.column : spec.column;
  const norm = spec.normalise ? normaliserOf(spec.normalise) : null;
  return rows.map((r) => {
    const v = norm ? norm(r[col]) : r[col];
    if (spec.tokens === 'qgrams') return qgrams(normalizeText(v).replace(/\s+/g, ''), spec.q ?? 3, false);
    if (spec.tokens === 'wordPairs') {
      // adjacent pairs of content words (3+ characters, not numbers): far more selective than single words
      const w = wordTokens(v).filter((t) => t.length > 2 && !/^\d+$/.test(t));
      return w.slice(0, -1).map((t, k) => `${t} ${w[k + 1]}`);
    }
    return wordTokens(v);
  });
}

function blockingPasses(config: MatchConfig, rowsA: Row[], rowsB?: Row[]): BlockingPass[] {
  return config.blocking.map((s): BlockingPass => {
    if (s.kind === 'tokens')
      return { kind: 'tokens', name: s.name ?? `tokens:${s.column}`, tokensA: tokenValues(rowsA, s, 'A'), tokensB: rowsB && tokenValues(rowsB, s, 'B'), maxBlockSize: s.maxBlockSize };
    const name = s.name ?? `${s.kind}:${s.keys.map((k) => k.column + (typeof k.key === 'string' ? `/${k.key}` : '') + (k.prefix ? `[${k.prefix}]` : '')).join('+')}`;
    const keysA = keyValues(rowsA, s.keys, 'A');
    const keysB = rowsB && keyValues(rowsB, s.keys, 'B');
    return s.kind === 'standard' ? { kind: 'standard', name, keysA, keysB, maxBlockSize: s.maxBlockSize } : { kind: 'sorted', name, keysA, keysB, window: s.window };
  });
}

interface Prepared {
  specs: { name: string; thresholds: number[] }[];
  cmps: Comparator[];
  valsA: string[][];
  valsB: string[][];
  impossibleLevels?: (number[] | undefined)[];
}

function prepare(config: MatchConfig, rowsA: Row[], rowsB: Row[] | undefined): Prepared {
  if (config.fields.length === 0) throw new Error('config.fields is empty');
  const specs = config.fields.map((f) => {
    const base = f.levels ?? (typeof f.comparator === 'string' && BINARY.includes(f.comparator) ? [1] : [0.95, 0.85]);
    for (let k = 1; k < base.length; k++) if (!(base[k]! < base[k - 1]!)) throw new Error(`field ${f.name}: levels must be strictly descending`);
    if (f.neverMatchBelow !== undefined && !(f.neverMatchBelow < base[base.length - 1]!))
      throw new Error(`field ${f.name}: neverMatchBelow must be below the lowest level`);
    return { name: f.name, thresholds: f.neverMatchBelow === undefined ? base : [...base, f.neverMatchBelow] };
  });
  const impossibleLevels = specs.map((s, k) => (config.fields[k]!.neverMatchBelow === undefined ? undefined : [s.thresholds.length]));
  const norm = config.fields.map((f) => normaliserOf(f.normalise));
  const valsA = config.fields.map((f, k) => rowsA.map((r) => norm[k]!(r[f.column ?? f.name])));
  const valsB = rowsB ? config.fields.map((f, k) => rowsB.map((r) => norm[k]!(r[f.columnB ?? f.column ?? f.name]))) : valsA;
  const cmps = config.fields.map((f, k): Comparator => {
    const corpus = rowsB ? [...valsA[k]!, ...valsB[k]!] : valsA[k]!;
    const one = (c: ComparatorName | Comparator): Comparator => (typeof c === 'function' ? c : comparatorFor(c, f.options, corpus));
    if (!Array.isArray(f.comparator)) return one(f.comparator);
    const list = f.comparator.map((c) => one(c));
    return (a, b) => {
      let best: number | null = null;
      for (const c of list) {
        const s = c(a, b);
        if (s !== null && (best === null || s > best)) best = s;
      }
      return best;
    };
  });
  return { specs, cmps, valsA, valsB, impossibleLevels: impossibleLevels.some(Boolean) ? impossibleLevels : undefined };
}

function compareAll(pr: Prepared, a: ArrayLike<number>, b: ArrayLike<number>, hooks?: RunHooks): LevelMatrix {
  const n = a.length;
  const sims = pr.specs.map(() => new Float64Array(n));
  for (let p = 0; p < n; p++) {
    if ((p & 0x3fff) === 0) {
      if (hooks?.shouldCancel?.()) throw new CancelledError();
      hooks?.onProgress?.('compare', p, n);
    }
    for (let f = 0; f < pr.cmps.length; f++) {
      const s = pr.cmps[f]!(pr.valsA[f]![a[p]!], pr.valsB[f]![b[p]!]);
      sims[f]![p] = s === null ? NaN : s;
    }
  }
  return levelMatrix(pr.specs, sims, n);
}

/** Applies `differentWhen`: pairs disagreeing on every listed field get probability 0 (weight −∞). */
function forceApart(config: MatchConfig, pr: Prepared, mat: LevelMatrix, weight: Float64Array, probability: Float64Array): void {
  const fields = config.differentWhen!.map(({ field, below }) => {
    const k = config.fields.findIndex((f) => f.name === field);
    if (k < 0) throw new Error(`differentWhen: no field named ${field}`);
    const t = pr.specs[k]!.thresholds.findIndex((x) => Math.abs(x - below) < 1e-9);
    if (t < 0) throw new Error(`differentWhen: ${below} is not one of the levels of ${field} (${pr.specs[k]!.thresholds.join(', ')})`);
    return { k, from: t + 1 }; // levels after t are below `below`
  });
  const nf = pr.specs.length;
  for (let p = 0; p < weight.length; p++) {
    let apart = true;
    for (const { k, from } of fields) {
      const lv = mat.levels[p * nf + k]!;
      if (lv < 0 || lv < from) { apart = false; break; }
    }
    if (apart) {
      weight[p] = -Infinity;
      probability[p] = 0;
    }
  }
}

function randomPairs(nA: number, nB: number | undefined, count: number, seed: number): { a: Uint32Array; b: Uint32Array } {
  const rng = createRng(seed ^ 0x5bd1e995);
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  for (let p = 0; p < count; p++) {
    let i = randInt(rng, nA);
    let j = randInt(rng, nB ?? nA);
    if (nB === undefined) while (j === i && nA > 1) j = randInt(rng, nA);
    a[p] = i;
    b[p] = j;
  }
  return { a, b };
}

function run(config: MatchConfig, rowsA: Row[], rowsB: Row[] | undefined, hooks?: RunHooks): MatchResult {
  const t0 = performance.now();
  hooks?.onProgress?.('block', 0, 1);
  const cand: CandidatePairs = candidatePairs(blockingPasses(config, rowsA, rowsB), rowsA.length, rowsB?.length);
  const t1 = performance.now();
  const pr = prepare(config, rowsA, rowsB);
  const mat = compareAll(pr, cand.a, cand.b, hooks);
  const t2 = performance.now();
  hooks?.onProgress?.('fit', 0, 1);
  const em = config.em ?? {};
  let fixedU = em.fixedU;
  const nRandom = em.randomPairsForU ?? 0;
  if (!fixedU && nRandom > 0 && rowsA.length > 1) {
    const rp = randomPairs(rowsA.length, rowsB?.length, nRandom, em.seed ?? 1);
    fixedU = estimateU(compareAll(pr, rp.a, rp.b));
  }
  const model = fitFellegiSunter(mat, { ...em, fixedU, impossibleLevels: em.impossibleLevels ?? pr.impossibleLevels });
  const { weight, probability } = scorePairs(mat, model);
  if (config.differentWhen?.length) forceApart(config, pr, mat, weight, probability);
  const t3 = performance.now();
  hooks?.onProgress?.('cluster', 0, 1);
  const score = config.score ?? 'probability';
  const scores = score === 'weight' ? weight : probability;
  const threshold = config.threshold ?? (score === 'weight' ? 0 : 0.5);
  const nA = rowsA.length;
  const nB = rowsB?.length ?? nA;
  const n = rowsB ? nA + nB : nA;
  let ea: ArrayLike<number> = cand.a;
  let eb: ArrayLike<number> = rowsB ? Uint32Array.from(cand.b, (j) => j + nA) : cand.b;
  let es: ArrayLike<number> = scores;
  let linkage: Linkage | 'evidence' = config.linkage ?? 'single';
  if (rowsB && config.oneToOne) {
    // greedy 1:1 at −∞ is a superset whose restriction to any threshold equals greedy at that threshold
    const kept = greedyOneToOne(cand.a, cand.b, scores, -Infinity);
    ea = kept.map((p) => cand.a[p]!);
    eb = kept.map((p) => cand.b[p]! + nA);
    es = kept.map((p) => scores[p]!);
    linkage = 'single';
  }
  const edges = { a: Int32Array.from(ea), b: Int32Array.from(eb), score: Float64Array.from(es) };
  const dendrogram = dendrogramFor(n, edges, linkage, threshold, config.missingScore);
  const labels = cutDendrogram(dendrogram, threshold);
  const matches: number[] = [];
  if (rowsB && config.oneToOne) {
    for (const p of greedyOneToOne(cand.a, cand.b, scores, threshold)) matches.push(p);
  } else for (let p = 0; p < cand.pairs; p++) if (scores[p]! >= threshold) matches.push(p);
  const t4 = performance.now();
  return {
    mode: rowsB ? 'link' : 'dedupe',
    nA,
    nB,
    blocking: { pairs: cand.pairs, possible: cand.possible, reductionRatio: cand.reductionRatio, passes: cand.passes },
    pairs: { a: cand.a, b: cand.b, levels: mat.levels, weight, probability },
    model,
    score,
    threshold,
    linkage,
    dendrogram,
    edges,
    labels,
    clusters: clusterMembers(labels),
    matches,
    seconds: { block: (t1 - t0) / 1000, compare: (t2 - t1) / 1000, fit: (t3 - t2) / 1000, cluster: (t4 - t3) / 1000 },
  };
}

/** Duplicates inside one table. */
export function dedupe(rows: Row[], config: MatchConfig, hooks?: RunHooks): MatchResult {
  return run(config, rows, undefined, hooks);
}

/** Links two tables (clusters index B rows as nA + j). */
export function link(rowsA: Row[], rowsB: Row[], config: MatchConfig, hooks?: RunHooks): MatchResult {
  return run(config, rowsA, rowsB, hooks);
}

function dendrogramFor(n: number, e: MatchResult['edges'], linkage: Linkage | 'evidence', threshold: number, missingScore?: number): Dendrogram {
  if (linkage === 'evidence') return buildDendrogram(n, e.a, e.b, e.score, { linkage: 'average', missingScore: threshold, floor: threshold });
  return buildDendrogram(n, e.a, e.b, e.score, { linkage, missingScore });
}

/**
 * Clusters at another threshold from an existing result: no re-comparison, no re-fit. Single and
 * average linkage cut the stored dendrogram (O(n)); evidence re-runs the agglomeration on the
 * stored edges.
 */
export function recluster(
  result: Pick<MatchResult, 'dendrogram' | 'linkage' | 'edges' | 'threshold'>,
  threshold: number,
): { labels: Int32Array; clusters: number[][] } {
  const d =
    result.linkage === 'evidence' && threshold !== result.threshold
      ? dendrogramFor(result.dendrogram.n, result.edges, 'evidence', threshold)
      : result.dendrogram;
  const labels = cutDendrogram(d, threshold);
  return { labels, clusters: clusterMembers(labels) };
}

/** Every within-cluster pair implied by a clustering (i < j), e.g. for pairwise evaluation. */
export function clusterPairsOf(clusters: number[][]): [number, number][] {
  const out: [number, number][] = [];
  for (const c of clusters) {
    const s = [...c].sort((x, y) => x - y);
    for (let x = 0; x < s.length; x++) for (let y = x + 1; y < s.length; y++) out.push([s[x]!, s[y]!]);
  }
  return out;
}

/** Pairwise precision, recall and F1 of predicted pairs against true pairs (both as unordered pairs). */
export function pairwiseScores(predicted: Iterable<[number, number]>, truth: Iterable<[number, number]>): { precision: number; recall: number; f1: number; truePositives: number; predicted: number; actual: number } {
  const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`);
  const t = new Set<string>();
  for (const [i, j] of truth) if (i !== j) t.add(key(i, j));
  const p = new Set<string>();
  for (const [i, j] of predicted) if (i !== j) p.add(key(i, j));
  let tp = 0;
  for (const k of p) if (t.has(k)) tp++;
  const precision = p.size ? tp / p.size : 0;
  const recall = t.size ? tp / t.size : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePositives: tp, predicted: p.size, actual: t.size };
}

/** Column roles the app assigns at import. */
export type ColumnRole =
  | 'customer_id'
  | 'name'
  | 'phone'
  | 'email'
  | 'address'
  | 'city'
  | 'province'
  | 'gender'
  | 'birth_date'
  | 'amount'
  | 'date'
  | (string & {});

export interface AutoConfigOptions {
  /** Country for national phone numbers (libphonenumber-js code, default CN). */
  defaultCountry?: CountryCode;
}

/**
 * A config from column roles. Identity columns (name, phone, email, birth date, id, address)
 * become fields; place and gender columns become weak fields; transaction columns (amount,
 * date) are left out — they describe events, not who the customer is. Blocking: exact phone,
 * email, id and birth date passes, a pinyin-name pass (homophones and traditional forms block
 * together) and a sorted-neighbourhood pass on the name.
 */
export function autoConfig(columns: { name: string; role?: string | null }[], opts: AutoConfigOptions = {}): MatchConfig & { ignored: string[] } {
  const fields: FieldSpec[] = [];
  const blocking: BlockingSpec[] = [];
  const ignored: string[] = [];
  const country = opts.defaultCountry ?? 'CN';
  for (const c of columns) {
    switch (c.role) {
      case 'customer_id':
        fields.push({ name: c.name, normalise: 'text', comparator: 'exact', levels: [1] });
        blocking.push({ kind: 'standard', keys: [{ column: c.name }] });
        break;
      case 'name':
        fields.push({ name: c.name, normalise: 'text', comparator: 'name', levels: [0.99, 0.85] });
        blocking.push({ kind: 'standard', keys: [{ column: c.name, key: 'pinyin' }] });
        blocking.push({ kind: 'sorted', keys: [{ column: c.name, key: 'pinyin' }], window: 5 });
        break;
      case 'phone':
        // E.164 digits: national and international spellings of one number agree; one typo ≈ 0.9
        fields.push({ name: c.name, normalise: (v) => phoneDigits(phoneKey(v, country)), comparator: 'levenshtein', levels: [1, 0.85] });
        blocking.push({ kind: 'standard', keys: [{ column: c.name, key: (v) => phoneKey(v, country) }] });
        break;
      case 'email':
        fields.push({ name: c.name, normalise: 'email', comparator: 'levenshtein', levels: [1, 0.85] });
        blocking.push({ kind: 'standard', keys: [{ column: c.name, key: 'email' }] });
        break;
      case 'address':
        fields.push({ name: c.name, normalise: 'simplified', comparator: 'tokenSet', levels: [0.95, 0.8] });
        break;
      case 'city':
      case 'province':
        fields.push({ name: c.name, normalise: 'simplified', comparator: 'exact', levels: [1] });
        break;
      case 'gender':
        fields.push({ name: c.name, normalise: 'text', comparator: 'exact', levels: [1] });
        break;
      case 'birth_date':
        fields.push({ name: c.name, normalise: 'text', comparator: 'date', options: { scaleDays: 30 }, levels: [1, 0.9] });
        blocking.push({ kind: 'standard', keys: [{ column: c.name }] });
        break;
      default:
        ignored.push(c.name);
    }
  }
  return { fields, blocking, em: { seed: 1 }, linkage: 'single', ignored };
}
