/**
 * Job threads started before their job is known (worker.ts, `standby`): the thread compiles its
 * modules (the jobs of the domain it is told to expect, or of every domain, ~0.3 s) while the caller
 * still works the job out. It holds no workspace connection until its job comes as a message, and
 * does not keep the process alive.
 *
 * The CLI starts one first thing, before its own modules load (cli/main.ts, `startEarlySpare`): the
 * two threads then compile side by side on two cores instead of one after the other. The runner
 * adopts it as its spare (runner.ts, `prewarm`).
 */
import type { Worker } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage, WorkerStart } from './types';
import { spawnThread } from './thread';

/** The job entry's thread: the bundle's worker.mjs, or worker.ts from source. */
export function spawnWorker(workerData: WorkerInput | WorkerStart): Worker {
  return spawnThread('worker', new URL('./worker.ts', import.meta.url), workerData);
}

/** Who is told when a spare fails to load or ends before its job comes: whoever holds it now (none once claimed). */
const holders = new WeakMap<Worker, (w: Worker) => void>();
/** Spares loading DuckDB's library: settled when it is loaded (their 'preloaded') or they have ended. */
const loading = new WeakMap<Worker, Promise<void>>();

/**
 * A thread waiting for a job, unref'd; `onGone` when it fails to load or ends before one comes.
 * `hint`: the domain of the job to come (only its jobs are loaded while it waits; else every domain's),
 * and whether the workspace has a DuckDB file (its library is loaded too, ≈ 0.07 s of the job's start).
 * Such a spare keeps the process alive until it has the library: a process that ended while a thread
 * loaded it aborted ("terminate called after throwing an instance of 'Napi::Error'", exit 134), e.g. a
 * command failing before its job; and it is only stopped once loaded (`endSpare`).
 */
export function spawnSpare(onGone: (w: Worker) => void, hint: Omit<WorkerStart, 'standby'> = {}): Worker {
  const w = spawnWorker({ standby: true, ...hint });
  holders.set(w, onGone);
  if (hint.duck) {
    loading.set(
      w,
      new Promise<void>((settle) => {
        const loaded = (m: WorkerMessage) => {
          if (m.type !== 'preloaded') return;
          w.off('message', loaded);
          if (holders.has(w)) w.unref(); // still a spare: it no longer keeps the process alive
          settle();
        };
        w.on('message', loaded);
        w.once('exit', () => settle());
      }),
    );
  } else w.unref();
  // without a listener a failed load's 'error' would be thrown in the main process; the next job
  // then starts a thread of its own and reports the failure
  const gone = () => holders.get(w)?.(w);
  w.on('error', gone);
  w.once('exit', gone);
  return w;
}

/** A spare taken for its job: it keeps the process alive from now on, and its holder is no longer told of its end. */
export function claimSpare(w: Worker): void {
  holders.delete(w);
  w.ref();
}

/** Stop a spare no job came for, once it is past loading DuckDB's library. */
export async function endSpare(w: Worker): Promise<void> {
  holders.delete(w);
  await loading.get(w);
  await w.terminate();
}

let early: Worker | null = null;

/** Start a spare thread before any runner exists (the CLI, for a command that runs a job). */
export function startEarlySpare(hint: Omit<WorkerStart, 'standby'>): void {
  early ??= spawnSpare((w) => {
    if (early === w) early = null;
  }, hint);
}

/** The early spare, if one is still waiting: now the caller's, told by `onGone` if it goes. */
export function adoptEarlySpare(onGone: (w: Worker) => void): Worker | null {
  const w = early;
  early = null;
  if (w) holders.set(w, onGone);
  return w;
}
