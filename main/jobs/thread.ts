/**
 * Starting a worker thread on one of main's entries: the bundle's `<name>.mjs` (every chunk of the
 * bundle sits beside the entries, so this module finds them from its own URL), or — when running
 * from TypeScript source (tests, tsx) — a small bootstrap that registers tsx's loader inside the
 * thread first (`--import` is not honoured in a worker's execArgv).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `bundleName`: the entry's name in scripts/build.mjs; `source`: its .ts file, for runs from source. */
export function spawnThread(bundleName: string, source: URL, workerData: unknown): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(`./${bundleName}.mjs`, self), { workerData });
  // the benchmarks run from source but time the threads as the app starts them: from the fresh build
  const built = process.env.SEGMINT_BUILT_THREADS;
  if (built) return new Worker(pathToFileURL(path.join(built, `${bundleName}.mjs`)), { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
