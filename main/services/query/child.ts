/**
 * The query process (entry of dist/main/query-worker.mjs): runs analysts' read-only SQL away
 * from the server/UI thread. It is a process, not a worker thread, because a SQLite statement
 * stuck in native code (a recursive CTE that never ends) ignores Worker.terminate(); a process
 * can always be killed. The parent (./runner.ts) kills it on a time limit or a cancelled call.
 *
 * Each message names the workspace file and key; the read-only connection is opened for that
 * query and closed after it: an idle connection on a WAL file would block the operations that
 * need the file to themselves (changing the passphrase leaves WAL mode for the rekey).
 */
import { openReadOnlyOnFullDisk } from '../../db/open';
import { isAppError } from '../../../shared/errors';
import { runReadOnly } from './guard';
import { duckTablesNamed, mixedEnginesError, runReadOnlyDuck } from './duck';
import { duckPath } from '../../db/duckdb';
import type { QueryReply, QueryRequest } from './runner';

async function run(m: QueryRequest) {
  // Read-only with query_only; on a full disk, as the main connection reads it (see there).
  const db = openReadOnlyOnFullDisk(m.file, m.passphrase);
  try {
    // a query naming a dataset whose rows live in the DuckDB file runs there (./duck.ts)
    const tables = duckTablesNamed(db, m.sql);
    if (tables.duck.length && tables.workspace.length) throw mixedEnginesError(db, tables);
    if (tables.duck.length) return await runReadOnlyDuck(duckPath(db), m.sql, m.params, m.limit);
    return runReadOnly(db, m.sql, m.params, m.limit);
  } finally {
    db.close();
  }
}

process.on('message', async (m: QueryRequest) => {
  let reply: QueryReply;
  try {
    reply = { id: m.id, ok: true, result: await run(m) };
  } catch (e) {
    const error = isAppError(e) ? e.toInfo() : { code: 'sql_error', en: `SQL error: ${(e as Error).message}`, zh: `SQL 错误：${(e as Error).message}` };
    reply = { id: m.id, ok: false, error };
  }
  process.send!(reply);
});
// The parent went away: nothing left to answer.
process.on('disconnect', () => process.exit(0));
