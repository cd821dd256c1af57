import { z } from 'zod';
import type { RecentWorkspace, WorkspaceInfo } from '../types';
import { everyCall } from './policy';
import { safeName } from './files';

/** A workspace is one SQLite file with this extension (its backups too). */
export const WORKSPACE_EXT = '.segmint';

/** What a passphrase change did to the workspace's backups (all of them follow the new key). */
export interface BackupRekeyReport {
  /** Backups now under the new key (or plain, if the passphrase was removed). */
  rekeyed: string[];
  /** Backups deleted because they would have stayed plaintext beside an encrypted workspace. */
  removed: string[];
  /** Backups under some other key, left as they were (never plaintext when encrypted). */
  unchanged: string[];
}
export type PassphraseChangeResult = WorkspaceInfo & { backups: BackupRekeyReport };

const wsPath = z.string().min(1).max(4096);
const passphrase = z.string().min(1).max(1024);
const name = safeName(120, 'name');

export const workspaceSchemas = {
  'workspace/list': z.object({}).strict(),
  'workspace/current': z.object({}).strict(),
  'workspace/create': z.object({ name, passphrase: passphrase.optional() }).strict(),
  'workspace/open': z.object({ path: wsPath, passphrase: passphrase.optional() }).strict(),
  'workspace/close': z.object({}).strict(),
  'workspace/rename': z.object({ path: wsPath, name }).strict(),
  'workspace/delete': z.object({ path: wsPath, confirmName: z.string() }).strict(),
  'workspace/change-passphrase': z
    .object({ current: passphrase.optional(), next: passphrase.nullable() })
    .strict(),
};

export type WorkspaceResults = {
  'workspace/list': { recent: RecentWorkspace[]; workspacesDir: string };
  'workspace/current': WorkspaceInfo | null;
  'workspace/create': WorkspaceInfo;
  'workspace/open': WorkspaceInfo;
  'workspace/close': { closed: boolean };
  'workspace/rename': RecentWorkspace;
  'workspace/delete': { deleted: string };
  'workspace/change-passphrase': PassphraseChangeResult;
};

/** Workspace calls answer with metadata (names, paths) and are not masked. */
export const workspacePolicies = everyCall(workspaceSchemas, { mask: 'none' }, {
  'workspace/close': { exclusive: true },
});
