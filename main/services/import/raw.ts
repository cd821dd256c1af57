/**
 * "Values exactly as read", stored once. An imported dataset keeps every cell as read, but most cells
 * read back exactly from their typed value ('张三' stays '张三', '13800138000' is '+8613800138000'
 * without its +86, '523.50' is 523.5 with two decimals). So the import writes a raw text only where
 * the typed value does not give it back, into `<id>__rawdiff` (NULL = "as the typed value says"), and
 * `<id>__raw` is a view that puts the two together. Every reader of `<id>__raw` (the grid's raw
 * tab, the quality profile, re-typing a column, analysts' SQL) sees the full raw table as before,
 * while the import writes each row once instead of twice (measured: most of its insert time).
 *
 * The reconstruction of a cell is given twice, in JavaScript (the import decides with it) and in
 * SQL (the view reads with it); both must agree exactly, which test/unit/import/raw-layout.test.ts
 * checks cell by cell on generated values of every type. Where they could disagree (large or long
 * decimals, percent, boolean) the JavaScript side says "cannot rebuild" and the raw text is kept.
 * Workspaces imported before this layout keep their full `<id>__raw` table; both layouts are read
 * the same way (and dropped by `dropDatasetTables` in ../datasets).
 */
import type { ColumnType, DatasetInfo, RowsPage } from '../../../shared/types';
import { qid, sqlText, type DB } from '../../db/open';
import { AppError } from '../../../shared/errors';
import { rowsWhereTheDataIs, tableNames, type PageArgs } from '../datasets';

interface Recon {
  /** The text this typed value gives back, or null when it cannot be rebuilt exactly (keep the raw text). */
  js(v: string | number | null): string | null;
  /** A quicker `raw === js(v)` for the value typed from raw, where a type has one. */
  givesBack?(raw: string, v: string | number | null): boolean;
  /** The same in SQL, for a typed column expression. */
  sql(expr: string): string;
}


const asText: Recon = { js: (v) => (v === null ? '' : typeof v === 'string' ? v : null), sql: (e) => `coalesce(${e}, '')` };
const never: Recon = { js: (v) => (v === null ? '' : null), sql: (e) => `coalesce(CAST(${e} AS TEXT), '')` };

const decimalText = (v: string | number | null) => (v === null ? '' : typeof v === 'number' && Math.abs(v) < 1e12 && !Object.is(v, -0) ? v.toFixed(2) : null);
const CENTS_AS_WRITTEN = /^-?(0|[1-9]\d{0,11})\.\d\d$/;

/** How each type's typed value gives back its text (the common way it was written); booleans by the words the column uses. */
export function reconOf(type: ColumnType, words?: [string | null, string | null] | null): Recon {
  switch (type) {
    case 'boolean': {
      const [yes, no] = words ?? [null, null];
      return {
        js: (v) => (v === null ? '' : v === 1 ? yes : v === 0 ? no : null),
        sql: (e) => `CASE WHEN ${e} IS NULL THEN '' ${yes !== null ? `WHEN ${e} = 1 THEN ${sqlText(yes)} ` : ''}${no !== null ? `WHEN ${e} = 0 THEN ${sqlText(no)} ` : ''}END`,
      };
    }
    case 'text':
    case 'category':
    case 'id':
    case 'email':
    case 'date':
    case 'datetime':
      return asText;
    case 'phone':
      // a Chinese mobile written the national way (11 digits) is its E.164 form without +86
      return {
        js: (v) => (v === null ? '' : typeof v !== 'string' ? null : v.length === 14 && v.startsWith('+86') ? v.slice(3) : v),
        sql: (e) => `CASE WHEN length(${e}) = 14 AND substr(${e}, 1, 3) = '+86' THEN substr(${e}, 4) ELSE coalesce(${e}, '') END`,
      };
    case 'integer':
      return { js: (v) => (v === null ? '' : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null), sql: (e) => `coalesce(CAST(${e} AS TEXT), '')` };
    case 'decimal':
      // money written with two decimals ('523.50'); below 1e12 JavaScript's and SQLite's rounding agree
      // A text already in that form (at most 12 integer digits, no sign but '-', no leading zero) is what
      // its own value gives back, without formatting the number (toFixed: 0.13 s of the 1M-row import).
      return {
        js: decimalText,
        givesBack: (raw, v) => (CENTS_AS_WRITTEN.test(raw) && raw !== '-0.00') || raw === decimalText(v),
        sql: (e) => `CASE WHEN ${e} IS NULL THEN '' ELSE printf('%.2f', ${e}) END`,
      };
    default:
      return never;
  }
}

