import type { DB } from '../db/open';
import type { JobArgs, JobKind, JobResult } from '../../shared/api';

/** What a job function gets inside its worker thread. */
export interface JobContext {
  db: DB;
  jobId: string;
  /** Report progress (throttled) and honour a pending cancel. */
  progress(done: number, total: number, phase?: string, rows?: number): void;
  /** Throw CancelledError if the user cancelled. Cheap: reads a shared flag. */
  checkCancel(): void;
  /** Whether the user cancelled (for algorithms that take a shouldCancel callback). */
  cancelled(): boolean;
  /**
   * How to undo work done outside the workspace's transaction (the DuckDB file) if that transaction
   * rolls back (jobs/transaction.ts). Absent when a caller runs a job's function without one.
   */
  onRollback?(undo: () => Promise<unknown>): void;
  /** What to do once the transaction has committed: let go of what an undo would have needed. */
  afterCommit?(tidy: () => Promise<unknown>): void;
}

export type JobFn<A = any, R = unknown> = (ctx: JobContext, args: A) => Promise<R> | R;
/** The function of one declared job kind: its arguments and result typed from the contract (shared/api/<domain>.ts). */
export type KindFn<K extends JobKind> = JobFn<JobArgs<K>, JobResult<K>>;
/** A domain's job kinds: exactly the ones its contract declares, each typed. */
export type DomainJobs<J> = { [K in keyof J & JobKind]: KindFn<K> };
export type JobKinds = { [K in JobKind]: KindFn<K> };

// One cancellation error for every layer (algorithms, jobs, queries): see shared/errors.ts.
export { CancelledError } from '../../shared/errors';

export type WorkerInput = { jobId: string; kind: string; args: unknown; dbPath: string; passphrase: string | null; cancelFlag: SharedArrayBuffer };

/**
 * A spare job thread's workerData: its job (a WorkerInput) comes later as a message. `expect`: the
 * domain whose job it will be, loaded while it waits (else every domain's); `duck`: the workspace has a
 * DuckDB file, whose library is loaded too (the thread says 'preloaded' when it has it, see ./spare.ts).
 */
export type WorkerStart = { standby: true; expect?: string; duck?: boolean };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; phase: string; rows?: number }
  | { type: 'done'; result: unknown }
  | { type: 'cancelled' }
  | { type: 'preloaded' }
  | { type: 'error'; error: { code: string; en: string; zh: string; details?: unknown } };
