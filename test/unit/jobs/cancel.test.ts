/**
 * One cancellation error across every layer: an algorithm that notices the cancel through its
 * shouldCancel throws the same CancelledError as the job context, and the worker and the runner
 * report the job as 'cancelled', never 'failed'. Before, k-means and the CLV fits threw
 * Error('cancelled'), which the worker knew only as a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import { loadAllJobKinds } from '../../../main/jobs/kinds';
import { CancelledError, type JobContext, type JobFn, type JobKinds } from '../../../main/jobs/types';
import { isCancelled } from '../../../shared/errors';
import { segmentsSchemas } from '../../../shared/api/segments';
import { valueSchemas } from '../../../shared/api/value';
import { createRng } from '../../../main/kernel/random';
import type { JobInfo } from '../../../shared/types';

// every domain's job kinds, loaded as a job thread loads each (main/jobs/kinds.ts)
let jobKinds: JobKinds;
beforeAll(async () => {
  jobKinds = await loadAllJobKinds();
});

let app: TestApp;
let iris: string;
let cdnow: string;
let blobs: string;

beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'cancel' });
  iris = await importFile(app, datasetPath('iris.csv'), 'iris');
  cdnow = await importFile(app, datasetPath('cdnow-master.txt'), 'cdnow');
  // 40,000 points in 6 planted blobs: enough Lloyd iterations for a cancel to land inside a fit.
  const rng = createRng(3);
  const lines = ['id,a,b,c,d'];
  for (let i = 0; i < 40_000; i++) {
    const c = i % 6;
    lines.push([i, ...[0, 1, 2, 3].map((j) => (c * 3 + j + rng() * 4).toFixed(4))].join(','));
  }
  const file = path.join(app.dir, 'blobs.csv');
  writeFileSync(file, lines.join('\n'));
  blobs = await importFile(app, file, 'blobs');
}, 120_000);
afterAll(() => app.close());

/**
 * Run a job function the way the worker does, on the workspace's connection inside a rolled-back
 * transaction, with a cancel that only the algorithm can see: the context's own checks never
 * throw, so whatever is thrown comes from the algorithm's shouldCancel.
 */
function runWithCancelSeenByAlgorithm(kind: string, args: unknown): unknown {
  const db = app.ctx.requireSession().db;
  const ctx: JobContext = { db, jobId: 'test', progress() {}, checkCancel() {}, cancelled: () => true };
  db.exec('BEGIN');
  try {
    return (jobKinds as Record<string, JobFn>)[kind]!(ctx, args);
  } finally {
    db.exec('ROLLBACK');
  }
}

async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('cancellation', () => {
  it('a k-means fit that notices the cancel throws CancelledError', async () => {
    const args = segmentsSchemas['segments/kmeans'].parse({ datasetId: iris, features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], k: 3 });
    const e = await errorOf(() => runWithCancelSeenByAlgorithm('segments/kmeans', args));
    expect(e).toBeInstanceOf(CancelledError);
    expect(isCancelled(e)).toBe(true);
    expect((e as CancelledError).code).toBe('cancelled');
  });

  it('a CLV fit (BG/NBD) that notices the cancel throws CancelledError', async () => {
    const args = valueSchemas['value/clv'].parse({ datasetId: cdnow, calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' });
    const e = await errorOf(() => runWithCancelSeenByAlgorithm('value/clv', args));
    expect(e).toBeInstanceOf(CancelledError);
  });

  /** Start a job and cancel it as soon as it reports the phase given; returns its end state. */
  async function cancelDuring(started: Promise<{ jobId: string }>, phase: RegExp): Promise<{ info: JobInfo; sawPhase: boolean }> {
    let sawPhase = false;
    let jobId = '';
    const off = app.ctx.onEvent((name, payload) => {
      const p = payload as JobInfo;
      if (name === 'job/progress' && p.id === jobId && !sawPhase && phase.test(p.phase)) {
        sawPhase = true;
        app.ctx.jobs.cancel(jobId);
      }
    });
    jobId = (await started).jobId;
    const info = await app.ctx.jobs.wait(jobId);
    off();
    return { info, sawPhase };
  }

  it('a k-means job cancelled in its fit ends as cancelled (real worker), and saves nothing', async () => {
    const before = (await app.call('datasets/list', {})).length;
    const { info, sawPhase } = await cancelDuring(app.call('segments/kmeans', { datasetId: blobs, features: ['a', 'b', 'c', 'd'], k: 6, nInit: 100, maxIter: 2000, tol: 1e-9 }), /^fit$/);
    expect(sawPhase).toBe(true);
    expect(info.status).toBe('cancelled');
    expect(info.error).toBeNull();
    expect((await app.call('datasets/list', {})).length).toBe(before);
  });

  it('a CLV job cancelled during the BG/NBD fit ends as cancelled (real worker)', async () => {
    const { info, sawPhase } = await cancelDuring(app.call('value/clv', { datasetId: cdnow, calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' }), /BG\/NBD/);
    expect(sawPhase).toBe(true);
    expect(info.status).toBe('cancelled');
    expect(info.error).toBeNull();
  });

  it('an error that crossed a thread as data with code cancelled still reads as a cancel', () => {
    expect(isCancelled({ code: 'cancelled', en: 'Cancelled.', zh: '已取消。' })).toBe(true);
    expect(isCancelled(new Error('cancelled'))).toBe(false);
    expect(isCancelled({ code: 'internal', en: 'x', zh: 'x' })).toBe(false);
  });
});
