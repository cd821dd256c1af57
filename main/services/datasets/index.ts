/**
 * The dataset catalog and the data grid's paging/sorting/filtering in SQL. Each dataset owns
 * three tables: `<id>` (typed values), `<id>__raw` (values exactly as read, never modified:
 * since the import stores only the cells its typed value does not give back, a view over `<id>`
 * and `<id>__rawdiff`, see import/raw.ts) and `<id>__quarantine` (records that could not be read). Identifiers from user files are
 * always checked against the catalog and quoted; values are always bound parameters.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetColumn, DatasetInfo, FilterSpec, Role, RowsPage, SortSpec } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { rowBatcher } from '../../db/batch';
import { audit } from '../audit/index';
import { duckAll, streamDuck, withDuck } from '../../db/duckdb';
import { listMembersBeforeChange } from '../segments/membership';

export const tableNames = (id: string) => ({ typed: id, raw: `${id}__raw`, quarantine: `${id}__quarantine`, rawDiff: `${id}__rawdiff`, customers: `${id}__customers`, persons: `${id}__persons` });

/** Drop every table (and view) of a dataset, whatever its raw layout (import/raw.ts). */
export function dropDatasetTables(db: DB, id: string): void {
  // a segmentation reading its members from these rows writes them down first
  listMembersBeforeChange(db, id);
  for (const name of Object.values(tableNames(id))) {
    const r = db.prepare('SELECT type FROM sqlite_master WHERE name = ?').get(name) as { type: string } | undefined;
    if (r) db.exec(`DROP ${r.type === 'view' ? 'VIEW' : 'TABLE'} ${qid(name)}`);
  }
}
export const QUARANTINE_COLUMNS = ['line', 'reason', 'detail', 'raw'];

interface DatasetRow {
  id: string;
  name: string;
  kind: 'import' | 'derived';
  source_name: string | null;
  source_size: number | null;
  source_sha256: string | null;
  encoding: string | null;
  dialect: string | null;
  settings: string | null;
  columns: string;
  rows_in: number;
  row_count: number;
  quarantined: number;
  parent_id: string | null;
  created_at: string;
  engine: 'sqlite' | 'duckdb';
}

function toInfo(r: DatasetRow): DatasetInfo {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    sourceName: r.source_name,
    sourceSize: r.source_size,
    sourceSha256: r.source_sha256,
    encoding: r.encoding,
    dialect: r.dialect ? JSON.parse(r.dialect) : null,
    settings: r.settings ? JSON.parse(r.settings) : null,
    columns: JSON.parse(r.columns) as DatasetColumn[],
    rowsIn: r.rows_in,
    rowCount: r.row_count,
    quarantined: r.quarantined,
    parentId: r.parent_id,
    createdAt: r.created_at,
    engine: r.engine,
  };
}

export function listDatasets(db: DB): DatasetInfo[] {
  return (db.prepare('SELECT * FROM datasets ORDER BY created_at, id').all() as DatasetRow[]).map(toInfo);
}

export function getDataset(db: DB, id: string): DatasetInfo {
  const r = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
  if (!r) throw new AppError('dataset_not_found', `No dataset with id "${id}".`, `找不到数据集“${id}”。`);
  return toInfo(r);
}

/** Find a dataset by id or by exact name (the CLI accepts either). */
/**
 * A dataset by id, or by name when that name is unique. Names are unique for new datasets
 * (uniqueDatasetName), but a workspace from before that rule may hold several: then the caller
 * must say which by id, never get one of them silently.
 */
export function resolveDataset(db: DB, idOrName: string): DatasetInfo {
  const byId = db.prepare('SELECT * FROM datasets WHERE id = ?').get(idOrName) as DatasetRow | undefined;
  if (byId) return toInfo(byId);
  const byName = db.prepare('SELECT * FROM datasets WHERE name = ? ORDER BY id').all(idOrName) as DatasetRow[];
  if (byName.length === 0) throw new AppError('dataset_not_found', `No dataset with id or name "${idOrName}".`, `找不到 ID 或名称为“${idOrName}”的数据集。`);
  if (byName.length > 1) {
    const ids = byName.map((r) => r.id).join(', ');
    throw new AppError('dataset_ambiguous', `${byName.length} datasets are named "${idOrName}" (${ids}): give the id instead.`, `有 ${byName.length} 个数据集名为“${idOrName}”（${ids}）：请改用 ID。`, { ids: byName.map((r) => r.id) });
  }
  return toInfo(byName[0]!);
}

