/**
 * Opening the demo twice (a double click, or a second call while the first build runs) gives one
 * demo workspace with each demo dataset once: the earlier build is cancelled before its file is
 * replaced, instead of both builds importing into the new file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app';

let app: TestApp;
afterEach(async () => app?.close());

describe('demo/open twice', () => {
  it('while the first build is still running: one set of datasets, no duplicates', async () => {
    app = testApp();
    const first = await app.call('demo/open', { seed: 42, customers: 300 });
    const second = await app.call('demo/open', { seed: 42, customers: 300 });
    const [a, b] = [await app.ctx.jobs.wait(first.jobId), await app.ctx.jobs.wait(second.jobId)];
    expect(a.status).toBe('cancelled');
    expect(b.status).toBe('done');
    const names = (await app.call('datasets/list', {})).map((d) => d.name);
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    expect(app.ctx.requireSession().db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('after the first finished: rebuilt from its seed, still one set', async () => {
    app = testApp();
    for (let i = 0; i < 2; i++) {
      const r = await app.call('demo/open', { seed: 42, customers: 300 });
      expect((await app.ctx.jobs.wait(r.jobId)).status).toBe('done');
    }
    const ds = await app.call('datasets/list', {});
    expect(ds.map((d) => d.name).sort()).toHaveLength(8);
    expect(new Set(ds.map((d) => d.name)).size).toBe(8);
  });
});
