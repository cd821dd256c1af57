/**
 * Reading a dataset for the quality profile and for cleaning recipes.
 *
 * Values come from the typed table (what every analysis uses). Where the import could not read a
 * cell of a typed column (a phone that is not a phone, '2024-02-30' in a date column) the typed
 * table holds NULL and the raw table keeps the text; those cells are read from the raw table, so
 * the profile counts them as invalid (with their row numbers) instead of missing, and a recipe
 * step gets a chance to repair them. Only columns with `invalid > 0` in the catalog are joined.
 * Blank raw text stays NULL. Derived datasets have no raw table: their typed values are used.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetColumn, DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import type { Cell, Table } from '../../analysis/clean/table';
import { tableNames } from '../datasets';

/** Quoted SQL for one column: the typed value, or the raw text where the import could not type it. */
function columnExpr(info: DatasetInfo, c: DatasetColumn): { sql: string; joinsRaw: boolean } {
  const t = `t.${qid(c.name)}`;
  if (info.kind !== 'import' || !(c.invalid > 0) || c.type === 'text' || c.type === 'category' || c.type === 'id') return { sql: t, joinsRaw: false };
  const r = `r.${qid(c.name)}`;
  return { sql: `COALESCE(${t}, CASE WHEN trim(${r}) <> '' THEN ${r} END)`, joinsRaw: true };
}

function fromSql(info: DatasetInfo, joinRaw: boolean): string {
  const t = tableNames(info.id);
  return `${qid(t.typed)} AS t${joinRaw ? ` LEFT JOIN ${qid(t.raw)} AS r ON r._row = t._row` : ''}`;
}

export function findColumn(info: DatasetInfo, name: string): DatasetColumn {
  const c = info.columns.find((x) => x.name === name);
  if (!c) throw new AppError('unknown_column', `Dataset "${info.name}" has no column "${name}".`, `数据集“${info.name}”没有列“${name}”。`);
  return c;
}

/** One column in row order: its values and their `_row` numbers. */
export function readColumn(db: DB, info: DatasetInfo, name: string): { rows: Int32Array | number[]; values: Cell[] } {
  const c = findColumn(info, name);
  const e = columnExpr(info, c);
  const out = db.prepare(`SELECT t._row, ${e.sql} FROM ${fromSql(info, e.joinsRaw)} ORDER BY t._row`).raw(true).all() as [number, Cell][];
  const rows = new Int32Array(out.length);
  const values: Cell[] = new Array(out.length);
  for (let i = 0; i < out.length; i++) {
    rows[i] = out[i]![0];
    values[i] = out[i]![1];
  }
  return { rows, values };
}

/** The dataset as a recipe table (rowIds = `_row`, types from the catalog); the first `limit` rows when given. */
export function readTable(db: DB, info: DatasetInfo, limit?: number): Table {
  const exprs = info.columns.map((c) => columnExpr(info, c));
  const joinRaw = exprs.some((e) => e.joinsRaw);
  const sql = `SELECT t._row, ${exprs.map((e) => e.sql).join(', ')} FROM ${fromSql(info, joinRaw)} ORDER BY t._row${limit !== undefined ? ' LIMIT ?' : ''}`;
  const stmt = db.prepare(sql).raw(true);
  const raw = (limit !== undefined ? stmt.all(limit) : stmt.all()) as Cell[][];
  const rowIds = new Array<number>(raw.length);
  const rows = new Array<Cell[]>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    rowIds[i] = r[0] as number;
    rows[i] = r.slice(1);
  }
  return { columns: info.columns.map((c) => c.name), rows, rowIds, types: Object.fromEntries(info.columns.map((c) => [c.name, c.type])) };
}

/** Rows of the typed table by `_row` (all columns, `_row` first), in the order given. */
export function rowsById(db: DB, info: DatasetInfo, ids: number[]): { columns: string[]; rows: unknown[][] } {
  const columns = ['_row', ...info.columns.map((c) => c.name)];
  if (!ids.length) return { columns, rows: [] };
  const got = db
    .prepare(`SELECT ${columns.map(qid).join(', ')} FROM ${qid(info.id)} WHERE _row IN (${ids.map(() => '?').join(',')})`)
    .raw(true)
    .all(...ids) as unknown[][];
  const by = new Map(got.map((r) => [r[0] as number, r]));
  return { columns, rows: ids.map((id) => by.get(id)).filter((r): r is unknown[] => !!r) };
}
