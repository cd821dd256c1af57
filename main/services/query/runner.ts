/**
 * Runs `datasets/query` off the main thread with a time limit (see ./child.ts for why a
 * process). A small pool per app: a query takes an idle query process or starts one, so one
 * slow query never blocks another call. When the time limit passes or the caller goes away
 * (the HTTP client disconnected, a cancelled call), that process is killed and the call fails
 * with a clear error; the next query starts a fresh one. Closing the workspace stops them all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorInfo } from '../../../shared/errors';
import type { AppContext, Session } from '../context';
import type { QueryResult } from './guard';

export interface QueryRequest {
  id: number;
  file: string;
  passphrase: string | null;
  sql: string;
  params: unknown[];
  limit: number;
}
export type QueryReply = { id: number; ok: true; result: QueryResult } | { id: number; ok: false; error: ErrorInfo };

export const DEFAULT_QUERY_TIMEOUT_SECONDS = 30;
const MAX_IDLE = 2;

export function queryTimeout(): AppError {
  return new AppError('sql_timeout', 'The query took too long and was stopped. Add a LIMIT or a WHERE, or raise the time limit.', '查询耗时过长，已被终止。请加上 LIMIT 或 WHERE 条件，或调高时间上限。');
}

function spawnQueryProcess(): ChildProcess {
  const self = import.meta.url;
  // Electron runs the child as plain Node; the native module was built for its ABI.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  if (!self.endsWith('.ts')) return fork(fileURLToPath(new URL('./query-worker.mjs', self)), [], { env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // From TypeScript source (tests, tsx): load tsx in the child.
  return fork(fileURLToPath(new URL('./child.ts', self)), [], { env, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

class QueryPool {
  private idle: ChildProcess[] = [];
  private busy = new Set<ChildProcess>();
  private seq = 0;

  run(s: Session, sql: string, params: unknown[], limit: number, opts: { timeoutSeconds?: number; signal?: AbortSignal }): Promise<QueryResult> {
    if (opts.signal?.aborted) return Promise.reject(cancelled());
    const child = this.idle.pop() ?? spawnQueryProcess();
    this.busy.add(child);
    const id = ++this.seq;
    const seconds = opts.timeoutSeconds ?? (Number(process.env.SEGMINT_QUERY_TIMEOUT_SECONDS) || DEFAULT_QUERY_TIMEOUT_SECONDS);
    return new Promise<QueryResult>((resolve, reject) => {
      const finish = (fn: () => void, keep: boolean) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        child.off('message', onMessage);
        child.off('exit', onExit);
        this.busy.delete(child);
        if (keep && this.idle.length < MAX_IDLE) {
          this.idle.push(child);
          child.unref();
          child.channel?.unref();
        } else child.kill('SIGKILL');
        fn();
      };
      const onMessage = (m: QueryReply) => {
        if (m.id !== id) return;
        finish(() => (m.ok ? resolve(m.result) : reject(new AppError(m.error.code, m.error.en, m.error.zh, m.error.details))), true);
      };
      const onExit = () => finish(() => reject(new AppError('sql_failed', 'The query process stopped unexpectedly.', '查询进程意外停止。')), false);
      const onAbort = () => finish(() => reject(cancelled()), false);
      const timer = setTimeout(() => finish(() => reject(queryTimeout()), false), seconds * 1000);
      child.on('message', onMessage);
      child.on('exit', onExit);
      opts.signal?.addEventListener('abort', onAbort);
      child.ref();
      child.channel?.ref();
      child.send({ id, file: s.path, passphrase: s.passphrase, sql, params, limit } satisfies QueryRequest);
    });
  }

  pids(): { busy: number[]; idle: number[] } {
    return { busy: [...this.busy].map((c) => c.pid!), idle: this.idle.map((c) => c.pid!) };
  }

  /** Stop every query process (workspace closed or app shutting down). */
  stopAll(): void {
    for (const c of [...this.idle, ...this.busy]) c.kill('SIGKILL');
    this.idle = [];
  }
}

const cancelled = () => new AppError('cancelled', 'The query was cancelled.', '查询已取消。');

const pools = new WeakMap<AppContext, QueryPool>();

function poolFor(ctx: AppContext): QueryPool {
  let p = pools.get(ctx);
  if (!p) {
    const pool = new QueryPool();
    pools.set(ctx, pool);
    // A closed, switched or restored workspace: its query processes hold a stale connection.
    ctx.onEvent((name) => {
      if (name === 'workspace/changed') pool.stopAll();
    });
    p = pool;
  }
  return p;
}

export function runQuery(ctx: AppContext, a: { sql: string; params: unknown[]; limit: number; timeoutSeconds?: number }, signal?: AbortSignal): Promise<QueryResult> {
  const s = ctx.requireSession();
  return poolFor(ctx).run(s, a.sql, a.params, a.limit, { timeoutSeconds: a.timeoutSeconds, signal });
}

/** The query processes of an app (for the jobs panel and tests). */
export function queryProcesses(ctx: AppContext): { busy: number[]; idle: number[] } {
  return pools.get(ctx)?.pids() ?? { busy: [], idle: [] };
}
