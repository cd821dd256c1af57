/** Thread entry (dist/main/kmeans-thread.mjs): the restarts of a k-means fit that kmeans-threads.ts gives it. */
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError } from '../../../shared/errors';
import { lloydRuns } from '../../analysis/segments/kmeans';
import { claimRuns, type KMeansThreadInput, type KMeansThreadMessage } from './kmeans-threads';

const input = workerData as KMeansThreadInput;
const control = new Int32Array(input.control);
const post = (m: KMeansThreadMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
try {
  const r = lloydRuns(new Float64Array(input.data), input.n, input.d, { ...input.opts, shouldCancel: () => Atomics.load(control, 0) === 1 }, claimRuns(control, input.opts.nInit!), () => Atomics.add(control, 1, 1));
  post({ type: 'done', runs: r.runs, inertias: r.inertias, best: r.best }, r.best ? [r.best.labels.buffer as ArrayBuffer, r.best.centers.buffer as ArrayBuffer] : []);
} catch (e) {
  post({ type: 'error', cancelled: e instanceof CancelledError, message: e instanceof Error ? e.message : String(e) });
}
