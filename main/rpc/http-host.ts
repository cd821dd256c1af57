/**
 * Browser-mode host: the same dispatcher over HTTP on 127.0.0.1 only. A random token per
 * start is required on every API request (Authorization: Bearer …); the Host header must name
 * this server and any Origin must be this server's (defeats DNS rebinding and cross-site
 * requests). Push events go over a long-lived text/event-stream response read with fetch, so
 * the token travels in a header, never in a URL. Uploads are streamed to disk, never buffered.
 */
import http from 'node:http';
import path from 'node:path';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import type { AppContext } from '../services/context';
import type { Dispatch } from './dispatch';
import { downloadFile, forgetDownload } from '../services/files';
import { removeAllUploads, removeUpload, saveUpload } from '../services/privacy/uploads';
import { isAppError } from '../../shared/errors';

export interface HttpHostOptions {
  port?: number;
  staticDir?: string | null;
  token?: string;
  maxUploadBytes?: number;
}

export interface HttpHost {
  server: http.Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function refuse(res: http.ServerResponse, status: number, code: string, en: string, zh: string): void {
  send(res, status, { ok: false, error: { code, en, zh } });
}

export function startHttpHost(ctx: AppContext, dispatch: Dispatch, opts: HttpHostOptions = {}): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const maxUpload = opts.maxUploadBytes ?? 4 * 1024 ** 3;
  let port = 0;
  const eventClients = new Set<http.ServerResponse>();
  // Uploads received by this server; those not imported are removed when it closes.
  const uploadIds = new Set<string>();
  removeAllUploads(ctx); // left by a server that was killed: abandoned

  const unsubscribe = ctx.onEvent((name, payload) => {
    const line = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`;
    for (const c of eventClients) c.write(line);
  });

  const hostOk = (req: http.IncomingMessage) => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  const originOk = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };
  const tokenOk = (req: http.IncomingMessage) => {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(h);
    if (!m) return false;
    const got = Buffer.from(m[1]!);
    return got.length === tokenBuf.length && timingSafeEqual(got, tokenBuf);
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!hostOk(req)) return refuse(res, 403, 'bad_host', 'Host not allowed.', '不允许的主机。');
      if (!originOk(req)) return refuse(res, 403, 'bad_origin', 'Origin not allowed.', '不允许的来源。');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname.startsWith('/api/')) {
        if (!tokenOk(req)) return refuse(res, 401, 'bad_token', 'Missing or wrong session token.', '会话令牌缺失或错误。');
        if (url.pathname === '/api/call' && req.method === 'POST') {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const c of req) {
            size += (c as Buffer).length;
            if (size > 32 * 1024 * 1024) return refuse(res, 413, 'too_large', 'Request too large.', '请求过大。');
            chunks.push(c as Buffer);
          }
          let body: { name?: unknown; args?: unknown };
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return refuse(res, 400, 'bad_json', 'Request body is not JSON.', '请求体不是 JSON。');
          }
          // A caller that goes away cancels its call (a long query's process is killed).
          const gone = new AbortController();
          res.on('close', () => {
            if (!res.writableFinished) gone.abort();
          });
          const reply = await dispatch(String(body.name), body.args, { signal: gone.signal });
          if (gone.signal.aborted) return;
          return send(res, 200, reply);
        }
        if (url.pathname === '/api/events' && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          eventClients.add(res);
          const ping = setInterval(() => res.write(': ping\n\n'), 15000);
          req.on('close', () => {
            clearInterval(ping);
            eventClients.delete(res);
          });
          return;
        }
        if (url.pathname === '/api/upload' && req.method === 'POST') {
          // main/services/privacy/uploads.ts: 0600, no partial file on abort, gone once imported.
          try {
            const saved = await saveUpload(ctx, req, url.searchParams.get('name') ?? 'upload', maxUpload);
            uploadIds.add(saved.uploadId);
            return send(res, 200, { ok: true, result: saved });
          } catch (e) {
            if (!isAppError(e) || req.destroyed) return void res.destroy();
            res.setHeader('connection', 'close'); // the rest of the body is not read
            return refuse(res, e.code === 'upload_too_large' ? 413 : 400, e.code, e.message, e.zh);
          }
        }
        // One-time downloads of exports/reports the browser-mode renderer asked for
        // (main/services/files.ts): only ids under <data>/exports, deleted once sent.
        if (url.pathname === '/api/download' && req.method === 'GET') {
          const id = url.searchParams.get('id') ?? '';
          const f = downloadFile(ctx.dataDir, id);
          if (!f) return refuse(res, 404, 'not_found', 'No such download (it may have been fetched already).', '没有该下载（可能已经下载过）。');
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': statSync(f.path).size,
            'content-disposition': `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          });
          const stream = createReadStream(f.path);
          await once(stream, 'open');
          try {
            forgetDownload(ctx.dataDir, id); // one-time: gone before the first byte is sent (POSIX keeps the open file readable)
          } catch {
            /* Windows cannot remove an open file: removed after sending */
          }
          await pipeline(stream, res);
          forgetDownload(ctx.dataDir, id);
          return;
        }
        return refuse(res, 404, 'not_found', 'No such endpoint.', '没有该接口。');
      }
      // Static renderer files (no token needed: they hold no data).
      if (!opts.staticDir) return refuse(res, 404, 'not_found', 'Not found.', '未找到。');
      const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
      const file = path.resolve(opts.staticDir, '.' + rel);
      if (!file.startsWith(path.resolve(opts.staticDir) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
        const index = path.join(opts.staticDir, 'index.html');
        if (!existsSync(index)) return refuse(res, 404, 'not_found', 'Renderer not built: run npm run build.', '界面尚未构建：请运行 npm run build。');
        res.writeHead(200, { 'content-type': MIME['.html']!, 'content-security-policy': CSP, 'cache-control': 'no-store' });
        return createReadStream(index).pipe(res);
      }
      const ext = path.extname(file);
      const headers: Record<string, string> = { 'content-type': MIME[ext] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' };
      if (ext === '.html') headers['content-security-policy'] = CSP;
      if (rel.startsWith('/assets/')) headers['cache-control'] = 'public, max-age=31536000, immutable';
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    } catch (e) {
      if (!res.headersSent) refuse(res, 500, 'internal', (e as Error).message, `内部错误：${(e as Error).message}`);
      else res.end();
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as { port: number }).port;
      resolve({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/#token=${token}`,
        close: () =>
          new Promise<void>((r) => {
            unsubscribe();
            for (const id of uploadIds) removeUpload(ctx, id);
            for (const c of eventClients) c.end();
            server.close(() => r());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
