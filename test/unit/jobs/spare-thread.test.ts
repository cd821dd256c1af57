/**
 * Inspecting files starts a spare job thread (jobs/runner.ts, `prewarm`): it loads its modules
 * while the files are inspected, and the import that follows runs in it. The dataset must be the
 * one a fresh thread makes, an encrypted workspace's job must get its passphrase through the
 * message that starts it, a job cancelled in the spare ends as cancelled, and a spare no job came
 * for is let go at shutdown.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../../helpers/app';
import { createRng, randInt } from '../../../main/kernel/random';
import type { JobInfo } from '../../../shared/types';

const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));

function ordersCsv(dir: string, rows: number): string {
  const rng = createRng(7);
  const lines = ['订单号,手机,金额,城市'];
  for (let i = 0; i < rows; i++) lines.push(`SO${i},1${38 + randInt(rng, 2)}${String(randInt(rng, 1e8)).padStart(8, '0')},${(randInt(rng, 100000) / 100).toFixed(2)},${['北京', '上海', ''][randInt(rng, 3)]}`);
  const file = path.join(dir, `orders-${rows}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function importWith(app: TestApp, file: string, name: string, o: { spare: boolean }) {
  const { settings } = await app.call('import/inspect', { files: [{ path: file }] });
  expect(app.ctx.jobs.hasSpare).toBe(true);
  if (!o.spare) await app.ctx.jobs.releaseSpare();
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings });
  expect(app.ctx.jobs.hasSpare).toBe(false);
  return app.ctx.jobs.wait(jobId);
}

const rowsOf = (app: TestApp, id: string) => app.ctx.requireSession().db.prepare(`SELECT * FROM "${id}" ORDER BY _row`).raw(true).all();

describe('a spare job thread', () => {
  it('runs the import that follows an inspection, with the dataset a fresh thread makes', async () => {
    const app = testApp();
    apps.push(app);
    await app.call('workspace/create', { name: 'spare' });
    const file = ordersCsv(app.dir, 20_000);
    const a = await importWith(app, file, 'in the spare', { spare: true });
    const b = await importWith(app, file, 'in a fresh thread', { spare: false });
    expect([a.status, b.status]).toEqual(['done', 'done']);
    const ra = a.result as { datasetId: string; rowsImported: number };
    const rb = b.result as { datasetId: string };
    expect(ra.rowsImported).toBe(20_000);
    expect(rowsOf(app, ra.datasetId)).toEqual(rowsOf(app, rb.datasetId));
  });

  it("gets an encrypted workspace's passphrase with its job", async () => {
    const app = testApp();
    apps.push(app);
    await app.call('workspace/create', { name: 'spare encrypted', passphrase: 'correct horse' });
    const job = await importWith(app, ordersCsv(app.dir, 3_000), 'encrypted', { spare: true });
    expect(job.status).toBe('done');
    expect(rowsOf(app, (job.result as { datasetId: string }).datasetId)).toHaveLength(3_000);
  });

  it('a job cancelled in the spare ends as cancelled and leaves no dataset', async () => {
    const app = testApp();
    apps.push(app);
    await app.call('workspace/create', { name: 'spare cancel' });
    const file = ordersCsv(app.dir, 300_000);
    const { settings } = await app.call('import/inspect', { files: [{ path: file }] });
    // cancelled once rows are being written: the thread is running the job, not loading
    let jobId = '';
    let sawRows = false;
    const off = app.ctx.onEvent((name, payload) => {
      const j = payload as JobInfo;
      if (name === 'job/progress' && j.id === jobId && !sawRows && (j.rows ?? 0) > 0) {
        sawRows = true;
        app.ctx.jobs.cancel(jobId);
      }
    });
    jobId = (await app.call('import/start', { files: [{ path: file }], name: 'cancelled', settings })).jobId;
    const info = await app.ctx.jobs.wait(jobId);
    off();
    expect(sawRows).toBe(true);
    expect(info.status).toBe('cancelled');
    expect(await app.call('datasets/list', {})).toHaveLength(0);
  });

  it('a spare no job came for is let go at shutdown', async () => {
    const app = testApp();
    await app.call('workspace/create', { name: 'spare unused' });
    await app.call('import/inspect', { files: [{ path: ordersCsv(app.dir, 10) }] });
    expect(app.ctx.jobs.hasSpare).toBe(true);
    await app.close();
    expect(app.ctx.jobs.hasSpare).toBe(false);
  });
});
