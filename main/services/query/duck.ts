/**
 * Analysts' read-only SQL on datasets whose rows live in the DuckDB file beside the workspace
 * (`import --engine duckdb`). A query that names such a dataset's table runs there, in DuckDB's
 * dialect; one that names only workspace tables runs in SQLite as before (./guard.ts). A query
 * cannot join the two: DuckDB cannot read the workspace file offline (its SQLite reader is an
 * extension it would download), so such a query is refused with a message saying which is which.
 *
 * Read-only is enforced by DuckDB itself, as SQLite's is by SQLite:
 * - the file is opened with `access_mode = READ_ONLY` (no statement can change it);
 * - `enable_external_access = false`: no file outside it can be read or written (read_csv('/etc/…'),
 *   COPY … TO, ATTACH, INSTALL/LOAD), and `lock_configuration` keeps a query from setting either back;
 * - the prepared statement's type must be a SELECT or an EXPLAIN (the leading-word check of guard.ts
 *   runs first, as for SQLite).
 * The process running it is killed on the time limit like any query process (./runner.ts).
 */
import { AppError } from '../../../shared/errors';
import { notReadOnly, checkStatementText, sqlWords, type QueryResult } from './guard';
import type { DB } from '../../db/open';
import { duckApi } from '../../db/duckdb';

/** The DuckDB datasets a statement names (by table, ds_N), and the workspace datasets it names beside them. */
export function duckTablesNamed(db: DB, sql: string): { duck: string[]; workspace: string[] } {
  const engines = new Map((db.prepare('SELECT id, engine FROM datasets').all() as { id: string; engine: string }[]).map((r) => [r.id, r.engine]));
  const named = new Set(sqlWords(sql).map((w) => w.word));
  const duck: string[] = [];
  const workspace: string[] = [];
  for (const [id, engine] of engines) if (named.has(id)) (engine === 'duckdb' ? duck : workspace).push(id);
  return { duck, workspace };
}

const datasetNames = (db: DB, ids: string[]) => ids.map((id) => (db.prepare('SELECT name FROM datasets WHERE id = ?').get(id) as { name: string }).name).map((n) => `“${n}”`).join(', ');

/** A query naming both kinds of tables: said before anything runs. */
export function mixedEnginesError(db: DB, t: { duck: string[]; workspace: string[] }): AppError {
  const duck = datasetNames(db, t.duck);
  const ws = datasetNames(db, t.workspace);
  return new AppError(
    'sql_mixed_engines',
    `This query reads datasets in the DuckDB engine (${duck}) and in the workspace (${ws}); a query runs in one of them. Query each on its own, or re-import one so that both live in the same engine.`,
    `此查询同时读取 DuckDB 引擎中的数据集（${duck}）和工作区中的数据集（${ws}）；一条查询只能在其中一处运行。请分别查询，或重新导入其中一个，使两者位于同一引擎。`,
    { duckdb: t.duck, workspace: t.workspace },
  );
}

const sqlError = (e: unknown) => new AppError('sql_error', `SQL error (DuckDB): ${(e as Error).message}`, `SQL 错误（DuckDB）：${(e as Error).message}`);

/** Run one read-only statement on the workspace's DuckDB file; at most `limit` rows. */
export async function runReadOnlyDuck(file: string, sql: string, params: unknown[], limit: number): Promise<QueryResult> {
  checkStatementText(sql);
  // PRAGMAs are SQLite's introspection; DuckDB's change settings or write profiles
  if (sqlWords(sql).some((w) => !w.quoted && (w.word === 'pragma' || w.word.startsWith('pragma_')))) throw notReadOnly();
  const { DuckDBInstance, StatementType } = duckApi();
  let instance;
  try {
    // no temp_directory: DuckDB refuses to set one with external access off; it spills to its default (<file>.tmp)
    instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY', enable_external_access: 'false', lock_configuration: 'true', memory_limit: process.env.SEGMINT_DUCKDB_MEMORY ?? '1GB' });
  } catch (e) {
    if (/lock/i.test((e as Error).message)) throw new AppError('engine.busy', 'The DuckDB file is in use by a running analysis or import; run the query again when it has finished.', 'DuckDB 文件正被运行中的分析或导入使用；请在其完成后再运行查询。');
    throw sqlError(e);
  }
  const c = await instance.connect();
  try {
    let prepared;
    try {
      prepared = await c.prepare(sql);
    } catch (e) {
      throw sqlError(e);
    }
    if (prepared.statementType !== StatementType.SELECT && prepared.statementType !== StatementType.EXPLAIN) throw notReadOnly();
    const rows: unknown[][] = [];
    let truncated = false;
    let columns: string[];
    try {
      if (params.length) prepared.bind(params as never);
      const result = await prepared.stream();
      columns = result.columnNames();
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const r of chunk.getRows()) {
          if (rows.length >= limit) {
            truncated = true;
            break;
          }
          rows.push(r.map(plain));
        }
        if (truncated) break;
      }
    } catch (e) {
      throw sqlError(e);
    }
    return { columns, rows, truncated };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** A DuckDB value as the SQLite path would give it: numbers for integers, decimals and truth values (1/0), text for the rest (dates, times). */
function plain(v: unknown): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  // a DECIMAL (sum of a cast, an average's cast) is a number on SQLite's side
  if (typeof (v as { toDouble?: unknown }).toDouble === 'function') return (v as { toDouble(): number }).toDouble();
  return String(v);
}
