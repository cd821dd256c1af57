/**
 * Evaluation of the dedupe/link engine on the benchmark datasets in test/datasets:
 * FEBRL 1 (dedupe), FEBRL 4 (link 4a ↔ 4b), restaurants Fodor's/Zagat (dedupe, 112 gold
 * pairs), Cora citations (dedupe, transitively closed gold pairs).
 *
 * Metric: pairwise precision / recall / F1 of every pair implied by the clusters (all pairs
 * inside each cluster; for linking, the A–B pairs) against the gold pairs. Gold labels are only
 * read to score: configs are what a user would set up for each file (columns, comparators,
 * blocking), and the model is fitted by EM without labels.
 *
 *   npx tsx scripts/eval.ts [--only febrl1,febrl4,restaurant,cora] [--out file.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import {
  dedupe,
  link,
  clusterPairsOf,
  pairwiseScores,
  recluster,
  type MatchConfig,
  type MatchResult,
  type Row,
} from '../main/analysis/dedupe/index';

const here = path.dirname(fileURLToPath(import.meta.url));
export const datasetsDir = process.env.SEGMINT_DATASETS ?? path.resolve(here, '..', 'test', 'datasets');

function read(name: string): string {
  return readFileSync(path.join(datasetsDir, name), 'utf8');
}

/** FEBRL files: a space after each comma, so headers and values are trimmed. */
export function loadFebrl(name: string): Row[] {
  return Papa.parse<Record<string, string>>(read(name), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim(),
    transform: (v) => v.trim(),
  }).data;
}

/** Entity of a FEBRL rec_id: rec-12-org and rec-12-dup-0 → "12". */
export function febrlEntity(recId: string): string {
  const m = recId.match(/^rec-(\d+)-/);
  if (!m) throw new Error(`unexpected rec_id ${recId}`);
  return m[1]!;
}

function pairsBySharedKey(keys: string[]): [number, number][] {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  });
  return clusterPairsOf([...groups.values()].filter((g) => g.length > 1));
}

export interface Dataset {
  name: string;
  mode: 'dedupe' | 'link';
  rowsA: Row[];
  rowsB?: Row[];
  /** Gold pairs (link: i in A, j in B). */
  gold: [number, number][];
  config: MatchConfig;
}

const febrlFields: MatchConfig['fields'] = [
  { name: 'given_name', comparator: 'jaroWinkler', levels: [0.95, 0.85] },
  { name: 'surname', comparator: 'jaroWinkler', levels: [0.95, 0.85] },
  { name: 'street_number', comparator: 'exact' },
  { name: 'address_1', comparator: 'jaroWinkler', levels: [0.95, 0.85] },
  { name: 'address_2', comparator: 'jaroWinkler', levels: [0.95, 0.85] },
  { name: 'suburb', comparator: 'jaroWinkler', levels: [0.95, 0.85] },
  { name: 'postcode', comparator: 'levenshtein', levels: [1, 0.75] },
  { name: 'state', comparator: 'exact' },
  { name: 'date_of_birth', comparator: 'levenshtein', levels: [1, 0.85] },
  { name: 'soc_sec_id', comparator: 'levenshtein', levels: [1, 0.85] },
];

const febrlBlocking: MatchConfig['blocking'] = [
  { kind: 'standard', keys: [{ column: 'given_name', key: 'soundex' }, { column: 'surname', key: 'soundex' }] },
  { kind: 'standard', keys: [{ column: 'postcode' }, { column: 'date_of_birth', prefix: 4 }] },
  { kind: 'standard', keys: [{ column: 'date_of_birth' }] },
  { kind: 'standard', keys: [{ column: 'soc_sec_id' }] },
  { kind: 'sorted', keys: [{ column: 'surname' }, { column: 'given_name' }], window: 5 },
];

export function febrl1(): Dataset {
  const rows = loadFebrl('febrl-dataset1.csv');
  return {
    name: 'febrl1',
    mode: 'dedupe',
    rowsA: rows,
    gold: pairsBySharedKey(rows.map((r) => febrlEntity(String(r.rec_id)))),
    config: { fields: febrlFields, blocking: febrlBlocking, em: { seed: 1 } },
  };
}