/** Whether another dataset already has this name (case and surrounding spaces as typed). */
export function datasetNameTaken(db: DB, name: string, exceptId?: string): boolean {
  return !!db.prepare('SELECT 1 FROM datasets WHERE name = ? AND id IS NOT ?').get(name, exceptId ?? null);
}

/** `name`, or `name (2)`, `name (3)` … — the first that no dataset has yet. */
export function uniqueDatasetName(db: DB, name: string): string {
  if (!datasetNameTaken(db, name)) return name;
  for (let i = 2; ; i++) if (!datasetNameTaken(db, `${name} (${i})`)) return `${name} (${i})`;
}

export function nextDatasetId(db: DB): string {
  const rows = db.prepare(`SELECT id FROM datasets WHERE id GLOB 'ds_[0-9]*'`).all() as { id: string }[];
  const max = rows.reduce((m, r) => Math.max(m, Number(r.id.slice(3)) || 0), 0);
  return `ds_${max + 1}`;
}

export interface NewDataset {
  id: string;
  name: string;
  kind: 'import' | 'derived';
  sourceName?: string | null;
  sourceSize?: number | null;
  sourceSha256?: string | null;
  encoding?: string | null;
  dialect?: unknown;
  settings?: unknown;
  columns: DatasetColumn[];
  rowsIn: number;
  rowCount: number;
  quarantined: number;
  parentId?: string | null;
  engine?: 'sqlite' | 'duckdb';
}

/**
 * Catalogue a new dataset. Names are unique: a taken name gets the first free ` (n)` suffix, and
 * the name actually stored is returned so callers can say so.
 */
