import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../main/app';
import type { ApiArgs, ApiName, ApiResult } from '../../shared/api';

export function tempDir(prefix = 'segmint-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestApp extends App {
  dir: string;
  call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>>;
  close(): Promise<void>;
}

/** A real app (real SQLite, real worker threads) in a temp data folder. */
export function testApp(host: 'test' | 'browser' = 'test'): TestApp {
  const t = tempDir();
  const app = createApp(host, { dataDir: t.dir });
  return {
    ...app,
    dir: t.dir,
    async call(name, args) {
      const r = await app.dispatch(name, args);
      if (!r.ok) {
        const e = new Error(r.error.en) as Error & { code: string; zh: string };
        e.code = r.error.code;
        e.zh = r.error.zh;
        throw e;
      }
      return r.result as never;
    },
    async close() {
      await app.shutdown();
      t.cleanup();
    },
  };
}

/** Import a file through the service with the suggested settings; returns the dataset id. */
export async function importFile(app: TestApp, file: string, name: string, engine?: 'sqlite' | 'duckdb'): Promise<string> {
  const inspect = await app.call('import/inspect', { files: [{ path: file }] });
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings: inspect.settings, ...(engine ? { engine } : {}) });
  const job = await app.ctx.jobs.wait(jobId);
  if (job.status !== 'done') throw new Error(JSON.stringify(job.error));
  return (job.result as { datasetId: string }).datasetId;
}

/** Wait for a started job and return its result (throws with the job's error). */
export async function runJob<T>(app: TestApp, started: Promise<{ jobId: string }>): Promise<T> {
  const job = await app.ctx.jobs.wait((await started).jobId);
  if (job.status !== 'done') throw new Error(JSON.stringify(job.error));
  return job.result as T;
}
