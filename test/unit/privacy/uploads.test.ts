/**
 * Browser-mode uploads hold customer files in plaintext, so none outlives its use: written
 * 0600, deleted once imported, an aborted or too-large upload leaves no partial file, and
 * uploads never imported are removed when the server closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startHttpHost, type HttpHost } from '../../../main/rpc/http-host';
import { testApp, type TestApp } from '../../helpers/app';

const CSV = '客户编号,姓名,手机号码\nC1,张伟,13812345678\nC2,李娜,13987654321\n';
let app: TestApp;
let host: HttpHost;
afterEach(async () => {
  await host?.close().catch(() => undefined);
  await app?.close();
});

async function start(maxUploadBytes?: number) {
  app = testApp('browser');
  host = await startHttpHost(app.ctx, app.dispatch, { staticDir: null, maxUploadBytes });
  await app.call('workspace/create', { name: 'uploads', passphrase: 'upload secret' });
}
const upload = (name: string, body: string) =>
  fetch(`http://127.0.0.1:${host.port}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as { ok: boolean; result?: { uploadId: string }; error?: { code: string; en: string; zh: string } } }));
const uploads = () => readdirSync(app.ctx.uploadsDir);
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

describe('uploads', () => {
  it('are private while they exist and gone once imported into an encrypted workspace', async () => {
    await start();
    const r = await upload('客户.csv', CSV);
    const id = r.json.result!.uploadId;
    expect(uploads().sort()).toEqual([id, `${id}.name`]);
    for (const f of uploads()) expect(statSync(path.join(app.ctx.uploadsDir, f)).mode & 0o777).toBe(0o600);
    const inspect = await app.call('import/inspect', { files: [{ uploadId: id }] });
    const { jobId } = await app.call('import/start', { files: [{ uploadId: id }], name: '客户', settings: inspect.settings });
    expect((await app.ctx.jobs.wait(jobId)).status).toBe('done');
    expect(uploads()).toEqual([]);
  });

  it('an upload over the limit is refused with an en/zh error and leaves nothing', async () => {
    await start(1000);
    const r = await upload('big.csv', CSV.repeat(100));
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'upload_too_large' });
    expect(r.json.error!.zh).toMatch(/上传/);
    expect(uploads()).toEqual([]);
  });

  it('an aborted upload leaves no partial file', async () => {
    await start();
    const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/upload?name=a.csv', headers: { authorization: `Bearer ${host.token}`, 'content-length': 1_000_000 } });
    req.on('error', () => undefined);
    req.write(CSV);
    await until(() => uploads().some((f) => !f.endsWith('.name') && statSync(path.join(app.ctx.uploadsDir, f)).size > 0));
    req.destroy();
    await until(() => uploads().length === 0);
    expect(uploads()).toEqual([]);
  });

  it('uploads never imported are removed when the server closes', async () => {
    await start();
    const id = (await upload('left.csv', CSV)).json.result!.uploadId;
    expect(existsSync(path.join(app.ctx.uploadsDir, id))).toBe(true);
    await host.close();
    expect(uploads()).toEqual([]);
  });
});
