/**
 * Where exports and reports go. The CLI and tests name any path; the desktop renderer only a
 * path the user chose in the native save dialog (ctx.checkWrite: granted by host/choose-save);
 * the browser-mode renderer asks for a download: the file is written to
 * `<data>/exports/<random id>/<file name>` and fetched once over `GET /api/download?id=…`
 * (main/rpc/http-host.ts, token checked like every API call), then deleted. Downloads that were
 * never fetched are removed after an hour.
 */
import path from 'node:path';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { AppContext } from './context';

const MAX_AGE_MS = 60 * 60 * 1000;

export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

function prune(dir: string): void {
  if (!existsSync(dir)) return;
  const now = Date.now();
  for (const d of readdirSync(dir)) {
    if (!/^[a-f0-9]{32}$/.test(d)) continue;
    const p = path.join(dir, d);
    try {
      if (now - statSync(p).mtimeMs > MAX_AGE_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      /* raced with a download */
    }
  }
}

export interface Target {
  path: string;
  fileName: string;
  downloadId: string | null;
}

/** Resolve where a file goes, refusing paths the user did not choose. */
export function resolveTarget(ctx: AppContext, a: { path?: string; download: boolean; fileName?: string }, defaultName: string): Target {
  if (a.download) {
    const root = exportsDir(ctx.dataDir);
    prune(root);
    const id = randomBytes(16).toString('hex');
    const dir = path.join(root, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fileName = a.fileName ?? defaultName;
    return { path: ctx.checkWrite(path.join(dir, fileName)), fileName, downloadId: id };
  }
  const abs = ctx.checkWrite(a.path!);
  return { path: abs, fileName: path.basename(abs), downloadId: null };
}

/** The file of a download id (for the HTTP route); null when unknown or already fetched. */
export function downloadFile(dataDir: string, id: string): { path: string; fileName: string } | null {
  if (!/^[a-f0-9]{32}$/.test(id)) return null;
  const dir = path.join(exportsDir(dataDir), id);
  if (!existsSync(dir)) return null;
  const f = readdirSync(dir).find((n) => !n.startsWith('.'));
  return f ? { path: path.join(dir, f), fileName: f } : null;
}

/** Remove a download once it has been fetched. */
export function forgetDownload(dataDir: string, id: string): void {
  if (/^[a-f0-9]{32}$/.test(id)) rmSync(path.join(exportsDir(dataDir), id), { recursive: true, force: true });
}

export function safeFileName(name: string): string {
  const s = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();
  if (!s) throw new AppError('privacy.bad_file_name', 'The file name is empty.', '文件名为空。');
  return s.slice(0, 180);
}

/** A file name's time part: 20241203-091500. */
export const fileStamp = (): string => new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
