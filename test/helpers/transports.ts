/** The two ways a renderer reaches the services: in-process dispatch (ipc host) and HTTP. */
import http from 'node:http';
import type { CallReply } from '../../shared/api';
import { startHttpHost, type HttpHost } from '../../main/rpc/http-host';
import type { App } from '../../main/app';

export type RawCall = (name: string, args: unknown) => Promise<CallReply>;

export function inProcess(app: App): RawCall {
  return (name, args) => app.dispatch(name, args);
}

export async function overHttp(app: App): Promise<{ call: RawCall; host: HttpHost }> {
  const host = await startHttpHost(app.ctx, app.dispatch, { staticDir: null });
  const call: RawCall = async (name, args) => {
    const res = await fetch(`http://127.0.0.1:${host.port}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: JSON.stringify({ name, args }),
    });
    return (await res.json()) as CallReply;
  };
  return { call, host };
}

/** A raw HTTP request with full control over Host/Origin headers (fetch would fix them up). */
export function rawRequest(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
