/** Turning FileRefs from the contract into checked paths on disk. */
import path from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { FileRef } from '../../../shared/api/import';
import type { AppContext } from '../context';

export interface SourceFile {
  path: string;
  name: string;
  size: number;
  kind: 'text' | 'xlsx';
}

export function resolveFiles(ctx: AppContext, refs: FileRef[]): SourceFile[] {
  return refs.map((ref) => {
    let file: string;
    let name: string;
    if ('uploadId' in ref) {
      file = path.join(ctx.uploadsDir, ref.uploadId);
      if (!existsSync(file)) throw new AppError('upload_not_found', 'The uploaded file is gone; upload it again.', '上传的文件已不存在，请重新上传。');
      name = existsSync(file + '.name') ? readFileSync(file + '.name', 'utf8') : ref.uploadId;
    } else {
      file = ctx.checkRead(ref.path);
      name = path.basename(file);
      if (!existsSync(file)) throw new AppError('file_not_found', `File not found: ${ref.path}`, `找不到文件：${ref.path}`);
      if (!statSync(file).isFile()) throw new AppError('not_a_file', `Not a file: ${ref.path}`, `不是文件：${ref.path}`);
    }
    const kind = /\.xlsx$/i.test(name) ? 'xlsx' : 'text';
    return { path: file, name, size: statSync(file).size, kind };
  });
}
