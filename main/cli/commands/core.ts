/** Workspace, import, catalog and query commands (the foundation and import issues). */
import path from 'node:path';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { ImportSettings } from '../../../shared/api/import';
import { createWorkspace, workspaceInfo } from '../../services/workspace';
import { listDatasets, resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';
import type { DatasetInfo } from '../../../shared/types';

function datasetJson(d: DatasetInfo) {
  const dialect = d.dialect as { delimiter?: string; header?: boolean } | null;
  return {
    datasetId: d.id,
    name: d.name,
    kind: d.kind,
    engine: d.engine ?? 'sqlite',
    source: d.sourceName,
    sha256: d.sourceSha256,
    rowsIn: d.rowsIn,
    rowsImported: d.rowCount,
    rowsQuarantined: d.quarantined,
    encoding: d.encoding,
    delimiter: dialect?.delimiter ?? null,
    header: dialect?.header ?? null,
    columns: d.columns.map((c) => ({ name: c.name, type: c.type, role: c.role, invalid: c.invalid })),
    createdAt: d.createdAt,
  };
}

const workspaceCreate: CliCommand = {
  name: 'workspace create',
  usage: 'segmint workspace create PATH [--passphrase-env VAR] [--json]',
  summary: 'Create a workspace file',
  workspace: 'none',
  async run(c) {
    const file = c.args.positional[0];
    if (!file) throw new UsageError('workspace create needs a PATH');
    const passphrase = readPassphrase(c);
    const info = createWorkspace(c.app.ctx, { name: path.basename(file).replace(/\.segmint$/i, ''), path: file, passphrase });
    c.output({ path: info.path, schemaVersion: info.schemaVersion, encrypted: info.encrypted, datasets: [] }, () => `Created ${info.path} (schema ${info.schemaVersion}${info.encrypted ? ', encrypted' : ''})`);
  },
};

const workspaceInfoCmd: CliCommand = {
  name: 'workspace info',
  usage: 'segmint workspace info --workspace PATH [--json]',
  summary: 'Show schema version, datasets and size',
  workspace: 'required',
  async run(c) {
    const s = c.app.ctx.requireSession();
    const info = workspaceInfo(s);
    const ds = listDatasets(s.db);
    c.output({ ...info, datasets: ds.map((d) => ({ id: d.id, name: d.name, rows: d.rowCount })) }, () =>
      [`${info.name}  ${info.path}`, `schema ${info.schemaVersion}, ${(info.sizeBytes / 1024).toFixed(0)} KiB${info.encrypted ? ', encrypted' : ''}`, ...ds.map((d) => `  ${d.id}\t${d.name}\t${d.rowCount} rows`)].join('\n'),
    );
  },
};

const workspacePassphrase: CliCommand = {
  name: 'workspace passphrase',
  usage: 'segmint workspace passphrase --workspace PATH [--passphrase-env CURRENT_VAR] (--new-passphrase-env VAR | --decrypt) [--json]',
  summary: 'Set, change or remove the passphrase; every backup follows the new key (plaintext ones are never left behind)',
  workspace: 'required',
  booleanFlags: ['decrypt'],
  async run(c) {
    const env = c.flag('new-passphrase-env');
    if (!env === !c.bool('decrypt')) throw new UsageError('workspace passphrase needs --new-passphrase-env VAR or --decrypt', 'workspace passphrase 需要 --new-passphrase-env VAR 或 --decrypt');
    const next = env ? process.env[env] : null;
    if (env && !next) throw new AppError('passphrase_env_empty', `Environment variable ${env} is not set.`, `环境变量 ${env} 未设置。`);
    const r = await c.call('workspace/change-passphrase', { current: readPassphrase(c), next: next ?? null });
    const b = r.backups;
    c.output({ path: r.path, encrypted: r.encrypted, backups: b }, () =>
      c.lang === 'zh'
        ? `${r.path}：${r.encrypted ? '已加密' : '未加密'}。备份：${b.rekeyed.length} 个已改用新密码，${b.removed.length} 个明文备份已删除${b.removed.length ? `（${b.removed.join('、')}）` : ''}，${b.unchanged.length} 个仍用其他密码。`
        : `${r.path}: ${r.encrypted ? 'encrypted' : 'not encrypted'}. Backups: ${b.rekeyed.length} now under the new key, ${b.removed.length} plaintext deleted${b.removed.length ? ` (${b.removed.join(', ')})` : ''}, ${b.unchanged.length} left under another key.`,
    );
  },
};

const datasetsRename: CliCommand = {
  name: 'datasets rename',
  usage: 'segmint datasets rename D NEW_NAME --workspace PATH [--json]',
  summary: 'Rename a dataset (names are unique)',
  workspace: 'required',
  async run(c) {
    const [idOrName, name] = c.args.positional;
    if (!idOrName || !name) throw new UsageError('datasets rename needs D and NEW_NAME', 'datasets rename 需要 D 和 NEW_NAME');
    const d = await c.call('datasets/rename', { id: resolveDataset(c.app.ctx.requireSession().db, idOrName).id, name });
    c.output({ datasetId: d.id, name: d.name }, () => `${d.id} → ${d.name}`);
  },
};

const datasetsDelete: CliCommand = {
  name: 'datasets delete',
  usage: 'segmint datasets delete D --confirm NAME --workspace PATH [--json]',
  summary: "Delete a dataset (--confirm takes its name, as the app asks; a backup is made first)",
  workspace: 'required',
  async run(c) {
    const [idOrName] = c.args.positional;
    const confirm = c.flag('confirm');
    if (!idOrName || confirm === undefined) throw new UsageError('datasets delete needs D and --confirm NAME', 'datasets delete 需要 D 和 --confirm 名称');
    const d = resolveDataset(c.app.ctx.requireSession().db, idOrName);
    const r = await c.call('datasets/delete', { id: d.id, confirmName: confirm });
    c.output({ deleted: r.deleted, name: d.name }, () => (c.lang === 'zh' ? `已删除 ${r.deleted}（${d.name}）` : `deleted ${r.deleted} (${d.name})`));
  },
};

export function readPassphrase(c: CliContext): string | undefined {
  const env = c.flag('passphrase-env');
  if (!env) return undefined;
  const v = process.env[env];
  if (!v) throw new AppError('passphrase_env_empty', `Environment variable ${env} is not set.`, `环境变量 ${env} 未设置。`);
  return v;
}

const importCmd: CliCommand = {
  name: 'import',
  usage: 'segmint import FILE... --workspace PATH [--name N] [--append-to D] [--engine sqlite|duckdb] [--encoding auto|NAME] [--header yes|no] [--delimiter D] [--settings S.json] [--save-settings S.json] [--json]',
  summary: 'Import CSV/TSV/TXT/XLSX files (several files with the same header are appended)',
  workspace: 'required',
  runsJob: 'import',
  async run(c) {
    const files = c.args.positional;
    if (files.length === 0) throw new UsageError('import needs at least one FILE');
    const refs = files.map((f) => ({ path: path.resolve(f) }));
    let settings: ImportSettings;
    const settingsFile = c.flag('settings');
    if (settingsFile) {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(settingsFile, 'utf8'));
      } catch (e) {
        throw new AppError('bad_settings', `Cannot read settings ${settingsFile}: ${(e as Error).message}`, `无法读取导入设置 ${settingsFile}：${(e as Error).message}`);
      }
      const { importSettingsSchema } = await import('../../../shared/api/import'); // loaded by the command that uses it (CLI start-up)
      const parsed = importSettingsSchema.safeParse(raw);
      if (!parsed.success) throw new AppError('bad_settings', `Settings file ${settingsFile} is not valid import settings.`, `导入设置文件 ${settingsFile} 无效。`);
      settings = parsed.data;
    } else {
      const enc = (c.flag('encoding') ?? 'auto') as 'auto';
      // What the user knows better than detection: whether line 1 is a header, and the delimiter.
      const header = c.flag('header');
      if (header !== undefined && header !== 'yes' && header !== 'no') throw new UsageError('--header takes yes or no');
      const delimiter = c.flag('delimiter');
      const dialect = { ...(header ? { header: header === 'yes' } : {}), ...(delimiter ? { delimiter: delimiter === '\\t' || delimiter === 'tab' ? '\t' : delimiter } : {}) };
      const inspected = await c.call('import/inspect', { files: refs, encoding: enc, previewRows: 1, ...(Object.keys(dialect).length ? { dialect } : {}) });
      for (const w of inspected.warnings) c.log(`warning: ${c.lang === 'zh' ? w.zh : w.en}`);
      settings = inspected.settings;
    }
    const name = c.flag('name') ?? path.basename(files[0]!).replace(/\.[^.]+$/, '');
    const target = c.flag('append-to') ? resolveDataset(c.app.ctx.requireSession().db, c.flag('append-to')!) : undefined;
    const appendTo = target?.id;
    // Next week's file takes the dataset's column types and roles (a small file can look different
    // to detection: an id column with no blank, a price without decimals), when its headers match.
    if (target && !settingsFile) {
      const byName = new Map(target.columns.map((col) => [col.name, col]));
      const included = settings.columns.filter((col) => col.include !== false);
      if (included.length === target.columns.length && included.every((col) => byName.has(col.name)))
        settings = { ...settings, columns: settings.columns.map((col) => (byName.has(col.name) ? { ...col, type: byName.get(col.name)!.type, role: byName.get(col.name)!.role } : col)) };
    }
    const engine = c.flag('engine');
    if (engine !== undefined && engine !== 'sqlite' && engine !== 'duckdb') throw new UsageError('--engine takes sqlite or duckdb');
    if (engine && target) throw new UsageError('--engine is for a new dataset: an append goes where the dataset lives');
    const bytes = refs.reduce((s, f) => s + (statSync(f.path, { throwIfNoEntry: false })?.size ?? 0), 0);
    const { DUCKDB_SUGGESTED_BYTES } = await import('../../../shared/api/import');
    if (!engine && !target && bytes >= DUCKDB_SUGGESTED_BYTES)
      c.log(c.lang === 'zh' ? `提示：文件共 ${Math.round(bytes / 2 ** 20)} MB；加 --engine duckdb 可把数据存入 DuckDB 引擎，客户识别、RFM、CLV 和生命周期分析会快得多。` : `note: ${Math.round(bytes / 2 ** 20)} MB of files; --engine duckdb keeps the rows in the DuckDB engine, where identity, RFM, CLV and lifecycle run much faster.`);
    const { jobId } = await c.call('import/start', { files: refs, name, settings, appendTo, ...(engine ? { engine } : {}) });
    const s = await c.jobResult('import/run', jobId);
    if (s.renamedFrom) c.log(c.lang === 'zh' ? `注意：已有数据集名为“${s.renamedFrom}”，本次导入命名为“${s.name}”。` : `note: a dataset named "${s.renamedFrom}" exists; this one is named "${s.name}".`);
    const save = c.flag('save-settings');
    if (save) writeFileSync(save, JSON.stringify(settings, null, 2));
    c.output(
      { datasetId: s.datasetId, name: s.name, ...(s.renamedFrom ? { renamedFrom: s.renamedFrom } : {}), batch: s.batch, rowsIn: s.rowsIn, rowsImported: s.rowsImported, rowsQuarantined: s.rowsQuarantined, encoding: s.encoding, delimiter: s.delimiter, header: s.header, columns: s.columns, seconds: s.seconds },
      () =>
        [
          `Imported ${s.name} as ${s.datasetId}: ${s.rowsIn} rows in = ${s.rowsImported} imported + ${s.rowsQuarantined} quarantined (${s.encoding}, delimiter ${JSON.stringify(s.delimiter)}, ${s.seconds.toFixed(1)} s)`,
          ...s.columns.map((col) => `  ${col.name}\t${col.type}${col.role ? `\t${col.role}` : ''}${col.invalid ? `\t${col.invalid} invalid` : ''}`),
        ].join('\n'),
    );
  },
};

