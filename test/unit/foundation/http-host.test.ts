import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHttpHost, type HttpHost } from '../../../main/rpc/http-host';
import { testApp, type TestApp } from '../../helpers/app';
import { rawRequest } from '../../helpers/transports';

describe('HTTP host security', () => {
  let app: TestApp;
  let host: HttpHost;
  let staticDir: string;
  beforeAll(async () => {
    app = testApp('browser');
    staticDir = path.join(app.dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<html>index</html>');
    writeFileSync(path.join(app.dir, 'secret.txt'), 'TOP SECRET');
    host = await startHttpHost(app.ctx, app.dispatch, { staticDir });
  });
  afterAll(async () => {
    await host.close();
    await app.close();
  });
  const body = JSON.stringify({ name: 'app/info', args: {} });
  const okHeaders = () => ({ host: `127.0.0.1:${host.port}`, authorization: `Bearer ${host.token}`, 'content-type': 'application/json' });

  it('listens on loopback only and answers a correct call', async () => {
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
    const r = await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: okHeaders(), body });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { host: 'browser' } });
  });

  it('refuses a missing or wrong token', async () => {
    const { authorization: _a, ...noToken } = okHeaders();
    expect((await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: noToken, body })).status).toBe(401);
    const wrong = { ...okHeaders(), authorization: `Bearer ${'0'.repeat(host.token.length)}` };
    expect((await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: wrong, body })).status).toBe(401);
    expect((await rawRequest(host.port, { path: '/api/events', headers: { host: `127.0.0.1:${host.port}` } })).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site)', async () => {
    const evilHost = { ...okHeaders(), host: `evil.example:${host.port}` };
    expect((await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: evilHost, body })).status).toBe(403);
    const evilOrigin = { ...okHeaders(), origin: 'http://evil.example' };
    expect((await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: evilOrigin, body })).status).toBe(403);
    const sameOrigin = { ...okHeaders(), origin: `http://127.0.0.1:${host.port}` };
    expect((await rawRequest(host.port, { method: 'POST', path: '/api/call', headers: sameOrigin, body })).status).toBe(200);
  });

  it('serves static files without escaping the renderer folder', async () => {
    const h = { host: `127.0.0.1:${host.port}` };
    const index = await rawRequest(host.port, { path: '/', headers: h });
    expect(index.body).toContain('index');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await rawRequest(host.port, { path: p, headers: h });
      expect(r.body).not.toContain('TOP SECRET');
    }
  });
});
