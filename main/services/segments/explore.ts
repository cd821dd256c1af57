/** Segment explorer, comparison, rule segments and value tiers (fast SQL + typed arrays). */
import { AppError } from '../../../shared/errors';
import { tierSegmentationName, type CompareResult, type ExploreResult, type RuleCount, type RuleNode, type SegmentationInfo } from '../../../shared/api/segments';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset, queriesWhereTheDataIs, rowsWhereTheDataIs } from '../datasets';
import { profiles } from '../../analysis/segments/compare';
import { welchTest } from '../../kernel/intervals';
import { valueTiers } from '../../analysis/segments/rfm';
import { roleColumn } from '../datasets/index';
import { getSegmentation, saveSegmentation } from './store';
import { segmentMembers } from './membership';
import { customerKeyed, identityCurrent, isIdentitySource, keyedThroughIdentity, prepareDuck } from '../identity/index';
import { duckAll, withDuck } from '../../db/duckdb';

const NUMERIC = new Set(['integer', 'decimal', 'percent']);

/**
 * Numeric features of the rows a segmentation profiles (its result dataset, else its source), with
 * each row's segment key, wherever the rows are. A row is a member's as an export finds it: the
 * text of its key column is a member (k-means on a raw list, value tiers), or the customer its ids,
 * phones and e-mails resolve to through the identity is one (a rule segment lists customers). On
 * the messy orders, a rule segment of all 400 customers profiled 2,361 of their 4,473 lines by key
 * text alone; a DuckDB source was not read at all, nor a dataset without numeric columns.
 */
async function featureTable(db: DB, seg: SegmentationInfo) {
  const dsId = seg.resultDataset ?? seg.sourceDataset;
  if (!dsId) throw new AppError('no_dataset', 'This segmentation has no dataset to profile.', '该分群没有可分析的数据集。');
  const info = getDataset(db, dsId);
  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  if (!key) throw new AppError('missing_role', 'The dataset has no customer id column.', '数据集没有客户ID列。');
  const feats = info.columns.filter((c) => NUMERIC.has(c.type) && c.name !== key).map((c) => c.name);
  const keyed = await keyedThroughIdentity(db)(info);
  // an RFM or k-means result names each row's own segment: k-means of order lines puts a customer's lines in
  // several clusters, and the customer's membership would give all of them one
  const own = seg.resultDataset && (seg.kind === 'rfm' || seg.kind === 'kmeans') ? roleColumn(info, 'label') : null;
  const rows = await rowsWhereTheDataIs(db, info, `SELECT ${keyed?.key ?? 'NULL'}, CAST(t.${qid(key)} AS TEXT), ${own ? `CAST(t.${qid(own)} AS TEXT)` : 'NULL'}${feats.map((f) => `, t.${qid(f)}`).join('')} FROM ${keyed?.from ?? `${qid(info.id)} t`} ORDER BY t._row`);
  const keys = new Set(seg.segments.map((g) => g.key));
  const mem = own ? null : await segmentMembers(db, seg.id);
  const labels: string[] = [];
  const kept: unknown[][] = [];
  for (const r of rows) {
    // else the key's own text first: value tiers and k-means on a raw list name raw keys
    const label = mem ? (mem.get(r[1] as string) ?? (r[0] !== null ? mem.get(r[0] as string) : undefined)) : keys.has(r[2] as string) ? (r[2] as string) : undefined;
    if (label === undefined) continue;
    labels.push(label);
    kept.push(r);
  }
  return {
    feats,
    labels,
    columns: feats.map((_, j) => Float64Array.from(kept, (r) => (typeof r[j + 3] === 'number' ? (r[j + 3] as number) : NaN))),
  };
}

