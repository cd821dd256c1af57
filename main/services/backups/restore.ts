/** Restoring a backup: a workspace operation (close, replace the file, open) built on the backups. */
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { openDatabase } from '../../db/open';
import type { AppContext } from '../context';
import { audit } from '../audit/index';
import { closeWorkspace, openWorkspace } from '../workspace';
import { backupNow, copyDuckFiles, findBackup } from './index';

/**
 * Replace the open workspace with one of its backups. Running jobs were cancelled first (and
 * their threads awaited) by the call's `exclusive` policy, which passes their number; the
 * current state is backed up; the old WAL is only removed once the closing checkpoint has
 * emptied it, so committed rows are never thrown away.
 */
export async function restoreBackup(ctx: AppContext, backup: string, cancelledJobs: number): Promise<{ restored: string; workspace: string; cancelledJobs: number }> {
  const s = ctx.requireSession();
  const chosen = findBackup(ctx, s, backup);
  // Check the backup opens with the current key before replacing anything.
  const probe = openDatabase(chosen.path, { passphrase: s.passphrase, readonly: true, migrate: false });
  probe.close();
  backupNow(ctx, 'before restore');
  const { path: file, passphrase } = s;
  closeWorkspace(ctx);
  // A WAL that the closing checkpoint could not empty still holds committed pages another
  // connection is using: refuse rather than delete it under that connection.
  if (existsSync(file + '-wal') && statSync(file + '-wal').size > 0) {
    openWorkspace(ctx, { path: file, passphrase: passphrase ?? undefined });
    throw new AppError('workspace_busy', 'Another program is using this workspace; close it and restore again.', '另一个程序正在使用此工作区，请关闭后再恢复。');
  }
  for (const suf of ['-wal', '-shm']) rmSync(file + suf, { force: true });
  const tmp = file + '.restore-tmp';
  copyFileSync(chosen.path, tmp);
  renameSync(tmp, file);
  // the DuckDB half of the same moment (none: the backup predates the DuckDB file, whose rows the
  // 'before restore' backup just kept)
  copyDuckFiles(chosen.path, file);
  const info = openWorkspace(ctx, { path: file, passphrase: passphrase ?? undefined });
  audit(ctx.requireSession().db, 'workspace.restored', { objectType: 'backup', objectId: chosen.name, details: { cancelledJobs } });
  return { restored: chosen.name, workspace: info.path, cancelledJobs };
}