const datasetsList: CliCommand = {
  name: 'datasets list',
  usage: 'segmint datasets list --workspace PATH [--json]',
  summary: 'List datasets',
  workspace: 'required',
  async run(c) {
    const ds = await c.call('datasets/list', {});
    c.output({ datasets: ds.map(datasetJson) }, () => ds.map((d) => `${d.id}\t${d.name}\t${d.rowCount} rows\t${d.quarantined} quarantined${d.engine === 'duckdb' ? '\tduckdb' : ''}`).join('\n') || '(no datasets)');
  },
};

const datasetsShow: CliCommand = {
  name: 'datasets show',
  usage: 'segmint datasets show D --workspace PATH [--json]',
  summary: 'Show one dataset (id or name)',
  workspace: 'required',
  async run(c) {
    const idOrName = c.args.positional[0];
    if (!idOrName) throw new UsageError('datasets show needs a dataset id or name');
    const d = resolveDataset(c.app.ctx.requireSession().db, idOrName);
    c.output(datasetJson(d), () => [`${d.id}\t${d.name}\t${d.rowCount} rows (${d.rowsIn} in, ${d.quarantined} quarantined)`, ...d.columns.map((col) => `  ${col.name}\t${col.type}\t${col.role ?? ''}\t${col.invalid} invalid`)].join('\n'));
  },
};