export async function explore(db: DB, segmentationId: string): Promise<ExploreResult> {
  const seg = getSegmentation(db, segmentationId);
  const t = await featureTable(db, seg);
  const clean = t.columns.map((c) => c.map((v) => (Number.isFinite(v) ? v : 0)));
  const p = profiles(t.feats, clean, t.labels);
  const names = new Map(seg.segments.map((s) => [s.key, s.name]));
  return {
    segmentation: seg,
    features: t.feats,
    profiles: p.profiles.map((x) => ({ key: x.segment, name: names.get(x.segment) ?? x.segment, size: x.size, share: x.share, mean: x.mean, median: x.median })),
    zscores: p.zscores,
    overallMean: p.overallMean,
  };
}

export async function compare(db: DB, segmentationId: string, a: string, b: string): Promise<CompareResult> {
  const seg = getSegmentation(db, segmentationId);
  const t = await featureTable(db, seg);
  const ia = t.labels.map((l, i) => (l === a ? i : -1)).filter((i) => i >= 0);
  const ib = t.labels.map((l, i) => (l === b ? i : -1)).filter((i) => i >= 0);
  if (!ia.length || !ib.length) throw new AppError('segment_not_found', 'Both segments must have members.', '两个分群都必须有成员。');
  return {
    sizeA: ia.length,
    sizeB: ib.length,
    features: t.feats.map((f, j) => {
      const xa = ia.map((i) => t.columns[j]![i]!).filter(Number.isFinite);
      const xb = ib.map((i) => t.columns[j]![i]!).filter(Number.isFinite);
      const w = welchTest(xa, xb);
      return { feature: f, meanA: xa.reduce((s, v) => s + v, 0) / xa.length, meanB: xb.reduce((s, v) => s + v, 0) / xb.length, diff: w.diff, t: w.t, p: w.p, cohenD: w.cohenD };
    }),
  };
}

/** Compile a rule tree to a parameterized WHERE clause; columns are checked against the dataset. */
export function compileRule(db: DB, info: DatasetInfo, node: RuleNode, params: unknown[]): string {
  // the same rule on a DuckDB dataset: truth values and dates in its dialect, text compared as text
  const duck = info.engine === 'duckdb';
  if (node.kind === 'group') {
    if (node.children.length === 0) return duck ? 'TRUE' : '1';
    return '(' + node.children.map((c) => compileRule(db, info, c, params)).join(node.op === 'and' ? ' AND ' : ' OR ') + ')';
  }
  const col = info.columns.find((c) => c.name === node.column);
  if (!col) throw new AppError('unknown_column', `Unknown column "${node.column}".`, `未知列“${node.column}”。`);
  const c = qid(col.name);
  const v = node.value ?? null;
  switch (node.op) {
    case 'eq': params.push(v); return `${c} = ?`;
    case 'ne': params.push(v); return `(${c} IS NULL OR ${c} <> ?)`;
    case 'gt': params.push(v); return `${c} > ?`;
    case 'gte': params.push(v); return `${c} >= ?`;
    case 'lt': params.push(v); return `${c} < ?`;
    case 'lte': params.push(v); return `${c} <= ?`;
    case 'in': {
      const vals = node.values ?? [];
      if (!vals.length) return duck ? 'FALSE' : '0';
      params.push(...vals);
      return `${c} IN (${vals.map(() => '?').join(', ')})`;
    }
    case 'between': params.push(v, node.value2 ?? null); return `${c} BETWEEN ? AND ?`;
    case 'contains': params.push(String(v ?? '')); return `instr(lower(CAST(${c} AS TEXT)), lower(?)) > 0`;
    case 'before': params.push(v); return `${c} < ?`;
    case 'after': params.push(v); return `${c} > ?`;
    case 'lastDays': {
      // "Last N days" of the data: relative to the column's latest date, so old exports work offline.
      params.push(Number(v ?? 0));
      if (duck) return `CAST(substr(${c}, 1, 10) AS DATE) > CAST(substr((SELECT max(${c}) FROM ${qid(info.id)}), 1, 10) AS DATE) - CAST(? AS INTEGER)`;
      return `date(${c}) > date((SELECT max(${c}) FROM ${qid(info.id)}), '-' || ? || ' days')`;
    }
    case 'empty': return duck ? `(${c} IS NULL OR CAST(${c} AS VARCHAR) = '')` : `(${c} IS NULL OR ${c} = '')`;
    case 'notEmpty': return duck ? `(${c} IS NOT NULL AND CAST(${c} AS VARCHAR) <> '')` : `(${c} IS NOT NULL AND ${c} <> '')`;
  }
}

