/** Segmentation jobs (worker threads): RFM, k-means (fit or model selection), migration. */
import { AppError } from '../../../shared/errors';
import type { KMeansCurve, SegmentationInfo } from '../../../shared/api/segments';
import type { DomainJobs, JobContext } from '../../jobs/types';
import type { segmentsJobs } from '../../../shared/api/segments';
import { rfmSegments, RFM11, CN8, type RfmScheme } from '../../analysis/segments/rfm';
import { kmeansOnCores } from './kmeans-threads';
import { silhouette } from '../../analysis/segments/silhouette';
import { transformMatrix, type Transform } from '../../analysis/segments/transforms';
import { migration } from '../../analysis/segments/compare';
import { createDerivedDataset, getDataset } from '../datasets';
import { dayText, readFeatures, rfmTable, timeMs } from './source';
import { roleColumn } from '../datasets/index';
import { customerNames } from '../identity/index';
import { rfmColumns, rfmInDuck, type RfmWritten } from './rfm-duck';
import { eventSql } from '../identity/events';
import type { DefinitionsUsed } from '../definitions/index';
import { saveSegmentation } from './store';
import { duckAll, withDuck } from '../../db/duckdb';

const endOfDay = (d: string) => timeMs(d) + 86_399_999;

export interface RfmArgs {
  datasetId: string;
  name?: string;
  asOf?: string;
  scheme: RfmScheme;
  threshold: 'mean' | 'median';
  excludeCancellations: boolean;
  recencyFrom: 'asOf' | 'dayAfterLast';
}

export async function rfmJob(job: JobContext, a: RfmArgs): Promise<{ segmentation: SegmentationInfo; datasetId: string; customers: number; rowsUsed: number; rowsExcluded: number; definitions: DefinitionsUsed; summarySeconds: number }> {
  job.progress(0, 3, 'read');
  const source = getDataset(job.db, a.datasetId);
  const named = (asOf: string) => a.name ?? `RFM ${source.name} ${asOf}`;
  // a DuckDB dataset's RFM is computed and kept in DuckDB (./rfm-duck.ts); the same answers, cell by cell
  const w = source.engine === 'duckdb' ? await rfmInDuck(job, source, a, named, { analysis: 'rfm', ...a }) : await rfmInWorkspace(job, a, named);
  const schemeNames = a.scheme === 'cn8' ? CN8 : RFM11;
  // the result has one row per customer with its segment's key: the members are read from there
  const segmentation = saveSegmentation(job.db, {
    name: w.ds.name,
    kind: 'rfm',
    sourceDataset: source.id,
    resultDataset: w.ds.id,
    params: { ...a },
    summary: { customers: w.customers, rowsUsed: w.rowsUsed, rowsExcluded: w.rowsExcluded, definitions: w.definitions },
    asOf: w.asOf,
    membersIn: { customer: 'customer_id', segment: 'segment' },
    segments: Object.values(schemeNames)
      .filter((n) => w.sizes.has(n.key))
      .map((n) => ({ key: n.key, name: n.zh, nameEn: n.en, size: w.sizes.get(n.key)! })),
  });
  job.progress(3, 3, 'done');
  return { segmentation, datasetId: w.ds.id, customers: w.customers, rowsUsed: w.rowsUsed, rowsExcluded: w.rowsExcluded, definitions: w.definitions, summarySeconds: w.summarySeconds };
}