const query: CliCommand = {
  name: 'query',
  usage: 'segmint query --sql "SELECT …" --workspace PATH [--limit N] [--timeout SECONDS] [--out FILE] [--json]',
  summary: 'Read-only SQL over the workspace (writes are refused; stopped after --timeout, default 30 s)',
  workspace: 'required',
  async run(c) {
    const sql = c.requireFlag('sql');
    const timeout = c.flag('timeout');
    const r = await c.call('datasets/query', { sql, limit: Number(c.flag('limit') ?? 100_000), ...(timeout !== undefined ? { timeoutSeconds: Number(timeout) } : {}) });
    const out = await c.writeTable(r.columns, r.rows);
    c.output({ columns: r.columns, rows: out ? undefined : r.rows, rowCount: r.rows.length, truncated: r.truncated, out }, () =>
      out ? `${r.rows.length} rows → ${out}` : [r.columns.join('\t'), ...r.rows.slice(0, 200).map((row) => row.join('\t'))].join('\n'),
    );
  },
};

const quarantine: CliCommand = {
  name: 'quarantine',
  usage: 'segmint quarantine D --workspace PATH [--out FILE] [--json]',
  summary: 'Rows that could not be read, with line number and reason',
  workspace: 'required',
  async run(c) {
    const idOrName = c.args.positional[0];
    if (!idOrName) throw new UsageError('quarantine needs a dataset id or name');
    const d = resolveDataset(c.app.ctx.requireSession().db, idOrName);
    const page = await c.call('datasets/rows', { id: d.id, table: 'quarantine', limit: 5000 });
    const rows = page.rows.map((r) => ({ line: r[0], reason: r[1], detail: r[2], raw: r[3] }));
    const out = await c.writeTable(['line', 'reason', 'detail', 'raw'], page.rows);
    c.output({ datasetId: d.id, total: page.total, rows: out ? undefined : rows, out }, () => rows.map((r) => `line ${r.line}\t${r.reason}\t${String(r.raw).slice(0, 80)}`).join('\n') || '(nothing quarantined)');
  },
};

const auditCmd: CliCommand = {
  name: 'audit',
  usage: 'segmint audit [--action A] [--limit N] [--offset N] --workspace PATH [--json]',
  summary: 'The audit log: imports, exports, definition changes, remote queries… newest first',
  workspace: 'required',
  async run(c) {
    const action = c.flag('action');
    const r = await c.call('audit/list', { limit: Number(c.flag('limit') ?? 200), offset: Number(c.flag('offset') ?? 0), ...(action ? { action } : {}) });
    c.output(r, () => r.entries.map((e) => `${e.at}\t${e.action}\t${e.objectType ?? ''}\t${e.objectId ?? ''}\t${e.rows ?? ''}`).join('\n') || '(empty)');
  },
};

export const coreCommands: CliCommand[] = [workspaceCreate, workspaceInfoCmd, workspacePassphrase, importCmd, datasetsList, datasetsShow, datasetsRename, datasetsDelete, query, quarantine, auditCmd];
