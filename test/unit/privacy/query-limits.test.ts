/**
 * Analysts' SQL runs off the server thread with a time limit: a recursive CTE that never ends
 * (stuck inside SQLite, where no JavaScript runs) is stopped with a clear en/zh error while every
 * other call and static file keeps answering, and a caller that disconnects kills its query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHttpHost, type HttpHost } from '../../../main/rpc/http-host';
import { queryProcesses } from '../../../main/services/query/runner';
import { testApp, type TestApp } from '../../helpers/app';

const NEVER_ENDS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

let app: TestApp;
let host: HttpHost;
beforeAll(async () => {
  app = testApp('browser');
  const staticDir = path.join(app.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<html>segmint</html>');
  host = await startHttpHost(app.ctx, app.dispatch, { staticDir });
  await app.call('workspace/create', { name: 'limits' });
});
afterAll(async () => {
  await host.close();
  await app.close();
});

const post = (name: string, args: unknown, signal?: AbortSignal) =>
  fetch(`http://127.0.0.1:${host.port}/api/call`, { method: 'POST', signal, headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: JSON.stringify({ name, args }) }).then((r) => r.json() as Promise<{ ok: boolean; result?: unknown; error?: { code: string; en: string; zh: string } }>);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

describe('query time limit and cancellation', () => {
  it('a never-ending query times out with an en/zh error while other calls and static files answer', async () => {
    let settled = false;
    const hung = post('datasets/query', { sql: NEVER_ENDS, timeoutSeconds: 3 }).finally(() => (settled = true));
    await until(() => queryProcesses(app.ctx).busy.length === 1);
    const list = await post('datasets/list', {});
    const info = await post('app/info', {});
    const page = await fetch(`http://127.0.0.1:${host.port}/`).then((r) => r.text());
    const other = await post('datasets/query', { sql: 'SELECT 6 * 7 AS answer' });
    expect(settled).toBe(false); // all of the above answered while the query was still running
    expect(list).toMatchObject({ ok: true, result: [] });
    expect(info).toMatchObject({ ok: true, result: { host: 'browser' } });
    expect(page).toContain('segmint');
    expect(other).toMatchObject({ ok: true, result: { rows: [[42]] } });
    const stuckPid = queryProcesses(app.ctx).busy[0]!;
    const reply = await hung;
    expect(reply.ok).toBe(false);
    expect(reply.error!.code).toBe('sql_timeout');
    expect(reply.error!.en).toMatch(/took too long/);
    expect(reply.error!.zh).toMatch(/查询耗时过长/);
    await until(() => !alive(stuckPid));
    expect((await post('datasets/query', { sql: 'SELECT 1 AS one' })).result).toMatchObject({ rows: [[1]] });
  });

  it('a client that disconnects kills its query process', async () => {
    const ac = new AbortController();
    const pending = post('datasets/query', { sql: NEVER_ENDS, timeoutSeconds: 3600 }, ac.signal).catch((e: Error) => e.name);
    await until(() => queryProcesses(app.ctx).busy.length === 1);
    const pid = queryProcesses(app.ctx).busy[0]!;
    ac.abort();
    expect(await pending).toBe('AbortError');
    await until(() => !alive(pid) && queryProcesses(app.ctx).busy.length === 0);
    expect((await post('datasets/query', { sql: 'SELECT 2 AS two' })).result).toMatchObject({ rows: [[2]] });
  });

  it('closing the workspace stops the query processes', async () => {
    await post('datasets/query', { sql: 'SELECT 1' });
    const idle = queryProcesses(app.ctx).idle;
    expect(idle.length).toBeGreaterThan(0);
    await app.call('workspace/close', {});
    await until(() => idle.every((p) => !alive(p)));
    expect(queryProcesses(app.ctx)).toEqual({ busy: [], idle: [] });
  });
});