/** RFM with the summary read into JavaScript, scored there and written to the workspace. */
async function rfmInWorkspace(job: JobContext, a: RfmArgs, named: (asOf: string) => string): Promise<RfmWritten> {
  const t0 = performance.now();
  // per-customer summaries in SQL, through the identity layer, valid orders only
  const { table: t, info, definitions } = await rfmTable(job.db, a.datasetId, { asOf: a.asOf, excludeCancellations: a.excludeCancellations, recencyFrom: a.recencyFrom }, job);
  const summarySeconds = +((performance.now() - t0) / 1000).toFixed(2);
  job.progress(1, 3, 'compute');
  if (t.customers.length === 0) throw new AppError('no_customers', 'No transactions left after the filters: nothing to score.', '过滤后没有交易记录，无法计算 RFM。');
  const s = rfmSegments(t, a.scheme, a.threshold);
  job.progress(2, 3, 'save');
  const asOf = dayText(t.asOf);
  const mix = await channelMix(job, info.id, t.customers);
  const names = customerNames(job.db);
  const ds = createDerivedDataset(job.db, {
    name: named(asOf),
    parentId: info.id,
    columns: rfmColumns(mix.columns),
    rows: (function* () {
      for (let i = 0; i < t.customers.length; i++) {
        const c = t.customers[i]!;
        const nm = names.get(c);
        yield [c, nm?.memberId ?? null, nm?.phone ?? null, t.recency[i], t.frequency[i], t.monetary[i], dayText(t.first[i]!), dayText(t.last[i]!), Math.floor(t.asOf / 86_400_000) - Math.floor(t.first[i]! / 86_400_000), s.r[i], s.f[i], s.m[i], s.segments[i]!.key, ...(mix.shares.get(c) ?? mix.columns.map(() => 0))];
      }
    })(),
    settings: { analysis: 'rfm', ...a, definitions },
  });
  const sizes = new Map<string, number>();
  for (const seg of s.segments) sizes.set(seg.key, (sizes.get(seg.key) ?? 0) + 1);
  return { ds, customers: t.customers.length, rowsUsed: t.rowsUsed, rowsExcluded: t.rowsExcluded, asOf, definitions, summarySeconds, sizes };
}

/**
 * Channel mix per customer (share of their transactions in each of the 8 most used channels),
 * when the dataset has a channel role — a ready k-means feature ("how does this customer buy").
 */
async function channelMix(job: JobContext, datasetId: string, customers: string[]): Promise<{ columns: string[]; shares: Map<string, number[]> }> {
  const info = getDataset(job.db, datasetId);
  const chName = roleColumn(info, 'channel');
  if (!chName) return { columns: [], shares: new Map() };
  const e = eventSql(job.db, info);
  const ch = e.col(chName);
  const valid = `${e.status} = 'valid'`;
  // run where the rows are (rfmTable has brought a DuckDB dataset's maps up to date)
  const all = (sql: string): Promise<unknown[][]> => (info.engine === 'duckdb' ? withDuck(job.db, (c) => duckAll(c, sql)) : Promise.resolve(job.db.prepare(sql).raw(true).all() as unknown[][]));
  const top = ((await all(`SELECT CAST(${ch} AS TEXT) AS c, count(*) AS n FROM ${e.from} WHERE ${ch} IS NOT NULL AND ${valid} GROUP BY 1 ORDER BY n DESC, c LIMIT 8`)) as [string][]).map((r) => r[0]);
  const rows = (await all(`SELECT ${e.key}, CAST(${ch} AS TEXT), count(*) FROM ${e.from} WHERE ${valid} GROUP BY 1, 2`)) as [string, string, number][];
  const totals = new Map<string, number>();
  const counts = new Map<string, number[]>();
  for (const [c, k, n] of rows) {
    totals.set(c, (totals.get(c) ?? 0) + n);
    const j = top.indexOf(k);
    if (j < 0) continue;
    const arr = counts.get(c) ?? top.map(() => 0);
    arr[j]! += n;
    counts.set(c, arr);
  }
  const shares = new Map<string, number[]>();
  for (const c of customers) {
    const arr = counts.get(c);
    const tot = totals.get(c) ?? 0;
    shares.set(c, arr && tot ? arr.map((n) => Math.round((n / tot) * 1000) / 1000) : top.map(() => 0));
  }
  return { columns: top.map((k) => `channel_share_${k}`), shares };
}

export interface KMeansArgs {
  datasetId: string;
  features: string[];
  transforms: Transform[];
  k?: number;
  kRange?: [number, number];
  nInit: number;
  maxIter: number;
  tol: number;
  seed: number;
  name?: string;
}

