/**
 * Definitions (口径): what the analyses count. Per dataset, the status column in force and
 * the class of each of its distinct values (inferred by main/analysis/semantics/status, then
 * overridden by the analyst); workspace-wide, the attribution window and the as-of date.
 * Saved in the workspace (migration 7), audited on change; each change bumps a revision that
 * results record, so results computed under older definitions show as needing a recompute.
 *
 * Which datasets have which kind of status:
 * - orders = datasets with an amount or order id column; their status column is the one with
 *   role order_status, else (older imports) a sms_status-role or 状态/status-named column;
 *   without one every order is valid.
 * - SMS sends = other datasets with a sms_status column; sends without a status column are
 *   all taken as delivered (nothing says otherwise), and the definitions say so.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetInfo } from '../../../shared/types';
import type { DefinitionsUsedInfo } from '../../../shared/api/definitions';
import { qid, sqlText, type DB } from '../../db/open';
import { duckAll, type DuckConnection } from '../../db/duckdb';
import { audit } from '../audit/index';
import { getDataset, listDatasets } from '../datasets';
import { cellsSignature } from '../datasets/column-facts';
import {
  inferOrderStatus,
  inferSmsStatus,
  ORDER_STATUS_CLASSES,
  SMS_STATUS_CLASSES,
  type OrderStatusClass,
  type SmsStatusClass,
} from '../../analysis/semantics/status';

export type StatusKind = 'order' | 'sms';
export type StatusClass = OrderStatusClass | SmsStatusClass;

/** Distinct values read per status column (status columns have a handful; the rest fall to the default class). */
const MAX_VALUES = 1000;
export const DEFAULT_WINDOW_DAYS = 7;
const DEFAULT_CLASS: Record<StatusKind, StatusClass> = { order: 'valid', sms: 'unknown' };
/** The class every row gets when the dataset has no status column. */
const NO_COLUMN_CLASS: Record<StatusKind, StatusClass> = { order: 'valid', sms: 'delivered' };

export interface StatusValue {
  /** The raw value as stored ('' for blank). */
  raw: string;
  rows: number;
  inferred: StatusClass;
  cls: StatusClass;
  overridden: boolean;
}

export interface StatusDefinition {
  datasetId: string;
  datasetName: string;
  kind: StatusKind;
  /** The status column in force, or null (every row gets `noColumnClass`). */
  column: string | null;
  columnChosen: boolean;
  noColumnClass: StatusClass;
  values: StatusValue[];
}

export interface Definitions {
  revision: number;
  windowDays: number;
  /** ISO date, or null = the latest event date in the data. */
  asOf: string | null;
  statuses: StatusDefinition[];
}

export const isOrderDataset = (info: DatasetInfo) => info.columns.some((c) => c.role === 'amount' || c.role === 'order_id');
export const isSmsDataset = (info: DatasetInfo) => !isOrderDataset(info) && info.columns.some((c) => c.role === 'sms_status');

export function statusKindOf(info: DatasetInfo): StatusKind | null {
  return isOrderDataset(info) ? 'order' : isSmsDataset(info) ? 'sms' : null;
}

