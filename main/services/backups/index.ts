/**
 * The one backup service of a workspace: on request (`backups/*`, `segmint backup …`),
 * automatically before destructive operations (`backupBefore`) and before a passphrase change.
 *
 * - Copies: SQLite's online backup API for a plain workspace (better-sqlite3 `db.backup`),
 *   `VACUUM INTO` for an encrypted one (the online API refuses an encrypted source with a plain
 *   target; VACUUM INTO keeps the key), so a backup of an encrypted workspace never holds plaintext.
 * - After a passphrase change every backup is re-keyed to the new key (so each stays restorable
 *   and none is weaker than the workspace); one that cannot be re-keyed is removed when it would
 *   otherwise stay plaintext next to an encrypted workspace. The answer names both lists.
 * - Restore cancels the running jobs first and waits for their threads to end, so no job writes
 *   through, or holds, the WAL of the file being replaced.
 * Backups live in `<data>/backups/<workspace>/`, newest first; retention (Settings, default 10)
 * keeps the newest N.
 */
import path from 'node:path';
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/errors';
import type { BackupInfo } from '../../../shared/types';
import type { BackupRekeyReport } from '../../../shared/api/workspace';
import { applyKey, isEncryptedFile, prepareToEncrypt } from '../../db/open';
import type { AppContext, Session } from '../context';
import { audit } from '../audit/index';
import { readSettings, updateSettings } from '../settings';
import { WORKSPACE_EXT } from '../../../shared/api/workspace';

function backupDir(ctx: AppContext, s: Session): string {
  return path.join(ctx.backupsDir, path.basename(s.path, WORKSPACE_EXT));
}

function backupTarget(ctx: AppContext, s: Session, reason: string): { dir: string; file: string } {
  const dir = backupDir(ctx, s);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // long enough for every reason the app writes with its full id (a restored workspace has no audit row to read it back from)
  const slug = reason.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 80);
  return { dir, file: path.join(dir, `${stamp}__${slug}${WORKSPACE_EXT}`) };
}

/**
 * The rows of DuckDB datasets (and results kept there) live in `<workspace>.duckdb`: a backup copies
 * it beside itself as `<backup>.duckdb` (its WAL too), so a restore brings back both halves of the
 * same moment. A copy-on-write clone where the file system offers one, else a copy.
 */
const DUCK_FILES = ['.duckdb', '.duckdb.wal'];
export function copyDuckFiles(from: string, to: string): void {
  for (const suf of DUCK_FILES) {
    rmSync(to + suf, { force: true });
    if (existsSync(from + suf)) copyFileSync(from + suf, to + suf, constants.COPYFILE_FICLONE);
  }
}
const removeBackup = (file: string) => {
  for (const suf of ['', ...DUCK_FILES]) rmSync(file + suf, { force: true });
};
const duckBytes = (file: string) => DUCK_FILES.reduce((n, suf) => n + (existsSync(file + suf) ? statSync(file + suf).size : 0), 0);

function finishBackup(ctx: AppContext, s: Session, dir: string, file: string, reason: string): BackupInfo {
  copyDuckFiles(s.path, file);
  audit(s.db, 'workspace.backup', { objectType: 'backup', objectId: path.basename(file), details: { reason } });
  // Retention: keep the newest N backups of this workspace.
  const keep = readSettings(ctx).backupRetention;
  const all = listBackupFiles(dir);
  for (const old of all.slice(keep)) removeBackup(old.path);
  return all.find((b) => b.path === file) ?? { path: file, name: path.basename(file), sizeBytes: statSync(file).size, createdAt: new Date().toISOString(), reason };
}

function listBackupFiles(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(WORKSPACE_EXT))
    .map((f) => {
      const p = path.join(dir, f);
      const [stamp, reason] = f.slice(0, -WORKSPACE_EXT.length).split('__');
      return { path: p, name: f, sizeBytes: statSync(p).size + duckBytes(p), createdAt: stamp ?? '', reason: (reason ?? '').replace(/-/g, ' ') };
    })
    .sort((a, b) => (a.name < b.name ? 1 : -1));
}

/** A consistent copy of the open workspace (online backup API when plain; see the header). */
export async function createBackup(ctx: AppContext, reason = 'manual'): Promise<BackupInfo> {
  const s = ctx.requireSession();
  const { dir, file } = backupTarget(ctx, s, reason);
  if (s.passphrase) s.db.prepare('VACUUM INTO ?').run(file);
  else await s.db.backup(file);
  return finishBackup(ctx, s, dir, file, reason);
}