export function febrl4(): Dataset {
  const a = loadFebrl('febrl-dataset4a.csv');
  const b = loadFebrl('febrl-dataset4b.csv');
  const index = new Map(a.map((r, i) => [febrlEntity(String(r.rec_id)), i]));
  const gold: [number, number][] = [];
  b.forEach((r, j) => {
    const i = index.get(febrlEntity(String(r.rec_id)));
    if (i !== undefined) gold.push([i, j]);
  });
  return {
    name: 'febrl4',
    mode: 'link',
    rowsA: a,
    rowsB: b,
    gold,
    config: { fields: febrlFields, blocking: febrlBlocking, em: { seed: 1 }, oneToOne: true },
  };
}

/** Restaurants: the `class` column is the gold cluster id, so it is dropped before matching. */
export function restaurant(): Dataset {
  const rows = Papa.parse<Record<string, string>>(read('restaurant-fodors-zagat.csv'), { header: true, skipEmptyLines: true }).data.map(
    ({ class: _gold, ...r }) => r as Row,
  );
  const gold = Papa.parse<string[]>(read('restaurant-fodors-zagat-gold.csv'), { skipEmptyLines: true })
    .data.slice(1)
    .map((r) => [Number(r[1]) - 1, Number(r[2]) - 1] as [number, number]); // 1-based row numbers
  return {
    name: 'restaurant',
    mode: 'dedupe',
    rowsA: rows,
    gold,
    config: {
      fields: [
        // a very different name is a different restaurant, even at the same address and phone (hotels)
        { name: 'name', normalise: 'loose', comparator: ['jaroWinkler', 'tokenSet'], levels: [0.95, 0.85], neverMatchBelow: 0.7 },
        { name: 'addr', normalise: 'loose', comparator: 'tokenSet', levels: [0.95, 0.8] },
        { name: 'city', normalise: 'loose', comparator: 'jaroWinkler', levels: [0.95] },
        { name: 'phone', normalise: 'digits', comparator: 'levenshtein', levels: [1, 0.85] },
      ],
      blocking: [
        { kind: 'standard', keys: [{ column: 'phone', key: 'digits' }] },
        { kind: 'tokens', column: 'name', maxBlockSize: 30 },
        { kind: 'sorted', keys: [{ column: 'name', key: 'loose' }], window: 5 },
      ],
      em: { seed: 1 },
    },
  };
}

/** Cora: TSV without quoting; gold ids are the `id` column (CRLF line ends). */
export function cora(): Dataset {
  const lines = read('cora-citations.tsv').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split('\t');
  const rows: Row[] = lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const r: Row = {};
    header.forEach((h, k) => (r[h] = cells[k] ?? ''));
    return r;
  });
  const byId = new Map(rows.map((r, i) => [String(r.id), i]));
  const gold = read('cora-citations-gold.tsv')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [x, y] = l.split('\t');
      return [byId.get(x!.trim())!, byId.get(y!.trim())!] as [number, number];
    });
  // The columns are badly aligned in this file (authors spill into title/journal), so the
  // record is also compared as one text: every field but the id, in order.
  const textCols = header.filter((h) => h !== 'id');
  for (const r of rows) {
    r.all = textCols.map((h) => r[h]).filter(Boolean).join(' ');
    r.year = String(r.all).match(/\b(19|20)\d\d\b/)?.[0] ?? '';
  }
  return {
    name: 'cora',
    mode: 'dedupe',
    rowsA: rows,
    gold,
    config: {
      fields: [
        { name: 'all', normalise: 'loose', comparator: 'tfidf', levels: [0.8, 0.6, 0.4] },
        { name: 'all_qgram', column: 'all', normalise: 'loose', comparator: 'qgram', options: { q: 3 }, levels: [0.7, 0.5, 0.3] },
        { name: 'year', comparator: 'exact' },
      ],
      blocking: [
        { kind: 'tokens', column: 'all', tokens: 'wordPairs', maxBlockSize: 200 },
      ],
      em: { seed: 1 },
      // heavy duplication (clusters of up to 238 records) chains under single linkage
      linkage: 'evidence',
    },
  };
}

