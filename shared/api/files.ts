/**
 * Where a call writes a file: a path the analyst chose (CLI, tests, the desktop save dialog) or,
 * in browser mode, a one-time download. Shared by the domains that write files (exports, audit,
 * reports).
 */
import { z } from 'zod';

const filePath = z.string().min(1).max(4096);
/** A name that becomes a file name (trimmed, at most `max` characters, nothing a file system refuses); `label` starts the message. */
export function safeName(max: number, label: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\\/:*?"<>|\u0000-\u001f]/.test(s), { message: `${label} must not contain \\ / : * ? " < > | or control characters` });
}

export const fileName = safeName(200, 'file name');

export const destination = {
  path: filePath.optional(),
  /** Browser mode: write to a one-time download instead of a path. */
  download: z.boolean().default(false),
  fileName: fileName.optional(),
};

export const needsTarget = (a: { path?: string; download: boolean }) => !!a.path !== a.download;
export const TARGET_MSG = { message: 'give either path or download: true' };

export interface FileResult {
  path: string;
  fileName: string;
  downloadId: string | null;
  bytes: number;
  sha256: string;
  auditId: number;
}
