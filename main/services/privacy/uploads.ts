/**
 * Browser-mode uploads (`POST /api/upload`): the user's file, in plaintext, in `<data>/uploads`
 * until it is imported. None outlives its use:
 * - written with mode 0600 (the folder is 0700), streamed, never buffered;
 * - an aborted or too-large upload removes its partial file;
 * - once imported, the upload is deleted (its rows now live in the — possibly encrypted —
 *   workspace);
 * - uploads never imported are removed when the server closes, and any left by a server that
 *   was killed are removed when the next one starts.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../shared/errors';
import type { FileRef } from '../../../shared/api/import';
import type { AppContext } from '../context';

const ID = /^[a-f0-9]{32}$/;

export function removeUpload(ctx: AppContext, id: string): void {
  if (!ID.test(id)) return;
  for (const f of [id, `${id}.name`]) rmSync(path.join(ctx.uploadsDir, f), { force: true });
}

/** Every upload in the folder (a fresh server: whatever is there was abandoned). */
export function removeAllUploads(ctx: AppContext): void {
  if (!existsSync(ctx.uploadsDir)) return;
  for (const f of readdirSync(ctx.uploadsDir)) if (ID.test(f.replace(/\.name$/, '').replace(/\.part$/, ''))) rmSync(path.join(ctx.uploadsDir, f), { force: true });
}

/** After an import: the uploads it read are no longer needed. */
export function removeImportedUploads(ctx: AppContext, refs: FileRef[]): void {
  for (const r of refs) if ('uploadId' in r) removeUpload(ctx, r.uploadId);
}

/** Stream a request body to a new upload; on any failure nothing is left behind. */
export async function saveUpload(ctx: AppContext, req: IncomingMessage, rawName: string, maxBytes: number): Promise<{ uploadId: string; name: string; size: number }> {
  const name = rawName.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'upload';
  const id = randomBytes(16).toString('hex');
  const file = path.join(ctx.uploadsDir, id);
  const tooLarge = () => new AppError('upload_too_large', `The file is larger than the upload limit (${maxBytes} bytes).`, `文件超过上传大小上限（${maxBytes} 字节）。`);
  // Declared too large: refused before a byte is written (the client gets the answer, not a reset).
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) cb(tooLarge());
      else cb(null, chunk);
    },
  });
  const aborted = () => new AppError('upload_aborted', 'The upload was interrupted; nothing was kept.', '上传被中断，未保留任何内容。');
  try {
    // `req` ends early without an error when the client goes away: check it arrived whole.
    await pipeline(req, limit, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    if (!req.complete) throw aborted();
    writeFileSync(file + '.name', name, { mode: 0o600 });
  } catch (e) {
    removeUpload(ctx, id);
    if (e instanceof AppError) throw e;
    throw aborted();
  }
  return { uploadId: id, name, size };
}
