/** Contract of the backups domain: copies of the workspace (also taken automatically before destructive calls, see policy.ts), restore and retention. */
import { z } from 'zod';
import type { BackupInfo } from '../types';
import { declarePolicies } from './policy';

export const backupsSchemas = {
  'backups/create': z.object({ reason: z.string().max(200).default('manual') }).strict(),
  'backups/list': z.object({}).strict(),
  'backups/restore': z.object({ backup: z.string().min(1).max(4096) }).strict(),
  /** Set how many backups to keep per workspace and prune the older ones now. */
  'backups/retention': z.object({ keep: z.number().int().min(1).max(100) }).strict(),
};

export type BackupsResults = {
  'backups/create': BackupInfo;
  'backups/list': { backups: BackupInfo[]; retention: number; dir: string };
  /** Running jobs are cancelled first (cancelledJobs says how many). */
  'backups/restore': { restored: string; workspace: string; cancelledJobs: number };
  'backups/retention': { retention: number; removed: string[] };
};

export const backupsPolicies = declarePolicies(backupsSchemas, {
  'backups/restore': { exclusive: true },
});
