/**
 * Read-only SQL for analysts (`datasets/query`, `segmint query`), enforced by the engine:
 * - it runs on its own connection opened read-only with `PRAGMA query_only = 1` (./child.ts, a separate process),
 *   so no statement can write whatever it looks like;
 * - SQLite itself says whether a statement writes (`statement.readonly`) and returns rows
 *   (`statement.reader`); anything else is refused;
 * - PRAGMAs are refused BEFORE preparing (some act while being compiled — `key` re-keys the
 *   connection — and others change the process, e.g. `hard_heap_limit`), except a short list of
 *   schema-introspection ones. The statement is tokenised (comments, strings and quoted names
 *   skipped), so `/＊＊/PRAGMA key='x'` or a `pragma_…` table function cannot hide.
 */
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';

/** Schema introspection only: they read the catalog and take at most a table/index name. */
const SAFE_PRAGMAS = new Set(['table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list', 'collation_list', 'function_list', 'pragma_list', 'module_list', 'database_list']);
const LEADING = new Set(['select', 'with', 'values', 'explain', 'pragma']);

export const notReadOnly = () => new AppError('sql_not_read_only', 'Only read-only queries are allowed (SELECT, WITH, VALUES, EXPLAIN and the schema PRAGMAs such as table_info).', '只允许只读查询（SELECT、WITH、VALUES、EXPLAIN 以及 table_info 等查看结构的 PRAGMA）。');

/** Bare words and quoted names of a statement, in order; comments, strings, numbers and punctuation left out. */
export function sqlWords(sql: string): { word: string; quoted: boolean }[] {
  const out: { word: string; quoted: boolean }[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let text = '';
      while (j < n) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      if (c !== "'") out.push({ word: text.toLowerCase(), quoted: true });
      i = j + 1;
    } else if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_$]/u.test(sql[j]!)) j++;
      out.push({ word: sql.slice(i, j).toLowerCase(), quoted: false });
      i = j;
    } else i++;
  }
  return out;
}

/** Refuse, before SQLite compiles it, a statement that is not a query or is an unsafe PRAGMA. */
export function checkStatementText(sql: string): void {
  const words = sqlWords(sql);
  let k = 0;
  if (words[k]?.word === 'explain' && !words[k]!.quoted) {
    k++;
    if (words[k]?.word === 'query' && words[k + 1]?.word === 'plan') k += 2;
  }
  const first = words[k];
  if (!first || first.quoted || !LEADING.has(first.word) || first.word === 'explain') throw notReadOnly();
  if (first.word === 'pragma') {
    // PRAGMA [schema.]name[(arg)]: the schema prefix is a second word.
    const a = words[k + 1]?.word ?? '';
    const b = words[k + 2]?.word ?? '';
    if (!SAFE_PRAGMAS.has(a) && !((a === 'main' || a === 'temp') && SAFE_PRAGMAS.has(b))) throw notReadOnly();
  }
  // Table-valued PRAGMA functions: only the same introspection ones.
  for (const w of words) if (w.word.startsWith('pragma_') && !SAFE_PRAGMAS.has(w.word.slice(7))) throw notReadOnly();
}

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

const sqlError = (e: unknown) => new AppError('sql_error', `SQL error: ${(e as Error).message}`, `SQL 错误：${(e as Error).message}`);

/** Run one read-only statement on a read-only connection; at most `limit` rows. */
export function runReadOnly(db: DB, sql: string, params: unknown[], limit: number): QueryResult {
  checkStatementText(sql);
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (e) {
    throw sqlError(e);
  }
  if (!stmt.readonly || !stmt.reader) throw notReadOnly();
  const columns = stmt.columns().map((c) => c.name);
  const rows: unknown[][] = [];
  let truncated = false;
  try {
    for (const r of stmt.raw(true).iterate(...params) as IterableIterator<unknown[]>) {
      if (rows.length >= limit) {
        truncated = true;
        break;
      }
      rows.push(r);
    }
  } catch (e) {
    throw sqlError(e);
  }
  return { columns, rows, truncated };
}
