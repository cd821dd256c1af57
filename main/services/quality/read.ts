/**
 * Reading a dataset for cleaning recipes (the profile reads its columns by SQL: ./column-sql.ts).
 *
 * Values come from the typed table (what every analysis uses). Where the import could not read a
 * cell of a typed column (a phone that is not a phone, '2024-02-30' in a date column) the typed
 * table holds NULL and the raw table keeps the text; those cells are read from the raw table, so
 * the profile counts them as invalid (with their row numbers) instead of missing, and a recipe
 * step gets a chance to repair them. Only columns with `invalid > 0` in the catalog are joined.
 * Blank raw text stays NULL. Derived datasets have no raw table: their typed values are used.
 *
 * A DuckDB dataset's typed rows are in DuckDB while its raw text (the cells the typed value does not
 * give back) is in the workspace's `<id>__rawdiff`: the typed values are read there and the raw text
 * of the untyped cells laid over them here, by `_row` — the same values as the SQL join gives.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetColumn, DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import type { Cell, Table } from '../../analysis/clean/table';
import { recordsWhereTheDataIs, rowsWhereTheDataIs, tableNames } from '../datasets';

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

/** Raw text of a DuckDB dataset's cells that the import could not type, per column that has any: `_row` → text. */
function untypedCells(db: DB, info: DatasetInfo, columns: DatasetColumn[]): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const c of columns) {
    if (!columnExpr(info, c).joinsRaw) continue;
    const r = qid(c.name);
    const cells = db.prepare(`SELECT _row, ${r} FROM ${qid(tableNames(info.id).rawDiff)} WHERE trim(${r}) <> ''`).raw(true).all() as [number, string][];
    out.set(c.name, new Map(cells));
  }
  return out;
}

/** SELECT over the typed table in the engine that holds it, with the raw text of untyped cells (`columnExpr`): rows of `_row` then the columns. */
async function typedWithRaw(db: DB, info: DatasetInfo, columns: DatasetColumn[], limit?: number): Promise<Cell[][]> {
  const exprs = columns.map((c) => columnExpr(info, c));
  if (info.engine !== 'duckdb') {
    const joinRaw = exprs.some((e) => e.joinsRaw);
    const stmt = db.prepare(`SELECT t._row, ${exprs.map((e) => e.sql).join(', ')} FROM ${fromSql(info, joinRaw)} ORDER BY t._row${limit !== undefined ? ' LIMIT ?' : ''}`).raw(true);
    return (limit !== undefined ? stmt.all(limit) : stmt.all()) as Cell[][];
  }
  const rows = (await rowsWhereTheDataIs(db, info, `SELECT _row, ${columns.map((c) => qid(c.name)).join(', ')} FROM ${qid(info.id)} ORDER BY _row${limit !== undefined ? ' LIMIT ?' : ''}`, limit !== undefined ? [limit] : [])) as Cell[][];
  const raw = untypedCells(db, info, columns);
  columns.forEach((c, j) => {
    const cells = raw.get(c.name);
    if (cells?.size) for (const r of rows) if (r[j + 1] === null) r[j + 1] = cells.get(r[0] as number) ?? null;
  });
  return rows;
}

/** The dataset as a recipe table (rowIds = `_row`, types from the catalog); the first `limit` rows when given. */
export async function readTable(db: DB, info: DatasetInfo, limit?: number): Promise<Table> {
  const raw = await typedWithRaw(db, info, info.columns, limit);
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
export async function rowsById(db: DB, info: DatasetInfo, ids: number[]): Promise<{ columns: string[]; rows: unknown[][] }> {
  const columns = ['_row', ...info.columns.map((c) => c.name)];
  if (!ids.length) return { columns, rows: [] };
  const got = await recordsWhereTheDataIs(db, info, `_row IN (${ids.map(() => '?').join(',')})`, ids);
  const by = new Map(got.map((r) => [r._row as number, columns.map((c) => r[c])]));
  return { columns, rows: ids.map((id) => by.get(id)).filter((r): r is unknown[] => !!r) };
}
