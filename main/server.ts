/**
 * Browser mode: the same services over HTTP on 127.0.0.1, serving the built renderer.
 *   node dist/main/server.mjs [--port N] [--data-dir DIR] [--open-demo]
 * Prints one line with the local URL (it carries the per-start token after '#').
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { startHttpHost } from './rpc/http-host';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function findRendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.SEGMINT_STATIC, path.join(here, '..', 'renderer'), path.join(here, '..', 'dist', 'renderer')].filter(Boolean) as string[];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? null;
}

async function main(): Promise<void> {
  const app = createApp('browser', { dataDir: arg('--data-dir') });
  const staticDir = findRendererDir();
  const host = await startHttpHost(app.ctx, app.dispatch, { port: Number(arg('--port') ?? process.env.SEGMINT_PORT ?? 0), staticDir });
  if (!staticDir) console.error('segmint: renderer not built (run `npm run build`); only the API is served.');
  console.log(`Segmint is running in browser mode at ${host.url}`);
  console.log(`Data folder: ${app.ctx.dataDir}`);
  const stop = async () => {
    await host.close();
    await app.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
