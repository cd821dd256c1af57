/**
 * k-means on both cores. A fit is nInit independent restarts, each seeded from the seed and its
 * number, so a second thread can make some of them: the two threads claim the next run number from
 * a shared counter as each finishes one (restarts differ in length; a fixed odd/even split left one
 * thread idle at the end), and the winner is picked over all runs in run order exactly as one
 * thread would (`pickRun`) — the same labels, centres and inertia, in about half the time.
 * scikit-learn's KMeans uses every core too (OpenMP over the points).
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
  /** Int32 [cancel (1 = stop), runs done by the thread, next run to claim]. */
  control: SharedArrayBuffer;
}

export type KMeansThreadMessage = { type: 'done'; runs: number[]; inertias: number[]; best: LloydRun | null } | { type: 'error'; cancelled: boolean; message: string };

/**
 * Below this many values × restarts one thread is quicker: the second thread starts cold and copies the
 * points into its own kernel memory. Measured with the WebAssembly kernels (k = 4, n_init = 10, 3
 * features, 2026-12-06): 100,000 rows 128–186 ms on one thread against 169–203 ms on two, 300,000 rows
 * 470–532 against 485–499 ms, 1M rows 1.76–1.80 → 1.06–1.09 s; 1M × 8, k = 6: 1.42 → 1.05 s.
 */
export const WORTH_A_THREAD = 10_000_000;

/** Run numbers below `total`, each taken by whichever thread asks first (control[2] is the next). */
export function* claimRuns(control: Int32Array, total: number): Generator<number> {
  for (;;) {
    const r = Atomics.add(control, 2, 1);
    if (r >= total) return;
    yield r;
  }
}

/** `threadFrom`: the size from which a second thread is used (tests lower it to run small fits on two threads). */
export async function kmeansOnCores(data: Float64Array, n: number, d: number, opts: KMeansOptions, threadFrom = WORTH_A_THREAD): Promise<KMeansResult> {
  const nInit = opts.nInit ?? 10;
  if (opts.miniBatch || nInit < 2 || os.availableParallelism() < 2 || n * d * nInit < threadFrom) return kmeans(data, n, d, opts);
  checkKMeansInput(data, n, d, opts);
  const shared = new Float64Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  const control = new Int32Array(new SharedArrayBuffer(12));
  const input: KMeansThreadInput = { data: shared.buffer as SharedArrayBuffer, n, d, opts: { k: opts.k, nInit, maxIter: opts.maxIter, tol: opts.tol, seed: opts.seed }, control: control.buffer as SharedArrayBuffer };
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
    const ours = lloydRuns(shared, n, d, { ...opts, shouldCancel: stop }, claimRuns(control, nInit), () => {
      mineDone++;
      progress();
    });
    const m = await answer;
    if (m.type === 'error') throw m.cancelled ? new CancelledError() : new Error(`k-means thread: ${m.message}`);
    progress();
    const inertias: number[] = [];
    ours.inertias.forEach((v, i) => (inertias[ours.runs[i]!] = v));
    m.inertias.forEach((v, i) => (inertias[m.runs[i]!] = v));
    const w = pickRun(inertias);
    // a winner that neither thread kept as its own best (near-ties chained across threads): made again
    const best = w === ours.best?.run ? ours.best : w === m.best?.run ? m.best : lloydRuns(shared, n, d, opts, [w]).best!;
    return finishRun(best, opts.k, d);
  } catch (e) {
    Atomics.store(control, 0, 1);
    throw e;
  } finally {
    clearInterval(watch);
    void worker.terminate();
  }
}