export async function kmeansJob(job: JobContext, a: KMeansArgs): Promise<KMeansCurve | { segmentation: SegmentationInfo; datasetId: string; inertia: number; silhouette: number | null; sizes: number[]; dropped: number }> {
  const f = await readFeatures(job.db, a.datasetId, a.features);
  if (f.n < 3) throw new AppError('too_few_rows', 'Too few complete rows to cluster.', '完整数据行太少，无法聚类。');
  const X = transformMatrix(f.matrix, f.n, f.d, a.transforms.filter((t) => t !== 'none')).data;
  const cancel = job.cancelled;
  // Silhouette is exact up to 5,000 rows, then estimated on a seeded sample of 5,000.
  const sil = (labels: Int32Array) => silhouette(X, f.n, f.d, labels, { sampleSize: 5000, seed: a.seed, shouldCancel: cancel });
  if (a.kRange) {
    const [lo, hi] = a.kRange;
    const curve: KMeansCurve['curve'] = [];
    for (let k = lo; k <= Math.min(hi, f.n - 1); k++) {
      job.progress(k - lo, hi - lo + 1, `k=${k}`);
      const r = await kmeansOnCores(X, f.n, f.d, { k, nInit: a.nInit, maxIter: a.maxIter, tol: a.tol, seed: a.seed, shouldCancel: cancel });
      curve.push({ k, inertia: r.inertia, silhouette: sil(r.labels) });
    }
    return { curve, n: f.n };
  }
  const k = a.k!;
  const r = await kmeansOnCores(X, f.n, f.d, { k, nInit: a.nInit, maxIter: a.maxIter, tol: a.tol, seed: a.seed, shouldCancel: cancel, onProgress: (d, t) => job.progress(d, t + 2, 'fit') });
  const s = f.n <= 200_000 ? sil(r.labels) : null;
  job.checkCancel();
  const name = a.name ?? `k-means k=${k} (${a.features.join(', ')})`;
  const names = customerNames(job.db);
  const ds = createDerivedDataset(job.db, {
    name,
    parentId: f.info.id,
    columns: [{ name: 'customer_id', type: 'id', role: 'customer_id' }, { name: 'member_id', type: 'id', role: null }, { name: 'phone', type: 'phone', role: null }, ...a.features.map((x) => ({ name: x, type: 'decimal' as const, role: null })), { name: 'cluster', type: 'category', role: 'label' }],
    rows: f.keys.map((key, i) => [key, names.get(key)?.memberId ?? null, names.get(key)?.phone ?? null, ...a.features.map((_, j) => f.matrix[i * f.d + j]), `cluster_${r.labels[i]! + 1}`]),
    settings: { analysis: 'kmeans', ...a },
  });
  const segmentation = saveSegmentation(job.db, {
    name,
    kind: 'kmeans',
    sourceDataset: f.info.id,
    resultDataset: ds.id,
    params: { ...a },
    summary: { inertia: r.inertia, silhouette: s, iterations: r.iterations, converged: r.converged, n: f.n, dropped: f.dropped, centroids: Array.from(r.centroids) },
    segments: r.sizes.map((_, c) => ({ key: `cluster_${c + 1}`, name: `簇 ${c + 1}`, nameEn: `Cluster ${c + 1}`, members: f.keys.filter((_, i) => r.labels[i] === c) })),
  });
  return { segmentation, datasetId: ds.id, inertia: r.inertia, silhouette: s, sizes: r.sizes, dropped: f.dropped };
}

export async function migrationJob(job: JobContext, a: { datasetId: string; from: string; to: string; scheme: RfmScheme }): Promise<{ links: { from: string; to: string; count: number }[]; from: string; to: string; names: Record<string, { zh: string; en: string }> }> {
  const at = async (d: string) => {
    const { table: t } = await rfmTable(job.db, a.datasetId, { asOf: d }, job);
    const s = rfmSegments(t, a.scheme);
    return new Map(t.customers.map((c, i) => [c, s.segments[i]!.key]));
  };
  job.progress(0, 2, a.from);
  const A = await at(a.from);
  job.progress(1, 2, a.to);
  const B = await at(a.to);
  const names = Object.fromEntries(Object.values(a.scheme === 'cn8' ? CN8 : RFM11).map((n) => [n.key, { zh: n.zh, en: n.en }]));
  return { links: migration(A, B), from: a.from, to: a.to, names };
}

/** The segments domain's job kinds (joined in main/jobs/kinds.ts). */
export const segmentsJobKinds: DomainJobs<typeof segmentsJobs> = { 'segments/rfm': rfmJob, 'segments/kmeans': kmeansJob, 'segments/migration': migrationJob };
