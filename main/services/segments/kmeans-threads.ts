/**
 * k-means on both cores. A fit is nInit independent restarts, each seeded from the seed and its
 * number, so a second thread can make half of them: it takes the odd runs, this thread the even
 * ones, and the winner is picked over all runs in run order exactly as one thread would
 * (`pickRun`) — the same labels, centres and inertia, in about half the time. scikit-learn's
 * KMeans uses every core too (OpenMP over the points); on the seeded 1M × 8, k = 6 bench one
 * thread took 1.35× its time with 0.8× its CPU.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CancelledError } from '../../../shared/errors';
import { checkKMeansInput, finishRun, kmeans, lloydRuns, pickRun, type KMeansOptions, type KMeansResult, type LloydRun } from '../../analysis/segments/kmeans';
import { spawnThread } from '../../jobs/thread';

export interface KMeansThreadInput {
  data: SharedArrayBuffer;
  n: number;
  d: number;
  opts: Pick<KMeansOptions, 'k' | 'nInit' | 'maxIter' | 'tol' | 'seed'>;
  runs: number[];
  /** Int32 [cancel (1 = stop), runs done by the thread]. */
  control: SharedArrayBuffer;
}

export type KMeansThreadMessage = { type: 'done'; inertias: number[]; best: LloydRun } | { type: 'error'; cancelled: boolean; message: string };

/**
 * Below this many values × restarts one thread is quicker: the second thread starts and compiles its
 * code cold (≈ 0.1 s). Measured here (k = 4, n_init = 10, 3 features): 23,570 and 100,000 rows were
 * slower on two threads, 300,000 mixed, 700,000 rows 2.0–2.7 → 1.0–1.5 s; 1M × 8 3.1 → 2.3 s.
 */
export const WORTH_A_THREAD = 10_000_000;

/** `threadFrom`: the size from which a second thread is used (tests lower it to run small fits on two threads). */
export async function kmeansOnCores(data: Float64Array, n: number, d: number, opts: KMeansOptions, threadFrom = WORTH_A_THREAD): Promise<KMeansResult> {
  const nInit = opts.nInit ?? 10;
  if (opts.miniBatch || nInit < 2 || os.availableParallelism() < 2 || n * d * nInit < threadFrom) return kmeans(data, n, d, opts);
  checkKMeansInput(data, n, d, opts);
  const shared = new Float64Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  const control = new Int32Array(new SharedArrayBuffer(8));
  const runs = Array.from({ length: nInit }, (_, r) => r);
  const theirs = runs.filter((r) => r % 2 === 1);
  const mine = runs.filter((r) => r % 2 === 0);
  const input: KMeansThreadInput = { data: shared.buffer as SharedArrayBuffer, n, d, opts: { k: opts.k, nInit, maxIter: opts.maxIter, tol: opts.tol, seed: opts.seed }, runs: theirs, control: control.buffer as SharedArrayBuffer };
  const worker: Worker = spawnThread('kmeans-thread', new URL('./kmeans-thread.ts', import.meta.url), input);
  const answer = new Promise<KMeansThreadMessage>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  answer.catch(() => {}); // awaited below; a rejection before then is not unhandled
  let mineDone = 0;
  const progress = () => opts.onProgress?.(mineDone + Atomics.load(control, 1), nInit);
  const stop = () => {
    if (!opts.shouldCancel?.()) return false;
    Atomics.store(control, 0, 1);
    return true;
  };
  // while this thread waits for the other, a cancel and the other's progress are still seen
  const watch = setInterval(() => {
    stop();
    progress();
  }, 100);
  try {
    const ours = lloydRuns(shared, n, d, { ...opts, shouldCancel: stop }, mine, () => {
      mineDone++;
      progress();
    });
    const m = await answer;
    if (m.type === 'error') throw m.cancelled ? new CancelledError() : new Error(`k-means thread: ${m.message}`);
    progress();
    const inertias: number[] = [];
    ours.inertias.forEach((v, i) => (inertias[mine[i]!] = v));
    m.inertias.forEach((v, i) => (inertias[theirs[i]!] = v));
    const w = pickRun(inertias);
    // a winner that neither half kept as its own best (near-ties chained across halves): made again
    const best = w === ours.best.run ? ours.best : w === m.best.run ? m.best : lloydRuns(shared, n, d, opts, [w]).best;
    return finishRun(best, opts.k, d);
  } catch (e) {
    Atomics.store(control, 0, 1);
    throw e;
  } finally {
    clearInterval(watch);
    void worker.terminate();
  }
}
