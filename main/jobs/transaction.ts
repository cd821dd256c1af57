/**
 * One job, one workspace transaction. Work a job does outside the workspace — a table it writes in
 * the DuckDB file beside it — is not in that transaction: the job registers how to undo it
 * (`ctx.onRollback`), and when the transaction rolls back (a failure, or a cancel noticed after the
 * job's function returned) those undos run, newest first. Without them a DuckDB table outlived the
 * catalogue entry that named it. What an undo needs kept until then is let go after the commit
 * (`ctx.afterCommit`).
 */
import type { DB } from '../db/open';
import type { JobContext } from './types';

export async function inJobTransaction<R>(db: DB, ctx: Omit<JobContext, 'onRollback' | 'afterCommit'>, fn: (ctx: JobContext) => Promise<R> | R): Promise<R> {
  const undo: (() => Promise<unknown>)[] = [];
  const tidy: (() => Promise<unknown>)[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await fn({ ...ctx, onRollback: (u) => void undo.push(u), afterCommit: (t) => void tidy.push(t) });
    ctx.checkCancel();
    db.exec('COMMIT');
    // what was kept for an undo is no longer needed; a failure here leaves it behind, nothing worse
    for (const t of tidy) await t().catch(() => undefined);
    return result;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    // an undo that fails leaves what it could not remove; the job's own error is the one reported
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw e;
  }
}