/**
 * How many rows' key values a rule selects (distinct member ids, else phones, else e-mails: what a saved
 * rule segment lists and an export matches), and, when the identity is up to date, how many customers
 * those rows are once the identity has joined a person's ids, phones and e-mails (the messy CRM list:
 * 432 member ids, 400 people). A live count never waits for an identity build: `customers` is then null.
 */
export async function ruleCount(db: DB, datasetId: string, rule: RuleNode): Promise<RuleCount> {
  const info = getDataset(db, datasetId);
  const params: unknown[] = [];
  const where = compileRule(db, info, rule, params);
  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  const countExpr = key ? `count(DISTINCT ${qid(key)})` : 'count(*)';
  const queries = [{ sql: `SELECT ${countExpr} FROM ${qid(info.id)} WHERE ${where}`, params }, { sql: `SELECT ${countExpr} FROM ${qid(info.id)}` }];
  const keyed = key && identityCurrent(db);
  const customerQueries = (k: { from: string; key: string }) => [
    { sql: `SELECT count(DISTINCT ${k.key}) FROM ${k.from} WHERE t._row IN (SELECT _row FROM ${qid(info.id)} WHERE ${where})`, params },
    { sql: `SELECT count(DISTINCT ${k.key}) FROM ${k.from}` },
  ];
  let got: number[][][];
  if (!keyed) got = (await queriesWhereTheDataIs(db, info, queries)) as number[][][];
  else if (info.engine === 'duckdb')
    got = await withDuck(db, async (c) => {
      await prepareDuck(db, c); // up to date: only checks, and copies the maps if this DuckDB file lacks them
      const out: number[][][] = [];
      for (const q of [...queries, ...customerQueries(customerKeyed(db, info, 't'))]) out.push((await duckAll(c, q.sql, q.params ?? [])) as number[][]);
      return out;
    });
  else got = [...queries, ...customerQueries(customerKeyed(db, info, 't'))].map((q) => db.prepare(q.sql).raw(true).all(...(q.params ?? [])) as number[][]);
  const [[[count]], [[total]], c, ct] = got as [[[number]], [[number]], [[number]]?, [[number]]?];
  return { count, total, key, customers: c?.[0]?.[0] ?? null, customersTotal: ct?.[0]?.[0] ?? null, sql: `WHERE ${where}` };
}

/**
 * SQL for the members a rule selects (in the dialect of the dataset's engine): the customers its rows
 * resolve to through the identity when `keyed` is given — a person registered under two member ids,
 * or known in these rows only by a phone, is one member, as the live count says — else the distinct
 * key values (member ids, else phones, else e-mails) of those rows.
 */
function ruleMembersSql(db: DB, info: DatasetInfo, rule: RuleNode, keyed: { from: string; key: string } | null): { sql: string; params: unknown[] } {
  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  if (!key) throw new AppError('missing_role', 'The dataset has no customer id, phone or email column to define members.', '数据集没有客户ID、手机号或邮箱列，无法确定分群成员。');
  const params: unknown[] = [];
  const where = compileRule(db, info, rule, params);
  if (keyed) return { sql: `SELECT DISTINCT ${keyed.key} FROM ${keyed.from} WHERE t._row IN (SELECT _row FROM ${qid(info.id)} WHERE ${where}) AND ${keyed.key} IS NOT NULL ORDER BY 1`, params };
  return { sql: `SELECT DISTINCT CAST(${qid(key)} AS TEXT) FROM ${qid(info.id)} WHERE ${where} AND ${qid(key)} IS NOT NULL ORDER BY 1`, params };
}

