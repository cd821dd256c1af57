/**
 * Backups of the open workspace, on request and automatically before destructive operations.
 * The copy itself is main/services/workspace.ts: SQLite's online backup API for a plain
 * workspace (better-sqlite3 `db.backup`), `VACUUM INTO` for an encrypted one (the online API
 * refuses an encrypted source with a plain target; VACUUM INTO keeps the key, so a backup never
 * holds plaintext). Backups live in `<data>/backups/<workspace>/`, newest first; retention (in
 * Settings, default 10) keeps the newest N.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import type { BackupInfo } from '../../../shared/types';
import type { AppContext } from '../context';
import { audit } from '../audit';
import { readSettings, updateSettings } from '../settings';
import { backupWorkspace, backupWorkspaceAsync, listBackups, restoreWorkspace, WORKSPACE_EXT } from '../workspace';

/**
 * A backup taken right before a destructive operation (dataset deletion, merges). Others call
 * this: `backupBefore(ctx, 'delete dataset ds_3')`. Synchronous (VACUUM INTO), so it can run
 * inside one handler before the change; returns null when no workspace is open.
 */
export function backupBefore(ctx: AppContext, reason: string): BackupInfo | null {
  if (!ctx.session) return null;
  return backupWorkspace(ctx, `before ${reason}`);
}

export function createBackup(ctx: AppContext, reason: string): Promise<BackupInfo> {
  return backupWorkspaceAsync(ctx, reason);
}

export function backupList(ctx: AppContext): { backups: BackupInfo[]; retention: number; dir: string } {
  const s = ctx.requireSession();
  return { backups: listBackups(ctx), retention: readSettings(ctx).backupRetention, dir: path.join(ctx.backupsDir, path.basename(s.path, WORKSPACE_EXT)) };
}

/** Replace the open workspace with a backup: closes it, copies the backup over, reopens it. */
export function restoreBackup(ctx: AppContext, backup: string): { restored: string; workspace: string } {
  const info = restoreWorkspace(ctx, { backup });
  return { restored: path.basename(backup), workspace: info.path };
}

/** Set the retention and prune the older backups of the open workspace now. */
export function setRetention(ctx: AppContext, keep: number): { retention: number; removed: string[] } {
  updateSettings(ctx, { backupRetention: keep });
  const removed: string[] = [];
  if (ctx.session) {
    for (const b of listBackups(ctx).slice(keep)) {
      rmSync(b.path, { force: true });
      removed.push(b.name);
    }
    if (removed.length) audit(ctx.session.db, 'backup.pruned', { objectType: 'workspace', objectId: ctx.session.name, rows: removed.length, details: { retention: keep, removed } });
  }
  return { retention: keep, removed };
}
