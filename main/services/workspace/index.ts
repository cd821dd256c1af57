/**
 * Workspace lifecycle: one SQLite file per project. Create, open, close, rename, delete (with
 * the name typed back as confirmation), change the passphrase. Backups: backups/index.ts.
 */
import path from 'node:path';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { AppError, isAppError } from '../../../shared/errors';
import type { RecentWorkspace, WorkspaceInfo } from '../../../shared/types';
import type { PassphraseChangeResult } from '../../../shared/api/workspace';
import { isDiskFailure, isEncryptedFile, openDatabase, openReadOnlyOnFullDisk, prepareToEncrypt, schemaVersion, type DB } from '../../db/open';
import { audit } from '../audit/index';
import type { AppContext, Session } from '../context';
import { readSettings, updateSettings } from '../settings';
// Backups are one domain (services/backups); restoring one (backups/restore.ts) calls open/close here.
import { backupNow, rekeyBackups } from '../backups/index';
import { WORKSPACE_EXT } from '../../../shared/api/workspace';


export function meta(db: DB, key: string): string | null {
  const r = db.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}
export function setMeta(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function workspaceInfo(s: Session): WorkspaceInfo {
  const db = s.db;
  const size = ['', '-wal'].reduce((acc, suf) => acc + (existsSync(s.path + suf) ? statSync(s.path + suf).size : 0), 0);
  return {
    path: s.path,
    name: s.name,
    encrypted: !!s.passphrase,
    schemaVersion: schemaVersion(db),
    sizeBytes: size,
    createdAt: meta(db, 'created_at'),
    datasets: (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n,
    readOnly: !!s.readOnly,
  };
}

function rememberRecent(ctx: AppContext, s: { path: string; name: string; encrypted: boolean }): void {
  const st = readSettings(ctx);
  const recent = [{ path: s.path, name: s.name, encrypted: s.encrypted, lastOpened: new Date().toISOString() }, ...st.recent.filter((r) => r.path !== s.path)].slice(0, 20);
  updateSettings(ctx, { recent });
}

export function listRecent(ctx: AppContext): RecentWorkspace[] {
  const st = readSettings(ctx);
  const seen = new Set(st.recent.map((r) => r.path));
  const out: RecentWorkspace[] = st.recent.map((r) => ({ ...r, exists: existsSync(r.path) }));
  // Workspaces in the data folder that are not in the list yet (e.g. built by the CLI).
  for (const f of existsSync(ctx.workspacesDir) ? readdirSync(ctx.workspacesDir) : []) {
    if (!f.endsWith(WORKSPACE_EXT)) continue;
    const p = path.join(ctx.workspacesDir, f);
    if (seen.has(p)) continue;
    out.push({ path: p, name: f.slice(0, -WORKSPACE_EXT.length), encrypted: isEncryptedFile(p), exists: true, lastOpened: statSync(p).mtime.toISOString() });
  }
  return out;
}

export function closeWorkspace(ctx: AppContext): boolean {
  if (!ctx.session) return false;
  try {
    ctx.session.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    /* a reader may hold the WAL; closing still checkpoints what it can */
  }
  ctx.session.db.close();
  ctx.session = null;
  ctx.emit('workspace/changed', { path: null, name: null });
  return true;
}

export function createWorkspace(ctx: AppContext, args: { name: string; passphrase?: string; path?: string }): WorkspaceInfo {
  const file = path.resolve(args.path ?? path.join(ctx.workspacesDir, args.name + WORKSPACE_EXT));
  if (existsSync(file)) {
    throw new AppError('workspace_exists', `A workspace named "${args.name}" already exists.`, `名为“${args.name}”的工作区已存在。`, { path: file });
  }
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AppError('folder_not_found', `The folder ${dir} does not exist: create it first, or choose another place for the workspace.`, `文件夹 ${dir} 不存在：请先创建它，或为工作区选择其他位置。`, { path: dir });
  }
  let db: DB;
  try {
    db = openDatabase(file, { create: true, passphrase: args.passphrase ?? null });
  } catch (e) {
    // e.g. a folder without write permission: say where, not "internal error".
    if (isAppError(e)) throw e;
    const why = (e as Error)?.message ?? String(e);
    throw new AppError('workspace_create_failed', `Cannot create the workspace ${file}: ${why}`, `无法创建工作区 ${file}：${why}`, { path: file });
  }
  try {
    setMeta(db, 'name', args.name);
    setMeta(db, 'created_at', new Date().toISOString());
    audit(db, 'workspace.created', { objectType: 'workspace', objectId: args.name, details: { encrypted: !!args.passphrase } });
  } catch (e) {
    db.close();
    rmSync(file, { force: true });
    throw e;
  }
  return adopt(ctx, { path: file, name: args.name, db, passphrase: args.passphrase ?? null });
}

export function openWorkspace(ctx: AppContext, args: { path: string; passphrase?: string }): WorkspaceInfo {
  const file = path.resolve(args.path);
  const recent = readSettings(ctx).recent.map((r) => r.path);
  if (!ctx.isKnownWorkspacePath(file, recent)) {
    throw new AppError('path_not_allowed', 'That workspace was not chosen by the user.', '该工作区未经用户选择。', { path: file });
  }
  if (ctx.session?.path === file) return workspaceInfo(ctx.session);
  const passphrase = args.passphrase ?? null;
  let db: DB | null = null;
  try {
    db = openDatabase(file, { passphrase });
    const name = meta(db, 'name') ?? path.basename(file, WORKSPACE_EXT);
    audit(db, 'workspace.opened', { objectType: 'workspace', objectId: name });
    return adopt(ctx, { path: file, name, db, passphrase });
  } catch (e) {
    if (!isDiskFailure(e)) throw e;
    db?.close();
  }
  // A full disk: the workspace still opens, read-only (no audit row: nothing can be written).
  const ro = openReadOnlyOnFullDisk(file, passphrase);
  return adopt(ctx, { path: file, name: meta(ro, 'name') ?? path.basename(file, WORKSPACE_EXT), db: ro, passphrase, readOnly: true });
}

function adopt(ctx: AppContext, s: Session): WorkspaceInfo {
  closeWorkspace(ctx);
  ctx.session = s;
  try {
    rememberRecent(ctx, { path: s.path, name: s.name, encrypted: !!s.passphrase });
  } catch (e) {
    if (!isDiskFailure(e)) throw e; // the recent list is a convenience: a full disk must not stop the opening
  }
  ctx.emit('workspace/changed', { path: s.path, name: s.name });
  return workspaceInfo(s);
}

function requireKnown(ctx: AppContext, file: string): string {
  const abs = path.resolve(file);
  const recent = readSettings(ctx).recent.map((r) => r.path);
  if (!ctx.isKnownWorkspacePath(abs, recent)) throw new AppError('path_not_allowed', 'That workspace was not chosen by the user.', '该工作区未经用户选择。');
  if (!existsSync(abs)) throw new AppError('workspace_not_found', `Workspace file not found: ${abs}`, `找不到工作区文件：${abs}`);
  return abs;
}

export function renameWorkspace(ctx: AppContext, args: { path: string; name: string }): RecentWorkspace {
  const file = requireKnown(ctx, args.path);
  const wasOpen = ctx.session?.path === file ? ctx.session : null;
  if (!wasOpen) {
    throw new AppError('open_first', 'Open the workspace before renaming it.', '请先打开该工作区再重命名。');
  }
  const target = path.join(path.dirname(file), args.name + WORKSPACE_EXT);
  if (target !== file && existsSync(target)) throw new AppError('workspace_exists', `A workspace named "${args.name}" already exists.`, `名为“${args.name}”的工作区已存在。`);
  const { passphrase } = wasOpen;
  setMeta(wasOpen.db, 'name', args.name);
  audit(wasOpen.db, 'workspace.renamed', { objectType: 'workspace', objectId: args.name, details: { from: wasOpen.name } });
  closeWorkspace(ctx);
  if (target !== file) renameSync(file, target);
  const st = readSettings(ctx);
  updateSettings(ctx, { recent: st.recent.filter((r) => r.path !== file) });
  openWorkspace(ctx, { path: target, passphrase: passphrase ?? undefined });
  return { path: target, name: args.name, encrypted: !!passphrase, exists: true, lastOpened: new Date().toISOString() };
}

export function deleteWorkspace(ctx: AppContext, args: { path: string; confirmName: string }): { deleted: string } {
  const file = requireKnown(ctx, args.path);
  const name =
    ctx.session?.path === file
      ? ctx.session.name
      : readSettings(ctx).recent.find((r) => r.path === file)?.name ?? path.basename(file, WORKSPACE_EXT);
  if (args.confirmName !== name) {
    throw new AppError('confirm_mismatch', `Type the workspace name "${name}" to confirm deletion.`, `请输入工作区名称“${name}”以确认删除。`);
  }
  if (ctx.session?.path === file) closeWorkspace(ctx);
  for (const suf of ['', '-wal', '-shm']) rmSync(file + suf, { force: true });
  const st = readSettings(ctx);
  updateSettings(ctx, { recent: st.recent.filter((r) => r.path !== file) });
  return { deleted: file };
}

/**
 * Change, set or remove the passphrase. A backup is taken first (the safety net if the re-key
 * fails); once the re-key succeeded every backup is re-keyed too, so no plaintext copy outlives
 * encryption (backups/index.ts, rekeyBackups). The answer lists what happened to the backups.
 */
export function changePassphrase(ctx: AppContext, args: { current?: string; next: string | null }): PassphraseChangeResult {
  const s = ctx.requireSession();
  if (s.passphrase && args.current !== s.passphrase) {
    throw new AppError('wrong_passphrase', 'The current passphrase is wrong.', '当前密码错误。');
  }
  // the DuckDB file beside the workspace cannot be encrypted: its rows would stay readable next to an encrypted workspace
  if (args.next && !s.passphrase) {
    const inDuck = s.db.prepare("SELECT name FROM datasets WHERE engine = 'duckdb' ORDER BY name").pluck().all() as string[];
    if (inDuck.length)
      throw new AppError(
        'engine.encrypt_with_duckdb',
        `These datasets live in the DuckDB engine's unencrypted file: ${inDuck.join(', ')}. Delete them (or re-import them without --engine duckdb) before encrypting the workspace.`,
        `以下数据集存放在 DuckDB 引擎的未加密文件中：${inDuck.join('、')}。请先删除它们（或不加 --engine duckdb 重新导入），再加密工作区。`,
        { datasets: inDuck },
      );
  }
  const previous = s.passphrase;
  backupNow(ctx, 'before passphrase change');
  const db = s.db;
  // SQLite3 Multiple Ciphers cannot rekey in WAL mode: switch to a rollback journal for the rekey.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  try {
    if (!s.passphrase && args.next) prepareToEncrypt(db);
    db.rekey(Buffer.from(args.next ?? '', 'utf8'));
  } finally {
    db.pragma('journal_mode = WAL');
  }
  s.passphrase = args.next;
  // no DuckDB dataset is left, but its file still holds copies of the identity maps (member ids, phones): gone with encryption
  if (args.next) for (const suf of ['.duckdb', '.duckdb.wal', '.duckdb.tmp']) rmSync(s.path + suf, { recursive: true, force: true });
  const backups = rekeyBackups(ctx, previous, args.next);
  audit(db, 'workspace.passphrase_changed', { objectType: 'workspace', objectId: s.name, details: { encrypted: !!args.next, backupsRekeyed: backups.rekeyed.length, backupsRemoved: backups.removed } });
  rememberRecent(ctx, { path: s.path, name: s.name, encrypted: !!args.next });
  return { ...workspaceInfo(s), backups };
}
