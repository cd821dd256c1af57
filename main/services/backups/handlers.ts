import type { DomainHandlers } from '../../rpc/dispatch';
import type { backupsSchemas } from '../../../shared/api/backups';
import { backupList, createBackup, setRetention } from '.';
import { restoreBackup } from './restore';

export const backupsHandlers: DomainHandlers<typeof backupsSchemas> = {
  'backups/create': (a, ctx) => createBackup(ctx, a.reason),
  'backups/list': (_a, ctx) => backupList(ctx),
  'backups/restore': (a, ctx, call) => restoreBackup(ctx, a.backup, call?.cancelledJobs ?? 0),
  'backups/retention': (a, ctx) => setRetention(ctx, a.keep),
};
