/** `segmint columns list|set` — see and fix what the importer guessed: roles and types, after import. */
import { UsageError } from '../args';
import type { CliCommand } from '../context';
import { COLUMN_TYPES, ROLES, type ColumnType, type Role } from '../../../shared/types';

const list: CliCommand = {
  name: 'columns list',
  usage: 'segmint columns list --dataset D --workspace PATH [--json]',
  summary: 'The columns of a dataset with their type, role and invalid cells',
  workspace: 'required',
  async run(c) {
    const d = await c.call('datasets/get', { id: c.dataset() });
    c.output({ datasetId: d.id, columns: d.columns }, () => d.columns.map((col) => `${col.name}\t${col.type}\t${col.role ?? '-'}${col.invalid ? `\t${col.invalid} invalid` : ''}`).join('\n'));
  },
};

const set: CliCommand = {
  name: 'columns set',
  usage: `segmint columns set --dataset D --column C [--role ${'R|none'}] [--type T] --workspace PATH [--json]   (roles: ${ROLES.join(', ')}; types: ${COLUMN_TYPES.join(', ')})`,
  summary: 'Change a column\'s role or type after import (re-read from the raw values; audited; earlier results become stale)',
  workspace: 'required',
  runsJob: 'columns',
  async run(c) {
    const roleFlag = c.flag('role');
    const typeFlag = c.flag('type');
    if (roleFlag === undefined && typeFlag === undefined) throw new UsageError('columns set needs --role or --type');
    const role = roleFlag === undefined ? undefined : roleFlag === 'none' ? null : (roleFlag as Role);
    if (role && !ROLES.includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')} or none`);
    if (typeFlag !== undefined && !COLUMN_TYPES.includes(typeFlag as ColumnType)) throw new UsageError(`--type is one of ${COLUMN_TYPES.join(', ')}`);
    const { jobId } = await c.call('columns/set', { datasetId: c.dataset(), column: c.requireFlag('column'), ...(role !== undefined && { role }), ...(typeFlag !== undefined && { type: typeFlag as ColumnType }) });
    const r = await c.jobResult('columns/set', jobId);
    c.output({ ...r }, () => `${r.column.name}: ${r.before.type}/${r.before.role ?? '-'} → ${r.column.type}/${r.column.role ?? '-'}${r.retyped ? ` (${r.retyped} cells re-read, ${r.invalid} do not fit)` : ''}; results made before are stale (revision ${r.revision})`);
  },
};

export const columnsCommands: CliCommand[] = [list, set];
