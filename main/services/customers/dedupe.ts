/**
 * Record dedupe inside one dataset, as a reviewable run:
 * - the job scores candidate pairs with the engine (main/analysis/dedupe) and stores the run,
 *   its pairs (probability, weight, level per field) and the clusters at the threshold;
 * - recluster previews another threshold from the stored pairs (no re-scoring);
 * - review decisions become pair constraints: accept = must link (edges at score 1), reject =
 *   cannot link (the cluster's pairs at −1), split = the chosen rows cannot link to the rest;
 * - clusters at a threshold = the engine's dendrogram over the pairs with those constraints.
 * Merges and golden records are in merge.ts.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { ClusterStats, ClusterStatus, DedupeRun, MatchConfigInput, ReviewCluster, ReviewPage } from '../../../shared/api/customers';
import type { JobContext } from '../../jobs/types';
import { qid, type DB } from '../../db/open';
import { getDataset, recordsWhereTheDataIs } from '../datasets';
import type { DatasetInfo } from '../../../shared/types';
import { audit } from '../audit/index';
import { buildDendrogram, dedupe, normalizeText, recluster, type Dendrogram } from '../../analysis/dedupe/index';
import { checkConfig, defaultConfig, suspectFields, toEngine } from './config';

export const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

interface RunRow {
  id: string;
  dataset_id: string;
  created_at: string;
  config: string;
  summary: string;
  threshold: number;
  linkage: string;
  row_ids: string;
}

export function getRunRow(db: DB, runId: string): RunRow {
  const r = db.prepare('SELECT * FROM customers_dedupe_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!r) throw new AppError('run_not_found', `No dedupe run ${runId}.`, `找不到查重运行 ${runId}。`);
  return r;
}

function histogram(probability: ArrayLike<number>): number[] {
  const h = new Array<number>(20).fill(0);
  for (let p = 0; p < probability.length; p++) h[Math.min(19, Math.max(0, Math.floor(probability[p]! * 20)))]!++;
  return h;
}

export async function dedupeJob(job: JobContext, a: { datasetId: string; config?: MatchConfigInput; threshold: number }): Promise<DedupeRun> {
  const info = getDataset(job.db, a.datasetId);
  const auto = a.config ? null : defaultConfig(info);
  const config = a.config ?? auto!.config;
  checkConfig(config, info);
  job.progress(0, 4, 'read');
  const rows = await recordsWhereTheDataIs(job.db, info);
  if (rows.length < 2) throw new AppError('no_rows', 'Dedupe needs at least two rows.', '查重至少需要两行数据。');
  const rowIds = rows.map((r) => Number(r._row));
  const stage = { block: 1, compare: 1, fit: 2, cluster: 3 } as const;
  let res;
  try {
    res = dedupe(rows, toEngine(config, a.threshold), {
      onProgress: (s, d, t) => job.progress(stage[s] + (t > 0 ? d / t : 0) * 0.99, 4, s),
      shouldCancel: job.cancelled,
    });
  } catch (e) {
    job.checkCancel();
    throw e;
  }
  job.progress(3, 4, 'save');
  const runId = newId('dd');
  const used = new Set(config.fields.map((f) => f.column ?? f.name));
  const summary: Omit<DedupeRun, 'threshold' | 'stats'> = {
    runId,
    datasetId: info.id,
    datasetName: info.name,
    createdAt: new Date().toISOString(),
    rows: rows.length,
    pairsCompared: res.blocking.pairs,
    possiblePairs: res.blocking.possible,
    reductionRatio: res.blocking.reductionRatio,
    linkage: res.linkage,
    fields: config.fields.map((f, k) => ({
      name: f.name,
      column: f.column ?? f.name,
      comparator: Array.isArray(f.comparator) ? f.comparator.join('+') : f.comparator,
      levels: f.levels ?? [],
      weights: res.model.weights[k]!,
      m: res.model.m[k]!,
      u: res.model.u[k]!,
    })),
    ignoredColumns: auto ? auto.ignored : info.columns.map((c) => c.name).filter((c) => !used.has(c)),
    blocking: res.blocking.passes.map((p) => ({ name: p.name, pairs: p.pairs, newPairs: p.newPairs })),
    lambda: res.model.lambda,
    converged: res.model.converged,
    suspectFields: suspectFields(res.model),
    seconds: +Object.values(res.seconds).reduce((s, v) => s + v, 0).toFixed(3),
    scoreHistogram: histogram(res.pairs.probability),
    config,
  };
  job.db
    .prepare('INSERT INTO customers_dedupe_runs (id, dataset_id, created_at, config, summary, threshold, linkage, row_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(runId, info.id, summary.createdAt, JSON.stringify(config), JSON.stringify(summary), a.threshold, res.linkage, JSON.stringify(rowIds));
  const ins = job.db.prepare('INSERT INTO customers_dedupe_pairs (run_id, a, b, probability, weight, levels) VALUES (?, ?, ?, ?, ?, ?)');
  const nf = config.fields.length;
  const { a: pa, b: pb, probability, weight, levels } = res.pairs;
  for (let p = 0; p < pa.length; p++) {
    if ((p & 0x3fff) === 0) job.checkCancel();
    const x = rowIds[pa[p]!]!;
    const y = rowIds[pb[p]!]!;
    ins.run(runId, Math.min(x, y), Math.max(x, y), probability[p]!, weight[p]!, Array.from(levels.subarray(p * nf, p * nf + nf)).join(','));
  }
  const state = loadState(job.db, runId);
  storeClusters(job.db, runId, state, a.threshold);
  audit(job.db, 'customers.dedupe', { objectType: 'dataset', objectId: info.id, rows: rows.length, details: { runId, pairs: res.blocking.pairs, clusters: res.clusters.length, threshold: a.threshold } });
  return { ...summary, threshold: a.threshold, stats: statsAt(state, a.threshold) };
}

// ---- clusters from stored pairs and decisions ------------------------------------------------

interface Decision {
  id: number;
  action: 'accept' | 'reject' | 'split';
  members: number[];
  rows: number[] | null;
}

interface RunState {
  runId: string;
  version: string;
  rowIds: number[];
  index: Map<number, number>;
  linkage: string;
  baseThreshold: number;
  edges: { a: Int32Array; b: Int32Array; score: Float64Array };
  /** Stored pairs only (for counting pairs at a threshold), scores after decisions. */
  pairScores: Float64Array;
  dendrogram: Dendrogram;
  decisions: Decision[];
}