function meta(db: DB, key: string): string | null {
  return (db.prepare('SELECT value FROM definitions_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
}
function setMeta(db: DB, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM definitions_meta WHERE key = ?').run(key);
  else db.prepare('INSERT INTO definitions_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function definitionsRevision(db: DB): number {
  return Number(meta(db, 'revision') ?? 0);
}

/** A change outside the definitions that moves every result (a column's role or type): results made before are stale. */
export function bumpDefinitionsRevision(db: DB): number {
  const rev = definitionsRevision(db) + 1;
  setMeta(db, 'revision', String(rev));
  return rev;
}
export function attributionWindowDays(db: DB): number {
  return Number(meta(db, 'window_days') ?? DEFAULT_WINDOW_DAYS);
}
export function definedAsOf(db: DB): string | null {
  return meta(db, 'as_of');
}

function saved(db: DB, datasetId: string, kind: StatusKind): { column: string | null; overrides: Record<string, StatusClass> } {
  const r = db.prepare('SELECT column_name, overrides FROM definitions_status WHERE dataset_id = ? AND kind = ?').get(datasetId, kind) as { column_name: string | null; overrides: string } | undefined;
  return { column: r?.column_name ?? null, overrides: r ? (JSON.parse(r.overrides) as Record<string, StatusClass>) : {} };
}

/** The status column found by role (or, for orders imported before order_status existed, by name). */
export function guessStatusColumn(info: DatasetInfo, kind: StatusKind): string | null {
  if (kind === 'sms') return info.columns.find((c) => c.role === 'sms_status')?.name ?? null;
  const byRole = info.columns.find((c) => c.role === 'order_status') ?? info.columns.find((c) => c.role === 'sms_status');
  if (byRole) return byRole.name;
  return info.columns.find((c) => !c.role && (c.type === 'category' || c.type === 'text') && /状态|status/i.test(c.name))?.name ?? null;
}

function columnInForce(db: DB, info: DatasetInfo, kind: StatusKind): { column: string | null; chosen: boolean; overrides: Record<string, StatusClass> } {
  const s = saved(db, info.id, kind);
  // a saved column that no longer exists (renamed in a later import) falls back to the guess
  if (s.column && info.columns.some((c) => c.name === s.column)) return { column: s.column, chosen: true, overrides: s.overrides };
  return { column: guessStatusColumn(info, kind), chosen: false, overrides: s.overrides };
}

const infer = (kind: StatusKind, raw: string): StatusClass => (kind === 'order' ? inferOrderStatus(raw) : inferSmsStatus(raw));

/**
 * Distinct values of a status column with their row counts. One analysis asks several times (its
 * SQL, the definitions it reports), and each answer is a scan of every row (2.3 s on 5M orders):
 * the counts are kept per connection until anything is written, and in the workspace
 * (column_value_counts) while the dataset's rows, batches and the column's type stay the same —
 * the only ways its cells change.
 */
const valueCounts = new WeakMap<DB, Map<string, { v: string; n: number }[]>>();
function distinctValues(db: DB, info: DatasetInfo, column: string): { v: string; n: number }[] {
  // any write since (this connection's total_changes, another's commit: data_version) misses the memo
  const writes = db.prepare('SELECT total_changes()').pluck().get() as number;
  const version = db.pragma('data_version', { simple: true }) as number;
  const type = info.columns.find((c) => c.name === column)?.type ?? null;
  const key = JSON.stringify([info.id, column, info.rowCount, type, writes, version]);
  const memo = valueCounts.get(db) ?? valueCounts.set(db, new Map()).get(db)!;
  let rows = memo.get(key);
  if (!rows) {
    const signature = cellsSignature(db, info, column);
    const stored = db.prepare('SELECT counts FROM column_value_counts WHERE dataset_id = ? AND column_name = ? AND signature = ?').pluck().get(info.id, column, signature) as string | undefined;
    if (!stored && info.engine === 'duckdb') throw duckCountsMissing(info);
    rows = stored
      ? (JSON.parse(stored) as { v: string; n: number }[])
      : (db.prepare(`SELECT coalesce(CAST(${qid(column)} AS TEXT), '') AS v, count(*) AS n FROM ${qid(info.id)} GROUP BY 1 ORDER BY n DESC, v LIMIT ${MAX_VALUES}`).all() as { v: string; n: number }[]);
    if (!stored && !db.readonly && !db.pragma('query_only', { simple: true }))
      db.prepare('INSERT INTO column_value_counts VALUES (?, ?, ?, ?) ON CONFLICT (dataset_id, column_name) DO UPDATE SET signature = excluded.signature, counts = excluded.counts').run(info.id, column, signature, JSON.stringify(rows));
    if (memo.size > 32) memo.clear(); // stale keys of earlier writes
    memo.set(key, rows);
  }
  return rows;
}

const duckCountsMissing = (info: DatasetInfo) =>
  new AppError('engine.refresh_needed', `Dataset "${info.name}" lives in the DuckDB engine and its status values were not counted yet: run an analysis job on it (segmint rfm) or segmint identity first.`, `数据集“${info.name}”存放在 DuckDB 引擎中，其状态值尚未统计：请先对它运行分析任务（segmint rfm）或 segmint identity。`);

/**
 * A DuckDB dataset's status values are counted in DuckDB (a job, asynchronous) and kept in the
 * workspace like a SQLite dataset's, so the synchronous readers (definitions, classifySql) find them.
 */
export async function refreshDuckValueCounts(db: DB, c: DuckConnection): Promise<void> {
  for (const info of listDatasets(db)) {
    if (info.engine !== 'duckdb') continue;
    const kind = statusKindOf(info);
    const column = kind ? columnInForce(db, info, kind).column : null;
    if (!column) continue;
    const signature = cellsSignature(db, info, column);
    if (db.prepare('SELECT 1 FROM column_value_counts WHERE dataset_id = ? AND column_name = ? AND signature = ?').get(info.id, column, signature)) continue;
    const rows = (await duckAll(c, `SELECT coalesce(CAST(${qid(column)} AS VARCHAR), '') AS v, count(*) AS n FROM ${qid(info.id)} GROUP BY 1 ORDER BY n DESC, v LIMIT ${MAX_VALUES}`)).map(([v, n]) => ({ v: String(v), n: Number(n) }));
    db.prepare('INSERT INTO column_value_counts VALUES (?, ?, ?, ?) ON CONFLICT (dataset_id, column_name) DO UPDATE SET signature = excluded.signature, counts = excluded.counts').run(info.id, column, signature, JSON.stringify(rows));
  }
}

function readValues(db: DB, info: DatasetInfo, column: string, kind: StatusKind, overrides: Record<string, StatusClass>): StatusValue[] {
  const rows = distinctValues(db, info, column);
  return rows.map(({ v, n }) => {
    const inferred = infer(kind, v);
    const o = overrides[v];
    return { raw: v, rows: n, inferred, cls: o ?? inferred, overridden: o !== undefined && o !== inferred };
  });
}

export function statusDefinition(db: DB, datasetId: string, kind: StatusKind): StatusDefinition {
  const info = getDataset(db, datasetId);
  const c = columnInForce(db, info, kind);
  return {
    datasetId: info.id,
    datasetName: info.name,
    kind,
    column: c.column,
    columnChosen: c.chosen,
    noColumnClass: NO_COLUMN_CLASS[kind],
    values: c.column ? readValues(db, info, c.column, kind, c.overrides) : [],
  };
}

/**
 * The status column in force and the class of each of its distinct values, or null when the
 * dataset has no status column of that kind (every order is then valid, every send delivered).
 */
export function statusMapping(db: DB, datasetId: string, kind: StatusKind): { column: string; map: Record<string, StatusClass> } | null {
  const d = statusDefinition(db, datasetId, kind);
  if (!d.column) return null;
  return { column: d.column, map: Object.fromEntries(d.values.map((v) => [v.raw, v.cls])) };
}


/**
 * An SQL expression giving each row's class as text ('valid', 'cancelled'… / 'delivered', …).
 * `alias` qualifies the column (e.g. 't'). Only values whose class is not the default get a
 * WHEN branch, so the expression stays short.
 */
export function classifySql(db: DB, datasetId: string, kind: StatusKind, alias?: string): string {
  const m = statusMapping(db, datasetId, kind);
  if (!m) return sqlText(NO_COLUMN_CLASS[kind]);
  const col = alias ? `${alias}.${qid(m.column)}` : qid(m.column);
  const whens = Object.entries(m.map)
    .filter(([, cls]) => cls !== DEFAULT_CLASS[kind])
    .map(([raw, cls]) => `WHEN ${sqlText(raw)} THEN ${sqlText(cls)}`);
  if (!whens.length) return sqlText(DEFAULT_CLASS[kind]);
  return `(CASE coalesce(CAST(${col} AS TEXT), '') ${whens.join(' ')} ELSE ${sqlText(DEFAULT_CLASS[kind])} END)`;
}

/** Every definition in force (all order and SMS datasets, or the ones named). */
export function definitionsInForce(db: DB, datasetIds?: string[]): Definitions {
  const infos = datasetIds ? datasetIds.map((id) => getDataset(db, id)) : listDatasets(db);
  const statuses: StatusDefinition[] = [];
  for (const info of infos) {
    const kind = statusKindOf(info);
    if (kind) statuses.push(statusDefinition(db, info.id, kind));
  }
  return { revision: definitionsRevision(db), windowDays: attributionWindowDays(db), asOf: definedAsOf(db), statuses };
}

/** The compact statement a report or export carries: which column and which values counted as what (declared in the contract). */
export type DefinitionsUsed = DefinitionsUsedInfo;

export function definitionsUsed(db: DB, datasetIds: string[], asOf?: string | null): DefinitionsUsed {
  const d = definitionsInForce(db, [...new Set(datasetIds)]);
  return {
    revision: d.revision,
    windowDays: d.windowDays,
    asOf: asOf ?? d.asOf,
    statuses: d.statuses.map((s) => {
      const classes: Record<string, string[]> = {};
      for (const v of s.values) (classes[v.cls] ??= []).push(v.raw);
      if (!s.column) classes[s.noColumnClass] = ['(all rows)'];
      return { datasetId: s.datasetId, kind: s.kind, column: s.column, classes };
    }),
  };
}

export interface DefinitionsChange {
  datasetId?: string;
  kind?: StatusKind;
  /** Status column to use ('' = back to the guessed one). */
  column?: string;
  /** raw value → class; class '' (or 'auto') drops the override. */
  set?: Record<string, string>;
  windowDays?: number;
  /** ISO date; '' = latest event date. */
  asOf?: string;
}

function bad(en: string, zh: string): never {
  throw new AppError('bad_definition', en, zh);
}

/** Apply a change, audit it and bump the revision (results made under older revisions are stale). */
export function setDefinitions(db: DB, ch: DefinitionsChange): Definitions {
  const changed: Record<string, unknown> = {};
  db.transaction(() => {
    if (ch.column !== undefined || ch.set) {
      if (!ch.datasetId) bad('Name the dataset whose status mapping you change (--dataset).', '请指定要修改状态映射的数据集（--dataset）。');
      const info = getDataset(db, ch.datasetId);
      const kind = ch.kind ?? statusKindOf(info);
      if (!kind) bad(`Dataset "${info.name}" is neither an order nor an SMS dataset: it has no status to map.`, `数据集“${info.name}”既不是订单也不是短信数据，没有可映射的状态。`);
      const cur = saved(db, info.id, kind);
      let column = cur.column;
      if (ch.column !== undefined) {
        if (ch.column && !info.columns.some((c) => c.name === ch.column))
          bad(`Dataset "${info.name}" has no column "${ch.column}".`, `数据集“${info.name}”没有列“${ch.column}”。`);
        column = ch.column || null;
        changed.column = column;
      }
      const overrides = { ...cur.overrides };
      const allowed: string[] = kind === 'order' ? ORDER_STATUS_CLASSES : SMS_STATUS_CLASSES;
      for (const [raw, cls] of Object.entries(ch.set ?? {})) {
        if (cls === '' || cls === 'auto') delete overrides[raw];
        else if (!allowed.includes(cls))
          bad(`"${cls}" is not a ${kind} status class; use one of ${allowed.join(', ')}.`, `“${cls}”不是${kind === 'order' ? '订单' : '短信'}状态类别，可用：${allowed.join('、')}。`);
        else overrides[raw] = cls as StatusClass;
      }
      if (ch.set) changed.set = ch.set;
      db.prepare(
        'INSERT INTO definitions_status (dataset_id, kind, column_name, overrides, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(dataset_id, kind) DO UPDATE SET column_name = excluded.column_name, overrides = excluded.overrides, updated_at = excluded.updated_at',
      ).run(info.id, kind, column, JSON.stringify(overrides), new Date().toISOString());
      changed.datasetId = info.id;
      changed.kind = kind;
    }
    if (ch.windowDays !== undefined) {
      if (!(ch.windowDays > 0 && ch.windowDays <= 365)) bad('The attribution window is between 0 and 365 days.', '归因窗口须在 0 到 365 天之间。');
      setMeta(db, 'window_days', String(ch.windowDays));
      changed.windowDays = ch.windowDays;
    }
    if (ch.asOf !== undefined) {
      if (ch.asOf && Number.isNaN(Date.parse(ch.asOf))) bad(`"${ch.asOf}" is not a date (use YYYY-MM-DD).`, `“${ch.asOf}”不是日期（请用 YYYY-MM-DD）。`);
      setMeta(db, 'as_of', ch.asOf || null);
      changed.asOf = ch.asOf || null;
    }
    if (Object.keys(changed).length) {
      const rev = definitionsRevision(db) + 1;
      setMeta(db, 'revision', String(rev));
      audit(db, 'definitions.changed', { objectType: 'definitions', objectId: ch.datasetId, details: { ...changed, revision: rev } });
    }
  })();
  return definitionsInForce(db, ch.datasetId ? [ch.datasetId] : undefined);
}