export const datasets = { febrl1, febrl4, restaurant, cora } as const;
export type DatasetName = keyof typeof datasets;

export interface EvalResult {
  dataset: string;
  mode: 'dedupe' | 'link';
  records: number;
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  pairsCompared: number;
  reductionRatio: number;
  /** Share of gold pairs among the compared pairs (blocking recall). */
  pairsCompleteness: number;
  clusters: number;
  largestCluster: number;
  emIterations: number;
  lambda: number;
  seconds: number;
}

/** Pairs implied by clusters, in the cluster index space (link: B rows as nA + j; only A–B pairs). */
export function predictedPairs(result: Pick<MatchResult, 'mode' | 'nA'>, clusters: number[][]): [number, number][] {
  const all = clusterPairsOf(clusters);
  if (result.mode === 'dedupe') return all;
  return all.filter(([i, j]) => i < result.nA && j >= result.nA);
}

/** Gold pairs in the cluster index space (link: (i, nA + j)), so A and B indices never collide. */
export function goldPairs(ds: Dataset): [number, number][] {
  return ds.mode === 'dedupe' ? ds.gold : ds.gold.map(([i, j]) => [i, ds.rowsA.length + j] as [number, number]);
}

export function evaluate(ds: Dataset, threshold?: number): { summary: EvalResult; result: MatchResult } {
  const t0 = performance.now();
  const result = ds.mode === 'link' ? link(ds.rowsA, ds.rowsB!, ds.config) : dedupe(ds.rowsA, ds.config);
  const seconds = (performance.now() - t0) / 1000;
  const clusters = threshold === undefined ? result.clusters : recluster(result, threshold).clusters;
  const s = pairwiseScores(predictedPairs(result, clusters), goldPairs(ds));
  const compared = new Set<string>();
  for (let p = 0; p < result.pairs.a.length; p++) compared.add(`${result.pairs.a[p]},${result.pairs.b[p]}`);
  const goldKey = ([i, j]: [number, number]) => (ds.mode === 'dedupe' && i > j ? `${j},${i}` : `${i},${j}`);
  const pc = ds.gold.filter((g) => compared.has(goldKey(g))).length / Math.max(1, ds.gold.length);
  return {
    result,
    summary: {
      dataset: ds.name,
      mode: ds.mode,
      records: ds.rowsA.length + (ds.rowsB?.length ?? 0),
      precision: round(s.precision),
      recall: round(s.recall),
      f1: round(s.f1),
      truePairs: s.actual,
      predictedPairs: s.predicted,
      pairsCompared: result.blocking.pairs,
      reductionRatio: round(result.blocking.reductionRatio, 6),
      pairsCompleteness: round(pc),
      clusters: clusters.length,
      largestCluster: Math.max(0, ...clusters.map((c) => c.length)),
      emIterations: result.model.iterations,
      lambda: round(result.model.lambda, 6),
      seconds: round(seconds, 3),
    },
  };
}

function round(x: number, d = 4): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function main(argv: string[]): void {
  const arg = (flag: string) => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const only = (arg('--only')?.split(',') ?? Object.keys(datasets)) as DatasetName[];
  const out: EvalResult[] = [];
  for (const name of only) {
    if (!(name in datasets)) throw new Error(`unknown dataset ${name}; one of ${Object.keys(datasets).join(', ')}`);
    const t0 = performance.now();
    const ds = datasets[name]();
    const load = (performance.now() - t0) / 1000;
    const { summary } = evaluate(ds);
    out.push(summary);
    console.error(
      `${name.padEnd(11)} P ${summary.precision.toFixed(4)}  R ${summary.recall.toFixed(4)}  F1 ${summary.f1.toFixed(4)}  ` +
        `pairs ${summary.pairsCompared} (RR ${summary.reductionRatio}, PC ${summary.pairsCompleteness})  ` +
        `${summary.seconds.toFixed(2)} s (+${load.toFixed(2)} s load)`,
    );
  }
  const json = JSON.stringify(out, null, 2);
  const file = arg('--out');
  if (file) writeFileSync(file, json + '\n');
  else console.log(json);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