/** A rule segment of any dataset, wherever its rows are (the call the screens and CLI make); its members through the identity when it was built. */
export async function saveRuleWhereTheDataIs(db: DB, datasetId: string, name: string, rule: RuleNode): Promise<SegmentationInfo> {
  const info = getDataset(db, datasetId);
  const q = ruleMembersSql(db, info, rule, await keyedThroughIdentity(db)(info));
  const ids = (await rowsWhereTheDataIs(db, info, q.sql, q.params)).map((r) => r[0] as string);
  return saveRuleMembers(db, info, name, rule, ids);
}

/** A rule segment of a workspace dataset, synchronously (inside an analysis's transaction: lifecycle stages, an uplift plan); through the identity when it is current. */
export function saveRule(db: DB, datasetId: string, name: string, rule: RuleNode): SegmentationInfo {
  const info = getDataset(db, datasetId);
  const keyed = identityCurrent(db) && isIdentitySource(info) ? customerKeyed(db, info, 't') : null;
  const q = ruleMembersSql(db, info, rule, keyed);
  const ids = (db.prepare(q.sql).raw(true).all(...q.params) as [string][]).map((r) => r[0]);
  return saveRuleMembers(db, info, name, rule, ids);
}

function saveRuleMembers(db: DB, info: DatasetInfo, name: string, rule: RuleNode, ids: string[]): SegmentationInfo {
  return saveSegmentation(db, { name, kind: 'rule', sourceDataset: info.id, resultDataset: null, params: { rule }, asOf: new Date().toISOString().slice(0, 10), segments: [{ key: 'rule', name, nameEn: name, members: ids, definition: rule }] });
}

export async function saveTiers(db: DB, datasetId: string, measure: string, name?: string): Promise<SegmentationInfo> {
  const info = getDataset(db, datasetId);
  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  const col = info.columns.find((c) => c.name === measure);
  if (!key || !col || !NUMERIC.has(col.type)) throw new AppError('bad_measure', 'Tiers need a customer column and a numeric measure.', '价值分层需要客户列和数值度量列。');
  // a customer with several rows (order lines, a second registration) is ranked by the sum of theirs, through the
  // identity when it was built: tiers of customers, each in one tier. Ranking the rows put a customer with lines
  // of several sizes in several tiers, and the explorer could not tell which was theirs. One row per customer
  // (an RFM or CLV result) ranks as before, in row order for ties.
  const keyed = await keyedThroughIdentity(db)(info);
  const raw = `CAST(t.${qid(key)} AS TEXT)`;
  const k = keyed ? `coalesce(${keyed.key}, ${raw})` : raw;
  const rows = (await rowsWhereTheDataIs(db, info, `SELECT k, CAST(sum(v) AS DOUBLE) FROM (SELECT ${k} AS k, coalesce(t.${qid(measure)}, 0) AS v, t._row AS r FROM ${keyed?.from ?? `${qid(info.id)} t`}) x WHERE k IS NOT NULL GROUP BY k ORDER BY min(r)`)) as [string, number][];
  const tiers = valueTiers(rows.map((r) => r[1]));
  const pick = (t: string) => rows.filter((_, i) => tiers[i] === t).map((r) => r[0]);
  return saveSegmentation(db, {
    name: name ?? tierSegmentationName(measure, 'en'),
    kind: 'tier',
    sourceDataset: info.id,
    resultDataset: info.id,
    params: { measure },
    segments: [
      { key: 'top', name: '头部 20%', nameEn: 'Top 20%', members: pick('top') },
      { key: 'middle', name: '中部 30%', nameEn: 'Next 30%', members: pick('middle') },
      { key: 'rest', name: '其余 50%', nameEn: 'Rest 50%', members: pick('rest') },
    ],
  });
}
