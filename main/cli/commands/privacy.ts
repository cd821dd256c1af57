/** `segmint export` (and `segments export`) — the privacy domain: protected exports. */
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ExportColumnInfo, ExportPurpose, ProtectMode } from '../../../shared/api/privacy';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

const ALIASES: Record<string, string[]> = { id: ['customer_id', 'id_number'], mobile: ['phone'], tel: ['phone'] };

/** --mask phone,name: each word is a column name, a role or a kind of personal data. */
function pick(columns: ExportColumnInfo[], words: string[], flag: string): string[] {
  const out: string[] = [];
  for (const w of words) {
    const keys = [w, ...(ALIASES[w] ?? [])];
    const hit = columns.filter((c) => c.name === w || keys.includes(c.role ?? '') || keys.includes(c.pii ?? ''));
    if (!hit.length) {
      throw new AppError('privacy.cli_no_column', `--${flag} ${w}: no column has that name, role or kind of personal data. Columns: ${columns.map((c) => c.name).join(', ')}.`, `--${flag} ${w}：没有该名称、角色或个人信息类型的列。现有列：${columns.map((c) => c.name).join('、')}。`);
    }
    for (const c of hit) if (!out.includes(c.name)) out.push(c.name);
  }
  return out;
}

const words = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

async function runExport(c: CliContext, segment: string | undefined) {
  const out = c.flag('out');
  if (!out) throw new UsageError('export needs --out FILE');
  const format = (c.flag('format') ?? (/\.xlsx$/i.test(out) || c.flag('purpose') === 'excel' ? 'xlsx' : 'csv')) as 'csv' | 'xlsx';
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
  const encoding = (c.flag('encoding') ?? 'utf-8').toLowerCase();
  if (!['utf-8', 'utf8', 'gbk', 'gb18030'].includes(encoding)) throw new UsageError('--encoding must be utf-8, gbk or gb18030');
  const dataset = c.flag('dataset');
  if (!segment && !dataset) throw new UsageError('give a SEGMENT (id or name) or --dataset D');
  const purpose = (c.flag('purpose') ?? 'custom') as ExportPurpose;
  const { EXPORT_PURPOSES } = await import('../../../shared/api/privacy'); // loaded by the command that uses it (CLI start-up)
  if (!EXPORT_PURPOSES.includes(purpose)) throw new UsageError(`--purpose must be one of ${EXPORT_PURPOSES.join(', ')}`);
  const phoneFormat = (c.flag('phone-format') ?? 'national') as 'national' | 'e164';
  if (phoneFormat !== 'national' && phoneFormat !== 'e164') throw new UsageError('--phone-format must be national or e164');
  const base = { segmentId: segment, datasetId: dataset, suppression: !c.bool('no-suppression'), purpose, phoneFormat };
  const info = await c.call('privacy/export/preview', { ...base, sample: 1 });
  const protect: { column: string; protect: ProtectMode }[] = [];
  const add = (flag: string, mode: ProtectMode) => {
    for (const col of pick(info.columns, words(c.flag(flag)), flag)) if (!protect.some((p) => p.column === col)) protect.push({ column: col, protect: mode });
  };
  add('mask', 'mask');
  add('pseudonymize', 'pseudonym');
  add('drop', 'drop');
  const columns = c.flag('columns') ? words(c.flag('columns')) : undefined;
  const tpl = c.flag('template');
  const started = await c.call('privacy/export', {
    ...base,
    columns,
    protect: protect.filter((p) => !columns || columns.includes(p.column)),
    template: tpl ? { text: tpl, column: c.flag('message-column') ?? '短信内容' } : undefined,
    format,
    encoding: (encoding === 'utf8' ? 'utf-8' : encoding) as 'utf-8',
    path: path.resolve(out),
  });
  const r = await c.jobResult('privacy/export', started.jobId);
  c.output(
    { path: r.path, rows: r.rows, suppressed: r.suppressed, suppression: r.suppression, sha256: r.sha256, auditId: r.auditId, datasetId: r.datasetId, segment: r.segment?.name ?? null, columns: r.columns, protection: r.protection, template: r.template, purpose: r.purpose, format: r.format, invalidPhones: r.invalidPhones, duplicatePhones: r.duplicatePhones },
    () => [`${r.rows} rows → ${r.path} (${r.purpose})`, `suppressed: ${r.suppressed} (${r.suppression})`, ...(r.purpose === 'gateway' ? [`left out: ${r.invalidPhones} invalid phones, ${r.duplicatePhones} repeated phones`] : []), `protection: ${r.protection.map((p) => `${p.column}=${p.protect}`).join(', ') || 'none'}`, `sha256 ${r.sha256}`].join('\n'),
  );
}

const USAGE_EXPORT = 'SEGMENT [--purpose gateway|agency|excel|custom] [--phone-format national|e164] [--dataset D] [--columns a,b] [--mask phone,name] [--pseudonymize id] [--drop email] [--template T] [--message-column C] [--no-suppression] [--format csv|xlsx] [--encoding utf-8|gbk|gb18030] --out FILE --workspace PATH [--json]';

const exportCmd: CliCommand = {
  name: 'export',
  usage: `segmint export ${USAGE_EXPORT}`,
  summary: 'Export a segment (or --dataset) with masks/pseudonyms, a message template and the suppression list',
  workspace: 'required',
  runsJob: 'privacy',
  booleanFlags: ['no-suppression'],
  run: (c) => runExport(c, c.args.positional[0]),
};

const segmentsExport: CliCommand = { ...exportCmd, name: 'segments export', usage: `segmint segments export ${USAGE_EXPORT}`, summary: 'Same as segmint export' };

export const privacyCommands: CliCommand[] = [exportCmd, segmentsExport];