/** Synchronous copy (VACUUM INTO), for use inside one handler right before a change. */
export function backupNow(ctx: AppContext, reason: string): BackupInfo {
  const s = ctx.requireSession();
  const { dir, file } = backupTarget(ctx, s, reason);
  s.db.prepare('VACUUM INTO ?').run(file);
  return finishBackup(ctx, s, dir, file, reason);
}

/**
 * A backup taken right before a destructive operation (dataset deletion, merges). Others call
 * this: `backupBefore(ctx, 'delete dataset ds_3')`. Returns null when no workspace is open.
 */
export function backupBefore(ctx: AppContext, reason: string): BackupInfo | null {
  if (!ctx.session) return null;
  return backupNow(ctx, `before ${reason}`);
}

/** The backups of the open workspace; the reason is the full one from the audit log (the file name keeps an 80-character slug). */
export function listBackups(ctx: AppContext): BackupInfo[] {
  const s = ctx.requireSession();
  const logged = new Map<string, string>();
  for (const r of s.db.prepare("SELECT object_id AS file, details FROM audit_log WHERE action = 'workspace.backup'").all() as { file: string; details: string | null }[]) {
    const reason = r.details ? (JSON.parse(r.details) as { reason?: unknown }).reason : undefined;
    if (typeof reason === 'string') logged.set(r.file, reason);
  }
  return listBackupFiles(backupDir(ctx, s)).map((b) => ({ ...b, reason: logged.get(b.name) ?? b.reason }));
}

export function backupList(ctx: AppContext): { backups: BackupInfo[]; retention: number; dir: string } {
  const s = ctx.requireSession();
  return { backups: listBackups(ctx), retention: readSettings(ctx).backupRetention, dir: backupDir(ctx, s) };
}

/** One backup of the open workspace, by path or file name. */
export function findBackup(ctx: AppContext, s: Session, backup: string): BackupInfo {
  const chosen = listBackupFiles(backupDir(ctx, s)).find((b) => b.path === path.resolve(backup) || b.name === backup);
  if (!chosen) throw new AppError('backup_not_found', 'No such backup of this workspace.', '此工作区没有该备份。');
  return chosen;
}

/** Set the retention and prune the older backups of the open workspace now. */
export function setRetention(ctx: AppContext, keep: number): { retention: number; removed: string[] } {
  updateSettings(ctx, { backupRetention: keep });
  const removed: string[] = [];
  if (ctx.session) {
    for (const b of listBackups(ctx).slice(keep)) {
      removeBackup(b.path);
      removed.push(b.name);
    }
    if (removed.length) audit(ctx.session.db, 'backup.pruned', { objectType: 'workspace', objectId: ctx.session.name, rows: removed.length, details: { retention: keep, removed } });
  }
  return { retention: keep, removed };
}

/** Open a backup file with `from` (null = plain) and re-key it to `to` (null = plain). */
function rekeyFile(file: string, from: string | null, to: string | null): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    if (from) applyKey(db, from);
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // fails here with a wrong key
    db.pragma('journal_mode = DELETE'); // rekey needs a rollback journal
    if (!from && to) prepareToEncrypt(db);
    db.rekey(Buffer.from(to ?? '', 'utf8'));
  } finally {
    db.close();
  }
  for (const suf of ['-wal', '-shm', '-journal']) rmSync(file + suf, { force: true });
}

/**
 * After the open workspace's key changed from `from` to `to`: re-key every backup of it to `to`.
 * A backup that cannot be re-keyed is removed if it is plaintext and the workspace is now
 * encrypted (no plaintext copy may outlive encryption); otherwise it is left as it is.
 */
export function rekeyBackups(ctx: AppContext, from: string | null, to: string | null): BackupRekeyReport {
  const report: BackupRekeyReport = { rekeyed: [], removed: [], unchanged: [] };
  for (const b of listBackups(ctx)) {
    try {
      rekeyFile(b.path, from, to);
      report.rekeyed.push(b.name);
    } catch {
      if (to && !isEncryptedFile(b.path)) {
        for (const suf of ['', '-wal', '-shm', '-journal']) rmSync(b.path + suf, { force: true });
        report.removed.push(b.name);
      } else report.unchanged.push(b.name);
    }
  }
  // Defence in depth: nothing plaintext stays beside an encrypted workspace — a DuckDB copy cannot be encrypted
  if (to) {
    for (const b of listBackups(ctx)) {
      if (!isEncryptedFile(b.path) || duckBytes(b.path) > 0) {
        for (const suf of DUCK_FILES) rmSync(b.path + suf, { force: true });
        for (const suf of ['', '-wal', '-shm', '-journal']) rmSync(b.path + suf, { force: true });
        report.removed.push(b.name);
        report.rekeyed = report.rekeyed.filter((n) => n !== b.name);
      }
    }
  }
  return report;
}