export function insertCatalog(db: DB, d: NewDataset): string {
  const name = uniqueDatasetName(db, d.name);
  db.prepare(
    `INSERT INTO datasets (id, name, kind, source_name, source_size, source_sha256, encoding, dialect, settings, columns, rows_in, row_count, quarantined, parent_id, created_at, engine)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.id,
    name,
    d.kind,
    d.sourceName ?? null,
    d.sourceSize ?? null,
    d.sourceSha256 ?? null,
    d.encoding ?? null,
    d.dialect === undefined ? null : JSON.stringify(d.dialect),
    d.settings === undefined ? null : JSON.stringify(d.settings),
    JSON.stringify(d.columns),
    d.rowsIn,
    d.rowCount,
    d.quarantined,
    d.parentId ?? null,
    new Date().toISOString(),
    d.engine ?? 'sqlite',
  );
  return name;
}

function tableColumns(info: DatasetInfo, table: 'typed' | 'raw' | 'quarantine'): string[] {
  return table === 'quarantine' ? QUARANTINE_COLUMNS : info.columns.map((c) => c.name);
}

function checkColumn(cols: string[], name: string): string {
  if (!cols.includes(name)) throw new AppError('unknown_column', `Unknown column "${name}".`, `未知列“${name}”。`);
  return qid(name);
}

/**
 * A dataset computed by Segmint (RFM scores, clusters, …): one typed table, catalogued with its
 * parent so the grid, SQL, exports and later analyses treat it like any import.
 */
export function createDerivedDataset(
  db: DB,
  // rows may be a generator: a million-customer result is written without holding every row at once
  d: { name: string; parentId: string | null; columns: { name: string; type: DatasetColumn['type']; role: DatasetColumn['role'] }[]; rows: Iterable<unknown[]>; settings?: unknown },
): DatasetInfo {
  const id = nextDatasetId(db);
  const sqlType = (t: DatasetColumn['type']) => (t === 'integer' || t === 'boolean' ? 'INTEGER' : t === 'decimal' || t === 'percent' ? 'REAL' : 'TEXT');
  db.exec(`CREATE TABLE ${qid(id)} (_row INTEGER PRIMARY KEY, ${d.columns.map((c) => `${qid(c.name)} ${sqlType(c.type)}`).join(', ')})`);
  const width = d.columns.length + 1;
  const rows = rowBatcher(db, id, width);
  let n = 0;
  for (const r of d.rows) {
    const at = rows.at();
    rows.buf[at] = ++n;
    for (let j = 1; j < width; j++) rows.buf[at + j] = r[j - 1] ?? null;
    rows.commit();
  }
  rows.flush();
  insertCatalog(db, {
    id,
    name: d.name,
    kind: 'derived',
    columns: d.columns.map((c) => ({ ...c, source: c.name, invalid: 0 })),
    rowsIn: n,
    rowCount: n,
    quarantined: 0,
    parentId: d.parentId,
    settings: d.settings,
  });
  return getDataset(db, id);
}

export type PageArgs = { id: string; table: 'typed' | 'raw' | 'quarantine'; offset: number; limit: number; sort: SortSpec[]; filters: FilterSpec[]; search?: string };

export function pageRows(db: DB, args: PageArgs): RowsPage {
  const info = getDataset(db, args.id);
  const q = pageSql(info, args);
  if ('empty' in q) return q.empty;
  // every row of the typed table: the catalog keeps its count (import, append and merge write it in the
  // same transaction), so the first page does not count a million rows (SQLite scans the table for count(*))
  const total = args.table === 'typed' && !q.filtered ? info.rowCount : (db.prepare(q.count).get(...q.params) as { n: number }).n;
  const rows = db.prepare(q.rows).raw(true).all(...q.params, args.limit, args.offset) as unknown[][];
  return { columns: q.columns, rows, total, offset: args.offset };
}

/**
 * Every row of one SELECT over a dataset's table, run in the engine that holds its rows: the same SQL
 * on both (DuckDB stores each Segmint type as SQLite does, so the values come back the same).
 */
export async function rowsWhereTheDataIs(db: DB, info: DatasetInfo, sql: string, params: unknown[] = []): Promise<unknown[][]> {
  const [rows] = await queriesWhereTheDataIs(db, info, [{ sql, params }]);
  return rows!;
}

/** Several SELECTs over a dataset's table, each one's rows, in one visit to its engine (DuckDB's file is opened once: ~30 ms each time). */
export async function queriesWhereTheDataIs(db: DB, info: DatasetInfo, queries: { sql: string; params?: unknown[] }[]): Promise<unknown[][][]> {
  if (info.engine === 'duckdb')
    return withDuck(db, async (c) => {
      const out: unknown[][][] = [];
      for (const q of queries) out.push(await duckAll(c, q.sql, q.params ?? []));
      return out;
    });
  return queries.map((q) => db.prepare(q.sql).raw(true).all(...(q.params ?? [])) as unknown[][]);
}

/** Whole rows of a dataset as objects (`_row` and every column), in row order, from the engine that holds them; `where` filters (bound `params`). */
export async function recordsWhereTheDataIs(db: DB, info: DatasetInfo, where = '', params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const names = ['_row', ...info.columns.map((c) => c.name)];
  const rows = await rowsWhereTheDataIs(db, info, `SELECT ${names.map(qid).join(', ')} FROM ${qid(info.id)}${where ? ` WHERE ${where}` : ''} ORDER BY _row`, params);
  return rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]])));
}

/** The rows of one SELECT over a dataset's table, one at a time, from the engine that holds them (an export of millions of rows); `beforeDuck` as streamDuck's `before`. */
export async function* streamRowsWhereTheDataIs(db: DB, info: DatasetInfo, sql: string, params: unknown[] = [], beforeDuck?: Parameters<typeof streamDuck>[3]): AsyncGenerator<unknown[]> {
  if (info.engine === 'duckdb') {
    for await (const rows of streamDuck(db, sql, params, beforeDuck)) yield* rows;
    return;
  }
  yield* db.prepare(sql).raw(true).iterate(...params) as IterableIterator<unknown[]>;
}

/** A page of a DuckDB dataset's typed rows (its quarantine is in the workspace, read by pageRows), by the same SQL. */
export async function pageDuckRows(db: DB, args: PageArgs): Promise<RowsPage> {
  const info = getDataset(db, args.id);
  if (info.engine !== 'duckdb' || args.table === 'quarantine') return pageRows(db, args);
  if (args.table === 'raw' && info.kind !== 'derived') throw new Error('the raw tab of a DuckDB dataset is paged by pageDuckRaw (services/import/raw.ts)');
  const q = pageSql(info, args, 'duckdb');
  if ('empty' in q) return q.empty;
  return withDuck(db, async (c) => {
    const [[total]] = (await duckAll(c, q.count, q.params)) as [[number]];
    const rows = await duckAll(c, q.rows, [...q.params, args.limit, args.offset]);
    return { columns: q.columns, rows, total, offset: args.offset };
  });
}

function pageSql(info: DatasetInfo, args: PageArgs, engine: 'sqlite' | 'duckdb' = 'sqlite'): { count: string; rows: string; params: unknown[]; columns: string[]; filtered: boolean } | { empty: RowsPage } {
  if (info.kind === 'derived' && args.table === 'quarantine') return { empty: { columns: QUARANTINE_COLUMNS, rows: [], total: 0, offset: args.offset } };
  // DuckDB compares a number column with '' by casting '' to a number (an error): compare its text
  const asText = (c: string) => (engine === 'duckdb' ? `CAST(${c} AS VARCHAR)` : c);
  // Derived datasets have no separate raw copy: their values are Segmint's own.
  const table = info.kind === 'derived' ? info.id : tableNames(info.id)[args.table];
  const cols = tableColumns(info, args.table);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const f of args.filters) {
    const c = checkColumn(cols, f.column);
    switch (f.op) {
      case 'empty':
        where.push(`(${c} IS NULL OR ${asText(c)} = '')`);
        break;
      case 'notEmpty':
        where.push(`(${c} IS NOT NULL AND ${asText(c)} <> '')`);
        break;
      case 'contains':
        where.push(`instr(lower(CAST(${c} AS TEXT)), lower(?)) > 0`);
        params.push(String(f.value ?? ''));
        break;
      default: {
        const op = { eq: '=', ne: '<>', gt: '>', lt: '<', gte: '>=', lte: '<=' }[f.op];
        where.push(`${c} ${op} ?`);
        params.push(f.value ?? null);
      }
    }
  }
  if (args.search && args.search.trim()) {
    const searchable = cols.slice(0, 40);
    where.push('(' + searchable.map((c) => `instr(lower(CAST(${qid(c)} AS TEXT)), lower(?)) > 0`).join(' OR ') + ')');
    for (let i = 0; i < searchable.length; i++) params.push(args.search.trim());
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = args.sort.map((s) => `${checkColumn(cols, s.column)} ${s.dir === 'desc' ? 'DESC' : 'ASC'}`);
  const rowKey = args.table === 'quarantine' ? 'line' : '_row';
  order.push(qid(rowKey));
  const sel = [rowKey === '_row' ? '_row' : null, ...cols].filter(Boolean).map((c) => qid(c as string)).join(', ');
  return {
    count: `SELECT count(*) AS n FROM ${qid(table)} ${whereSql}`,
    rows: `SELECT ${sel} FROM ${qid(table)} ${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    params,
    columns: rowKey === '_row' ? ['_row', ...cols] : cols,
    filtered: where.length > 0,
  };
}

export function renameDataset(db: DB, id: string, name: string): DatasetInfo {
  const info = getDataset(db, id);
  if (datasetNameTaken(db, name, id)) {
    throw new AppError('dataset_name_taken', `Another dataset is already named "${name}": choose another name.`, `已有数据集名为“${name}”，请换一个名称。`, { name });
  }
  db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(name, id);
  audit(db, 'dataset.renamed', { objectType: 'dataset', objectId: id, details: { from: info.name, to: name } });
  return getDataset(db, id);
}

/** A destructive call on a dataset goes ahead only when the analyst typed its name (the `confirmDataset` policy). */
export function checkTypedName(name: string, typed: string): void {
  if (typed !== name) throw new AppError('confirm_mismatch', `Type the dataset name "${name}" to confirm deletion.`, `请输入数据集名称“${name}”以确认删除。`);
}

export function deleteDataset(db: DB, id: string, confirmName: string): { deleted: string } {
  const info = getDataset(db, id);
  checkTypedName(info.name, confirmName);
  db.transaction(() => {
    dropDatasetTables(db, id);
    db.prepare('DELETE FROM engine_key_tuples WHERE dataset_id = ?').run(id);
    db.prepare('DELETE FROM engine_key_signatures WHERE dataset_id = ?').run(id);
    db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    audit(db, 'dataset.deleted', { objectType: 'dataset', objectId: id, rows: info.rowCount, details: { name: info.name } });
  })();
  return { deleted: id };
}

// Analysts' read-only SQL (`datasets/query`) lives in ./query/ (engine-enforced, off the main thread).

/** The dataset's column holding the first of these roles that it has (null: none). */
export function roleColumn(info: DatasetInfo, ...roles: Role[]): string | null {
  for (const r of roles) {
    const c = info.columns.find((col) => col.role === r);
    if (c) return c.name;
  }
  return null;
}

/** The error for an analysis that needs a role the dataset lacks, with where to set it. */
export function missingRole(info: DatasetInfo, what: string, whatZh: string): AppError {
  return new AppError('missing_role', `Dataset "${info.name}" has no column with the ${what} role; set it in the import settings or the dataset's columns.`, `数据集“${info.name}”没有“${whatZh}”角色的列，请在导入设置中指定。`, { dataset: info.id, role: what });
}
