/** `segmint backup create|list|restore` — the backups domain. */
import { UsageError } from '../args';
import type { CliCommand } from '../context';

const backupCreate: CliCommand = {
  name: 'backup create',
  usage: 'segmint backup create [--reason TEXT] --workspace PATH [--json]',
  summary: 'Back up the workspace (online backup; encrypted workspaces stay encrypted)',
  workspace: 'required',
  async run(c) {
    const b = await c.call('backups/create', { reason: c.flag('reason') ?? 'manual' });
    c.output({ ...b }, () => `backup → ${b.path}`);
  },
};

const backupList: CliCommand = {
  name: 'backup list',
  usage: 'segmint backup list --workspace PATH [--json]',
  summary: 'Backups of the workspace, newest first',
  workspace: 'required',
  async run(c) {
    const l = await c.call('backups/list', {});
    c.output({ ...l }, () => [`${l.backups.length} backups in ${l.dir} (keeping ${l.retention})`, ...l.backups.map((b) => `${b.name}\t${b.sizeBytes}\t${b.reason}`)].join('\n'));
  },
};

const backupRestore: CliCommand = {
  name: 'backup restore',
  usage: 'segmint backup restore NAME|PATH --workspace PATH [--json]',
  summary: 'Replace the workspace with one of its backups (the current state is backed up first)',
  workspace: 'required',
  async run(c) {
    const name = c.args.positional[0];
    if (!name) throw new UsageError('backup restore needs the backup name or path (see segmint backup list)');
    const r = await c.call('backups/restore', { backup: name });
    c.output({ ...r }, () => `restored ${r.restored} → ${r.workspace}`);
  },
};

export const backupsCommands: CliCommand[] = [backupCreate, backupList, backupRestore];