const cache = new Map<string, RunState>();

function decisionsOf(db: DB, runId: string): Decision[] {
  return (db.prepare('SELECT id, action, members, rows FROM customers_dedupe_decisions WHERE run_id = ? ORDER BY id').all(runId) as { id: number; action: Decision['action']; members: string; rows: string | null }[]).map((d) => ({
    id: d.id,
    action: d.action,
    members: JSON.parse(d.members),
    rows: d.rows ? JSON.parse(d.rows) : null,
  }));
}

function loadState(db: DB, runId: string): RunState {
  const run = getRunRow(db, runId);
  const decisions = decisionsOf(db, runId);
  const version = `${run.threshold}:${decisions.length ? decisions[decisions.length - 1]!.id : 0}:${decisions.length}`;
  const hit = cache.get(runId);
  if (hit && hit.version === version) return hit;
  const rowIds = JSON.parse(run.row_ids) as number[];
  const index = new Map(rowIds.map((r, i) => [r, i]));
  const pairs = db.prepare('SELECT a, b, probability FROM customers_dedupe_pairs WHERE run_id = ?').raw(true).all(runId) as [number, number, number][];
  const key = (x: number, y: number) => (x < y ? x * 4294967296 + y : y * 4294967296 + x);
  const at = new Map<number, number>();
  pairs.forEach(([x, y], p) => at.set(key(x, y), p));
  const score = Float64Array.from(pairs, (p) => p[2]);
  const extra: [number, number][] = [];
  for (const d of decisions) {
    const inM = new Set(d.members);
    const cut = new Set(d.rows ?? []);
    for (let p = 0; p < pairs.length; p++) {
      const [x, y] = pairs[p]!;
      if (!inM.has(x) || !inM.has(y)) continue;
      if (d.action === 'accept') score[p] = 1;
      else if (d.action === 'reject') score[p] = -1;
      else if (cut.has(x) !== cut.has(y)) score[p] = -1;
    }
    if (d.action === 'accept') for (const m of d.members.slice(1)) if (!at.has(key(d.members[0]!, m))) extra.push([d.members[0]!, m]);
  }
  const n = pairs.length + extra.length;
  const edges = { a: new Int32Array(n), b: new Int32Array(n), score: new Float64Array(n) };
  pairs.forEach(([x, y], p) => {
    edges.a[p] = index.get(x)!;
    edges.b[p] = index.get(y)!;
    edges.score[p] = score[p]!;
  });
  extra.forEach(([x, y], k) => {
    edges.a[pairs.length + k] = index.get(x)!;
    edges.b[pairs.length + k] = index.get(y)!;
    edges.score[pairs.length + k] = 1;
  });
  const linkage = run.linkage;
  const dendrogram =
    linkage === 'evidence'
      ? buildDendrogram(rowIds.length, edges.a, edges.b, edges.score, { linkage: 'average', missingScore: run.threshold, floor: run.threshold })
      : buildDendrogram(rowIds.length, edges.a, edges.b, edges.score, { linkage: linkage as 'single' | 'average' });
  const state: RunState = { runId, version, rowIds, index, linkage, baseThreshold: run.threshold, edges, pairScores: score, dendrogram, decisions };
  cache.set(runId, state);
  if (cache.size > 4) cache.delete(cache.keys().next().value!);
  return state;
}