/** The text a typed cell gives back (the raw view's cell where no raw text was kept); its typed value as text where the type cannot say. */
export function rebuildCell(c: { type: ColumnType; rawWords?: [string | null, string | null] }, v: string | number | null): string {
  return reconOf(c.type, c.rawWords).js(v) ?? String(v);
}

/**
 * Decides, cell by cell, whether a raw text must be kept; a boolean column learns its words from
 * the first true and the first false it meets (`words`, saved in the catalog for the view).
 */
export function rawKeeper(columns: { type: ColumnType; rawWords?: [string | null, string | null] }[]) {
  const words = columns.map((c) => (c.type === 'boolean' ? ([...(c.rawWords ?? [null, null])] as [string | null, string | null]) : null));
  const recon = columns.map((c) => {
    const r = reconOf(c.type);
    return r.givesBack ?? ((raw: string, v: string | number | null) => raw === r.js(v));
  });
  return {
    words,
    /** Does the typed value v of column j give back raw exactly? */
    same(j: number, raw: string, v: string | number | null): boolean {
      const w = words[j];
      if (w && (v === 1 || v === 0)) {
        const k = v === 1 ? 0 : 1;
        if (w[k] === null) w[k] = raw;
        return w[k] === raw;
      }
      return recon[j]!(raw, v);
    },
  };
}

/** 'diff' = typed table + `<id>__rawdiff` behind the `<id>__raw` view; 'table' = a full raw table (older imports); null = none (derived). */
export function rawLayout(db: DB, id: string): 'diff' | 'table' | null {
  const r = db.prepare("SELECT type FROM sqlite_master WHERE name = ?").get(tableNames(id).raw) as { type: string } | undefined;
  return !r ? null : r.type === 'view' ? 'diff' : 'table';
}

/** The `<id>__raw` view over the typed table and its diff table (re-created after a column's type changes). */
export function createRawView(db: DB, id: string, columns: { name: string; type: ColumnType; rawWords?: [string | null, string | null] }[]): void {
  const t = tableNames(id);
  const cells = columns.map((c) => `coalesce(d.${qid(c.name)}, ${reconOf(c.type, c.rawWords).sql(`t.${qid(c.name)}`)}) AS ${qid(c.name)}`);
  db.exec(`DROP VIEW IF EXISTS ${qid(t.raw)}; CREATE VIEW ${qid(t.raw)} AS SELECT t._row AS _row, ${cells.join(', ')} FROM ${qid(t.typed)} t LEFT JOIN ${qid(tableNames(id).rawDiff)} d ON d._row = t._row`);
}

export function createRawDiffTable(db: DB, id: string, names: string[]): void {
  db.exec(`CREATE TABLE ${qid(tableNames(id).rawDiff)} (_row INTEGER PRIMARY KEY, ${names.map((n) => `${qid(n)} TEXT`).join(', ')})`);
}

/**
 * A page of a DuckDB dataset's values as read, in file order: its typed rows from DuckDB, each cell
 * given back as the import would write it (`rebuildCell`, the JavaScript twin of the raw view's SQL)
 * unless the workspace's `<id>__rawdiff` keeps the text. Sorting, filtering and searching raw text
 * would need that text in DuckDB, so they are left to the typed tab.
 */
export async function pageDuckRaw(db: DB, info: DatasetInfo, args: PageArgs): Promise<RowsPage> {
  if (args.sort.length || args.filters.length || args.search?.trim())
    throw new AppError('engine.raw_in_file_order', `"${info.name}" lives in the DuckDB engine: its raw tab shows the values as read in file order. Sort, filter and search on the typed tab.`, `“${info.name}”存放在 DuckDB 引擎中：“原始”页按文件顺序显示读取时的原值。排序、筛选和搜索请在类型化数据页进行。`);
  const columns = info.columns.map((c) => c.name);
  const typed = await rowsWhereTheDataIs(db, info, `SELECT _row, ${columns.map(qid).join(', ')} FROM ${qid(info.id)} ORDER BY _row LIMIT ? OFFSET ?`, [args.limit, args.offset]);
  const ids = typed.map((r) => r[0] as number);
  const diff = new Map<number, (string | null)[]>();
  if (ids.length) {
    const got = db.prepare(`SELECT _row, ${columns.map(qid).join(', ')} FROM ${qid(tableNames(info.id).rawDiff)} WHERE _row BETWEEN ? AND ?`).raw(true).all(ids[0], ids[ids.length - 1]) as [number, ...(string | null)[]][];
    for (const [row, ...cells] of got) diff.set(row, cells);
  }
  const rows = typed.map((r) => [r[0], ...info.columns.map((c, j) => diff.get(r[0] as number)?.[j] ?? rebuildCell(c, r[j + 1] as string | number | null))]);
  return { columns: ['_row', ...columns], rows, total: info.rowCount, offset: args.offset };
}
