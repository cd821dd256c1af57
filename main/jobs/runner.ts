/**
 * Job runner (main thread): queues jobs, runs each in a fresh worker thread with its own
 * SQLite connection, relays progress as events, cancels on request. Jobs against one
 * workspace run one at a time (SQLite allows one writer); the UI stays free meanwhile.
 */
import type { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { AppError, describeZod, isCancelled } from '../../shared/errors';
import type { JobInfo } from '../../shared/types';
import type { JobInput, JobKind } from '../../shared/api';
import type { ZodType } from 'zod';
import type { AppContext } from '../services/context';
import type { WorkerInput, WorkerMessage, WorkerStart } from './types';
import { adoptEarlySpare, claimSpare, endSpare, spawnSpare, spawnWorker } from './spare';

interface Pending {
  info: JobInfo;
  input: Omit<WorkerInput, 'cancelFlag'>;
  flag: SharedArrayBuffer;
  worker: Worker | null;
  /** Resolves when the worker thread has ended (its connection to the workspace is closed). */
  exited: Promise<void>;
  startedMs: number;
  onDone?: (result: unknown) => void | Promise<void>;
  resolve: (info: JobInfo) => void;
  promise: Promise<JobInfo>;
}

/** Each job kind's argument schema: the contract's `apiJobs`, or (CLI) the kinds of the domains loaded so far. */
export type JobSpecs = Record<string, { args: ZodType } | undefined>;

export class JobRunner {
  private jobs = new Map<string, Pending>();
  private queue: Pending[] = [];
  private running: Pending | null = null;
  /** A job thread started before its job is known (`prewarm`); the next job runs in it. */
  private spare: Worker | null = null;

  constructor(
    private ctx: AppContext,
    private specs: JobSpecs,
  ) {}

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info).reverse();
  }

  get(id: string): JobInfo {
    const j = this.jobs.get(id);
    if (!j) throw new AppError('job_not_found', `No job ${id}.`, `找不到任务 ${id}。`);
    return j.info;
  }

  /** Resolves when the job has finished, whatever the outcome. */
  wait(id: string): Promise<JobInfo> {
    const j = this.jobs.get(id);
    if (!j) throw new AppError('job_not_found', `No job ${id}.`, `找不到任务 ${id}。`);
    return j.promise;
  }

  /**
   * Start a job thread now for a job about to be queued: it loads its modules (~0.2 s) while the
   * caller still works out the job (an import's file inspection). It holds no workspace
   * connection until its job comes, and does not keep the process alive.
   */
  prewarm(hint: Omit<WorkerStart, 'standby'> = {}): void {
    if (this.spare) return;
    const drop = (w: Worker) => {
      if (this.spare === w) this.spare = null;
    };
    this.spare = adoptEarlySpare(drop) ?? spawnSpare(drop, hint);
  }

  /** Stop a spare thread no job came for (the app shutting down). */
  async releaseSpare(): Promise<void> {
    const w = this.spare;
    this.spare = null;
    if (w) await endSpare(w);
  }

  /** Whether a spare job thread is waiting for its job. */
  get hasSpare(): boolean {
    return this.spare !== null;
  }

  /** Queue a job; its arguments are checked against the kind's schema in the contract first (a bad argument fails the call, not the job). */
  start<K extends JobKind>(kind: K, given: JobInput<K>, opts: { label: string; dbPath: string; passphrase: string | null; onDone?: (result: unknown) => void | Promise<void> }): JobInfo {
    const spec = this.specs[kind];
    if (!spec) throw new AppError('unknown_job', `Unknown job kind "${kind}".`, `未知任务类型“${kind}”。`);
    const parsed = spec.args.safeParse(given);
    if (!parsed.success) {
      const msg = describeZod(parsed.error);
      throw new AppError('bad_args', `Invalid arguments for job ${kind}: ${msg}`, `任务 ${kind} 的参数无效：${msg}`);
    }
    const args: unknown = parsed.data;
    const id = randomUUID().replace(/-/g, '').slice(0, 16);
    let resolve!: (i: JobInfo) => void;
    const promise = new Promise<JobInfo>((r) => (resolve = r));
    const p: Pending = {
      info: { id, kind, label: opts.label, status: 'queued', done: 0, total: 0, phase: '', etaSeconds: null, startedAt: null, finishedAt: null, error: null, result: null },
      input: { jobId: id, kind, args, dbPath: opts.dbPath, passphrase: opts.passphrase },
      flag: new SharedArrayBuffer(4),
      worker: null,
      exited: Promise.resolve(),
      startedMs: 0,
      onDone: opts.onDone,
      resolve,
      promise,
    };
    this.jobs.set(id, p);
    this.queue.push(p);
    this.ctx.emit('job/progress', { ...p.info });
    this.pump();
    return { ...p.info };
  }

  cancel(id: string): JobInfo {
    const p = this.jobs.get(id);
    if (!p) throw new AppError('job_not_found', `No job ${id}.`, `找不到任务 ${id}。`);
    if (p.info.status === 'queued') {
      this.queue = this.queue.filter((q) => q !== p);
      this.finish(p, 'cancelled');
    } else if (p.info.status === 'running') {
      Atomics.store(new Int32Array(p.flag), 0, 1);
      // A job stuck in native code gets a grace period, then its thread is stopped; its
      // transaction was never committed, so the workspace is unchanged either way.
      setTimeout(() => {
        if (p.info.status === 'running') void p.worker?.terminate();
      }, 5000).unref();
    }
    return { ...p.info };
  }

  /**
   * Cancel every queued and running job and wait until their threads have ended, so that the
   * caller (close, restore) never touches the workspace file or its WAL under a live job.
   * Returns how many jobs were cancelled.
   */
  async cancelAll(): Promise<number> {
    return this.cancelWhere(() => true);
  }

  /** cancelAll for the jobs of one kind (e.g. a demo build that a new one replaces). */
  async cancelKind(kind: string): Promise<number> {
    return this.cancelWhere((info) => info.kind === kind);
  }

  private async cancelWhere(pick: (info: JobInfo) => boolean): Promise<number> {
    const active = [...this.jobs.values()].filter((p) => (p.info.status === 'queued' || p.info.status === 'running') && pick(p.info));
    for (const p of active) this.cancel(p.info.id);
    await Promise.all(active.map((p) => p.promise));
    await Promise.all(active.map((p) => p.exited));
    return active.length;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.running = p;
    p.startedMs = Date.now();
    p.info = { ...p.info, status: 'running', startedAt: new Date().toISOString() };
    this.ctx.emit('job/progress', { ...p.info });
    const input: WorkerInput = { ...p.input, cancelFlag: p.flag };
    const spare = this.spare;
    this.spare = null;
    const w = spare ?? spawnWorker(input);
    if (spare) {
      claimSpare(spare);
      spare.postMessage({ input });
    }
    p.worker = w;
    p.exited = new Promise((r) => w.once('exit', () => r()));
    let settled = false;
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        const elapsed = (Date.now() - p.startedMs) / 1000;
        const eta = m.done > 0 && m.total > m.done ? (elapsed * (m.total - m.done)) / m.done : null;
        p.info = { ...p.info, done: m.done, total: m.total, phase: m.phase, etaSeconds: eta === null ? null : Math.round(eta) };
        if (m.rows !== undefined) p.info = { ...p.info, rows: m.rows, rowsPerSecond: elapsed > 0 ? Math.round(m.rows / elapsed) : 0 };
        this.ctx.emit('job/progress', { ...p.info });
      } else if (m.type === 'done') {
        settled = true;
        p.info = { ...p.info, result: m.result, done: p.info.total || p.info.done };
        void this.complete(p, m.result);
      } else if (m.type === 'cancelled') {
        settled = true;
        this.finish(p, 'cancelled');
      } else if (m.type === 'error') {
        settled = true;
        this.finish(p, isCancelled(m.error) ? 'cancelled' : 'failed', m.error);
      }
    });
    w.on('error', (e) => {
      if (settled) return;
      settled = true;
      this.finish(p, 'failed', { code: 'internal', en: e.message, zh: `内部错误：${e.message}` });
    });
    w.on('exit', () => {
      if (!settled) {
        settled = true;
        this.finish(p, Atomics.load(new Int32Array(p.flag), 0) === 1 ? 'cancelled' : 'failed', { code: 'worker_exit', en: 'The job stopped unexpectedly.', zh: '任务意外终止。' });
      }
    });
  }

  private async complete(p: Pending, result: unknown): Promise<void> {
    try {
      await p.onDone?.(result);
      this.finish(p, 'done');
    } catch (e) {
      if (isCancelled(e)) return this.finish(p, 'cancelled');
      this.finish(p, 'failed', { code: 'internal', en: (e as Error).message, zh: `内部错误：${(e as Error).message}` });
    }
  }

  private finish(p: Pending, status: JobInfo['status'], error: JobInfo['error'] = null): void {
    p.info = { ...p.info, status, error: status === 'cancelled' ? null : error, finishedAt: new Date().toISOString(), etaSeconds: null };
    this.recordHistory(p);
    this.ctx.emit('job/finished', { ...p.info });
    p.resolve({ ...p.info });
    if (this.running === p) {
      this.running = null;
      p.worker = null;
      this.pump();
    }
  }

  /** Finished jobs are listed in the workspace's jobs table (outside the job's transaction). */
  private recordHistory(p: Pending): void {
    const s = this.ctx.session;
    if (!s || s.path !== p.input.dbPath) return;
    try {
      s.db
        .prepare('INSERT OR REPLACE INTO jobs (id, kind, status, args, result, error, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.info.id, p.info.kind, p.info.status, JSON.stringify(p.input.args ?? null), JSON.stringify(p.info.result ?? null), p.info.error ? JSON.stringify(p.info.error) : null, p.info.startedAt, p.info.finishedAt);
    } catch {
      /* history is best effort; the job's own work is already committed or rolled back */
    }
  }
}