/** Clusters (≥ 2 rows) at a threshold, as sorted source rows, ordered by smallest row. */
function clustersAt(state: RunState, threshold: number): number[][] {
  const { clusters } = recluster({ dendrogram: state.dendrogram, linkage: state.linkage as 'single', edges: state.edges, threshold: state.baseThreshold }, threshold);
  return clusters.map((c) => c.map((i) => state.rowIds[i]!).sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

function statsOf(state: RunState, clusters: number[][], threshold: number): ClusterStats {
  let pairs = 0;
  for (const s of state.pairScores) if (s >= threshold) pairs++;
  const sizes = new Map<number, number>();
  let rowsIn = 0;
  for (const c of clusters) {
    sizes.set(c.length, (sizes.get(c.length) ?? 0) + 1);
    rowsIn += c.length;
  }
  return { threshold, clusters: clusters.length, rowsInClusters: rowsIn, pairs, sizes: [...sizes].sort((x, y) => x[0] - y[0]).map(([size, n]) => ({ size, clusters: n })) };
}

function statsAt(state: RunState, threshold: number): ClusterStats {
  return statsOf(state, clustersAt(state, threshold), threshold);
}

function storeClusters(db: DB, runId: string, state: RunState, threshold: number): number[][] {
  const clusters = clustersAt(state, threshold);
  db.prepare('DELETE FROM customers_dedupe_clusters WHERE run_id = ?').run(runId);
  const ins = db.prepare('INSERT INTO customers_dedupe_clusters (run_id, cluster_id, source_row) VALUES (?, ?, ?)');
  for (const c of clusters) for (const r of c) ins.run(runId, c[0]!, r);
  return clusters;
}

export function reclusterRun(db: DB, runId: string, threshold: number): ClusterStats {
  return statsAt(loadState(db, runId), threshold);
}

/** The stored clusters of a run at its review threshold (computed when missing). */
export function storedClusters(db: DB, runId: string): number[][] {
  const rows = db.prepare('SELECT cluster_id, source_row FROM customers_dedupe_clusters WHERE run_id = ? ORDER BY cluster_id, source_row').raw(true).all(runId) as [number, number][];
  const m = new Map<number, number[]>();
  for (const [c, r] of rows) (m.get(c) ?? m.set(c, []).get(c)!).push(r);
  return [...m.values()];
}

/** Rows of active merges of a dataset: row → merge members. */
export function mergedRows(db: DB, datasetId: string, runId?: string): Map<number, { mergeId: string; members: number[] }> {
  const rows = db
    .prepare(`SELECT g.merge_id, g.members FROM customers_merge_groups g JOIN customers_merges m ON m.id = g.merge_id WHERE m.dataset_id = ? AND m.undone_at IS NULL ${runId ? 'AND m.run_id = ?' : ''}`)
    .all(...(runId ? [datasetId, runId] : [datasetId])) as { merge_id: string; members: string }[];
  const out = new Map<number, { mergeId: string; members: number[] }>();
  for (const g of rows) {
    const members = JSON.parse(g.members) as number[];
    for (const r of members) out.set(r, { mergeId: g.merge_id, members });
  }
  return out;
}

export function clusterStatus(c: number[], decisions: Decision[], merged: Map<number, { members: number[] }>): ClusterStatus {
  const same = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  const m = merged.get(c[0]!);
  if (m && same([...m.members].sort((x, y) => x - y), c)) return 'merged';
  let status: ClusterStatus = 'pending';
  for (const d of decisions) {
    const members = [...d.members].sort((x, y) => x - y);
    if (d.action === 'accept' && same(members, c)) status = 'accepted';
    else if (d.action !== 'accept' && members.some((r) => c.includes(r))) status = 'pending';
  }
  return status;
}

export function clustersWithStatus(db: DB, runId: string): { clusters: number[][]; status: ClusterStatus[] } {
  const run = getRunRow(db, runId);
  const state = loadState(db, runId);
  let clusters = storedClusters(db, runId);
  if (!clusters.length) clusters = clustersAt(state, run.threshold);
  const merged = mergedRows(db, run.dataset_id);
  return { clusters, status: clusters.map((c) => clusterStatus(c, state.decisions, merged)) };
}

async function rowsOf(db: DB, info: DatasetInfo, rows: number[]): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>();
  for (let k = 0; k < rows.length; k += 500) {
    const chunk = rows.slice(k, k + 500);
    for (const r of await recordsWhereTheDataIs(db, info, `_row IN (${chunk.map(() => '?').join(',')})`, chunk)) out.set(Number(r._row), r);
  }
  return out;
}

export async function reviewClusters(db: DB, a: { runId: string; threshold?: number; offset: number; limit: number; status: 'all' | ClusterStatus }): Promise<ReviewPage> {
  const run = getRunRow(db, a.runId);
  const info = getDataset(db, run.dataset_id);
  if (a.threshold !== undefined && a.threshold !== run.threshold) {
    db.transaction(() => {
      db.prepare('UPDATE customers_dedupe_runs SET threshold = ? WHERE id = ?').run(a.threshold, a.runId);
      storeClusters(db, a.runId, loadState(db, a.runId), a.threshold!);
    })();
  } else if (!storedClusters(db, a.runId).length) storeClusters(db, a.runId, loadState(db, a.runId), run.threshold);
  const threshold = a.threshold ?? run.threshold;
  const state = loadState(db, a.runId);
  const { clusters, status } = clustersWithStatus(db, a.runId);
  const chosen = clusters.map((c, k) => ({ c, s: status[k]! })).filter((x) => a.status === 'all' || x.s === a.status);
  const page = chosen.slice(a.offset, a.offset + a.limit);
  const columns = info.columns.map((c) => c.name);
  const values = await rowsOf(db, info, page.flatMap((x) => x.c));
  const pairStmt = db.prepare('SELECT a, b, probability, levels FROM customers_dedupe_pairs WHERE run_id = ? AND a = ? AND b = ?');
  const out: ReviewCluster[] = page.map(({ c, s }) => {
    const pairs: ReviewCluster['pairs'] = [];
    if (c.length <= 40)
      for (let i = 0; i < c.length; i++)
        for (let j = i + 1; j < c.length; j++) {
          const p = pairStmt.get(a.runId, c[i], c[j]) as { a: number; b: number; probability: number; levels: string } | undefined;
          if (p) pairs.push({ a: p.a, b: p.b, probability: p.probability, levels: p.levels.split(',').map(Number) });
        }
    const rows = c.map((r) => {
      const v = { ...(values.get(r) ?? {}) };
      delete v._row;
      return { row: r, values: v };
    });
    const differing = columns.filter((col) => new Set(rows.map((r) => normalizeText(r.values[col]))).size > 1);
    const scores = pairs.map((p) => p.probability);
    return { clusterId: c[0]!, status: s, size: c.length, minScore: scores.length ? Math.min(...scores) : 0, maxScore: scores.length ? Math.max(...scores) : 0, rows, differing, pairs };
  });
  return { runId: a.runId, threshold, total: chosen.length, columns, fields: (JSON.parse(run.config) as MatchConfigInput).fields.map((f) => f.column ?? f.name), clusters: out, stats: statsOf(state, clusters, threshold) };
}

export function decide(db: DB, a: { runId: string; clusterId: number; action: 'accept' | 'reject' | 'split'; rows?: number[] }) {
  const run = getRunRow(db, a.runId);
  if (!storedClusters(db, a.runId).length) storeClusters(db, a.runId, loadState(db, a.runId), run.threshold);
  const members = (db.prepare('SELECT source_row FROM customers_dedupe_clusters WHERE run_id = ? AND cluster_id = ? ORDER BY source_row').raw(true).all(a.runId, a.clusterId) as [number][]).map((r) => r[0]);
  if (!members.length) throw new AppError('cluster_not_found', `No cluster ${a.clusterId} at the review threshold of run ${a.runId}.`, `在运行 ${a.runId} 的当前阈值下找不到簇 ${a.clusterId}。`);
  const merged = mergedRows(db, run.dataset_id);
  if (members.some((r) => merged.has(r)))
    throw new AppError('already_merged', `Cluster ${a.clusterId} contains merged rows; undo that merge first.`, `簇 ${a.clusterId} 含已合并的行，请先撤销该合并。`);
  let rows: number[] | null = null;
  if (a.action === 'split') {
    rows = [...new Set(a.rows ?? [])];
    if (!rows.length || rows.length >= members.length || rows.some((r) => !members.includes(r)))
      throw new AppError('bad_split', 'Choose some (not all) rows of the cluster to split off.', '请选择簇中的部分（而非全部）行进行拆分。');
  }
  db.transaction(() => {
    db.prepare('INSERT INTO customers_dedupe_decisions (run_id, action, members, rows, at) VALUES (?, ?, ?, ?, ?)').run(a.runId, a.action, JSON.stringify(members), rows ? JSON.stringify(rows) : null, new Date().toISOString());
    storeClusters(db, a.runId, loadState(db, a.runId), run.threshold);
  })();
  return { runId: a.runId, clusterId: a.clusterId, action: a.action, stats: statsAt(loadState(db, a.runId), run.threshold) };
}

export function runInfo(db: DB, runId: string): DedupeRun {
  const run = getRunRow(db, runId);
  const s = JSON.parse(run.summary) as DedupeRun;
  return { ...s, threshold: run.threshold, stats: statsOf(loadState(db, runId), clustersWithStatus(db, runId).clusters, run.threshold) };
}

export function listRuns(db: DB, datasetId?: string): { runs: DedupeRun[] } {
  const ids = db.prepare(`SELECT id FROM customers_dedupe_runs ${datasetId ? 'WHERE dataset_id = ?' : ''} ORDER BY created_at DESC`).raw(true).all(...(datasetId ? [datasetId] : [])) as [string][];
  return { runs: ids.map(([id]) => runInfo(db, id)) };
}

/** Cluster id of every row at the run's review threshold (for the CLI --out). */
export function rowClusters(db: DB, runId: string): { row: number; cluster: number; score: number }[] {
  return db
    .prepare(
      `SELECT c.source_row AS row, c.cluster_id AS cluster,
              (SELECT max(p.probability) FROM customers_dedupe_pairs p JOIN customers_dedupe_clusters d ON d.run_id = c.run_id AND d.cluster_id = c.cluster_id
                 WHERE p.run_id = c.run_id AND ((p.a = c.source_row AND p.b = d.source_row) OR (p.b = c.source_row AND p.a = d.source_row))) AS score
       FROM customers_dedupe_clusters c WHERE c.run_id = ? ORDER BY c.cluster_id, c.source_row`,
    )
    .all(runId) as { row: number; cluster: number; score: number }[];
}
