/**
 * Worker-thread entry: opens its own connection to the workspace, runs one job inside one
 * transaction (./transaction.ts), and reports progress. Cancel = a shared flag the job polls; rollback leaves the
 * workspace exactly as before. If the thread or process is killed mid-transaction, SQLite's
 * WAL simply never sees a commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open';
import { duckApi, engineError } from '../db/duckdb';
import { isAppError, isCancelled } from '../../shared/errors';
import { JOB_DOMAINS, jobFn, loadJobDomain } from './kinds';
import { inJobTransaction } from './transaction';
import { CancelledError, type JobContext, type JobFn, type WorkerInput, type WorkerMessage, type WorkerStart } from './types';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

/**
 * While a spare waits: the domain it was told to expect, else every domain; then DuckDB's library if
 * told the workspace has a DuckDB file, and 'preloaded' said (the thread keeps the process alive until
 * then: see ./spare.ts). A failure here is left to the job's own load, which reports it.
 */
async function preload(start: WorkerStart): Promise<void> {
  try {
    await Promise.all((start.expect ? [start.expect] : JOB_DOMAINS).map(loadJobDomain));
    if (start.duck) duckApi();
  } catch {
    /* reported by the job */
  }
  if (start.duck) post({ type: 'preloaded' });
}

async function main(): Promise<void> {
  // a spare thread (runner.ts, `prewarm`) loads its job's modules before its job is known: the job comes as a message
  const start = workerData as WorkerStart | WorkerInput;
  if ('standby' in start) void preload(start);
  const input = 'standby' in start ? await new Promise<WorkerInput>((r) => parentPort!.once('message', (m: { input: WorkerInput }) => r(m.input))) : start;
  const flag = new Int32Array(input.cancelFlag);
  const fn: JobFn | undefined = await jobFn(input.kind);
  if (!fn) {
    post({ type: 'error', error: { code: 'unknown_job', en: `Unknown job kind ${input.kind}`, zh: `未知任务类型 ${input.kind}` } });
    return;
  }
  const db = openDatabase(input.dbPath, { passphrase: input.passphrase });
  let lastPost = 0;
  const ctx: JobContext = {
    db,
    jobId: input.jobId,
    checkCancel() {
      if (Atomics.load(flag, 0) === 1) throw new CancelledError();
    },
    cancelled: () => Atomics.load(flag, 0) === 1,
    progress(done, total, phase = '', rows) {
      if (Atomics.load(flag, 0) === 1) throw new CancelledError();
      const now = Date.now();
      // at most 10 updates a second (a flood of events starves the screen); the last step always goes
      if (now - lastPost >= 100 || (total > 0 && done >= total)) {
        lastPost = now;
        post({ type: 'progress', done, total, phase, ...(rows !== undefined ? { rows } : {}) });
      }
    },
  };
  try {
    const result = await inJobTransaction(db, ctx, (c) => fn(c, input.args));
    post({ type: 'done', result });
  } catch (e) {
    // Whichever layer noticed the cancel (this context, or an algorithm's shouldCancel), the job
    // ends as cancelled, not failed.
    const unsupported = engineError(db, e);
    if (isCancelled(e)) post({ type: 'cancelled' });
    else if (isAppError(e)) post({ type: 'error', error: e.toInfo() });
    else if (unsupported) post({ type: 'error', error: unsupported.toInfo() });
    else {
      if (process.env.SEGMINT_DEBUG) console.error(e);
      post({ type: 'error', error: { code: 'internal', en: String((e as Error)?.message ?? e), zh: `内部错误：${String((e as Error)?.message ?? e)}` } });
    }
  } finally {
    db.close();
  }
}

main().catch((e) => post({ type: 'error', error: { code: 'internal', en: String(e?.message ?? e), zh: `内部错误：${String(e?.message ?? e)}` } }));
