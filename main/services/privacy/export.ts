/**
 * Protected exports of a segment (or a dataset): per-column keep / mask / pseudonym / drop, an
 * optional message template rendered per row, the suppression list applied by default, written
 * atomically (main/export/write.ts) and recorded in the audit log with the file's SHA-256.
 *
 * Template fields see the same protection as their columns, so a message can never reveal what
 * the column protection hides: a masked 姓名 renders as 张*, a pseudonymised column as its token,
 * a dropped column as empty (its fallback). Columns that are not exported and not protected are
 * rendered as they are (the preview shows exactly what will be written).
 *
 * A purpose (shared/api/privacy.ts EXPORT_PURPOSES) fixes what the file may hold: a gateway send
 * list is the phone and the message from real values (the message goes to that person) and
 * nothing else; an agency list protects every personal column and carries no message; an Excel
 * file is an xlsx workbook.
 */
import { AppError } from '../../../shared/errors';
import type { ExportColumnInfo, ExportPreview, ExportPurpose, ExportResult, ProtectKind, ProtectMode, RenderedSample, TemplateCheck } from '../../../shared/api/privacy';
import { parsePhone } from '../../kernel/values';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { queriesWhereTheDataIs } from '../datasets';
import { compileTemplate, renderTemplate, validateTemplate, type CompiledTemplate } from '../../export/template';
import { createRowProtector, writeTable, type ColumnProtection, type CsvEncoding, type RowProtector } from '../../export/write';
import { detectPiiKind, type MaskKind } from '../../privacy/masks';
import type { JobContext } from '../../jobs/types';
import { audit } from '../audit/index';
import { resolveSource, sourceRows, suppressionFilter, type ResolvedSource } from './source';
import { existingSecret, workspaceSecret } from './secret';

export interface ExportSpec {
  segmentId?: string;
  datasetId?: string;
  columns?: string[];
  protect: { column: string; protect: ProtectMode; kind?: ProtectKind }[];
  template?: { text: string; column: string };
  suppression: boolean;
  purpose?: ExportPurpose;
  phoneFormat?: 'national' | 'e164';
}

const SUGGEST: Record<string, ProtectMode> = { phone: 'mask', name: 'mask', email: 'mask', id_number: 'mask', address: 'mask' };

/** Columns of the source with their detected kind of personal data (from 50 values of each) and a suggested protection. */
export async function columnInfo(db: DB, info: DatasetInfo): Promise<ExportColumnInfo[]> {
  const samples = await queriesWhereTheDataIs(db, info, info.columns.map((c) => ({ sql: `SELECT ${qid(c.name)} FROM ${qid(info.id)} WHERE ${qid(c.name)} IS NOT NULL ORDER BY _row LIMIT 50` })));
  return info.columns.map((c, j) => {
    const pii = detectPiiKind(c.name, c.role, samples[j]!.map((r) => r[0]));
    return { name: c.name, type: c.type, role: c.role, pii, suggested: pii ? SUGGEST[pii] ?? 'keep' : 'keep' };
  });
}

export interface ExportPlan {
  src: ResolvedSource;
  columnInfo: ExportColumnInfo[];
  columns: string[];
  protect: ColumnProtection[];
  template: CompiledTemplate | null;
  messageColumn: string | null;
  /** Template field values as the message will see them. */
  fieldValues: ((row: Record<string, unknown>) => Record<string, unknown>) | null;
  writeColumns: string[];
  /** Columns after protection (dropped ones left out), message last. */
  header: string[];
  protector: RowProtector;
  purpose: ExportPurpose;
  /** Neutralise spreadsheet formula triggers (not for a gateway: a machine reads the file, and a "'" would be sent). */
  sanitize: boolean;
  bom: boolean;
  /** Gateway send lists: the phone column and how it is written. */
  gateway: { column: string; format: 'national' | 'e164' } | null;
}

const list = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');
const listZh = (xs: string[]) => xs.map((x) => `“${x}”`).join('、');

/**
 * Check everything about an export before a byte is written; throws AppErrors with zh/en text.
 * `candidates`: also list the other datasets holding the segment's members (the dialog's choice);
 * the job, which gets the dataset the call resolved, skips that scan.
 */
export async function planExport(db: DB, given: ExportSpec & { keyColumn?: string }, secret: Uint8Array | null, opts: { candidates?: boolean } = {}): Promise<ExportPlan> {
  const src = await resolveSource(db, given, opts.candidates ?? true);
  const all = src.info.columns.map((c) => c.name);
  const purpose = given.purpose ?? 'custom';
  const info = await columnInfo(db, src.info);
  const spec = purposeSpec(src.info, info, given, purpose);
  const columns = spec.columns?.length ? spec.columns : all;
  const unknown = [...new Set([...columns, ...spec.protect.map((p) => p.column)])].filter((c) => !all.includes(c));
  if (unknown.length) {
    throw new AppError('privacy.unknown_columns', `Dataset "${src.info.name}" has no column ${list(unknown)}. Its columns: ${list(all)}.`, `数据集“${src.info.name}”没有列 ${listZh(unknown)}。现有列：${listZh(all)}。`, { unknown, columns: all });
  }
  const dup = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dup.length) throw new AppError('privacy.duplicate_columns', `Column ${list(dup)} is listed twice.`, `列 ${listZh(dup)} 重复。`, { duplicate: dup });
  const kindOf = (column: string, given?: ProtectKind): MaskKind => given ?? (info.find((c) => c.name === column)?.pii as MaskKind | null) ?? 'generic';
  const byColumn = new Map(spec.protect.map((p) => [p.column, p]));
  const protectAll: ColumnProtection[] = [...byColumn.values()].map((p) => ({ column: p.column, protect: p.protect, kind: kindOf(p.column, p.kind) }));
  if (!secret && protectAll.some((p) => p.protect === 'pseudonym')) throw new AppError('privacy.no_secret', 'The workspace has no pseudonym secret yet.', '工作区尚无假名密钥。');

  let template: CompiledTemplate | null = null;
  let messageColumn: string | null = null;
  let fieldValues: ExportPlan['fieldValues'] = null;
  if (spec.template) {
    const v = validateTemplate(spec.template.text, all);
    if (!v.ok) {
      const unknownFields = v.unknownFields;
      const head = unknownFields.length
        ? [`The template uses ${unknownFields.length === 1 ? 'a field that is' : 'fields that are'} not a column of "${src.info.name}": ${unknownFields.map((f) => `{${f}}`).join(', ')}.`, `模板中的字段 ${unknownFields.map((f) => `{${f}}`).join('、')} 不是“${src.info.name}”的列。`]
        : ['The message template has errors.', '短信模板有误。'];
      const rest = v.errors.filter((e) => e.code !== 'template.unknown_field');
      throw new AppError('privacy.template_invalid', [head[0], ...rest.map((e) => e.en), `Columns: ${all.join(', ')}.`].join(' '), [head[1], ...rest.map((e) => e.zh), `可用列：${all.join('、')}。`].join(''), { unknownFields, errors: v.errors, columns: all });
    }
    template = compileTemplate(spec.template.text);
    messageColumn = spec.template.column;
    if (columns.includes(messageColumn)) {
      throw new AppError('privacy.message_column_exists', `The message column "${messageColumn}" is already a column of the export; choose another name.`, `短信列名“${messageColumn}”与导出中的列重名，请换一个名称。`, { column: messageColumn });
    }
    const fields = template.fields;
    // a gateway message goes to the person it names: rendered from the real values
    if (purpose === 'gateway') fieldValues = (row) => row;
    const dropped = new Set(fields.filter((f) => byColumn.get(f)?.protect === 'drop'));
    const shown = fields.filter((f) => !dropped.has(f));
    const fp = createRowProtector(shown, protectAll.filter((p) => shown.includes(p.column) && p.protect !== 'keep'), { secret: secret ?? undefined });
    fieldValues ??= (row) => {
      const vals = fp.apply(row);
      const out: Record<string, unknown> = {};
      shown.forEach((f, i) => (out[f] = vals[i]));
      for (const f of dropped) out[f] = null;
      return out;
    };
  }
  const writeColumns = messageColumn ? [...columns, messageColumn] : columns;
  const writeProtect = protectAll.filter((p) => columns.includes(p.column));
  const protector = createRowProtector(writeColumns, writeProtect, { secret: secret ?? undefined });
  const gateway = purpose === 'gateway' ? { column: columns[0]!, format: given.phoneFormat ?? 'national' } : null;
  return { src, columnInfo: info, columns, protect: writeProtect, template, messageColumn, fieldValues, writeColumns, header: protector.header, protector, purpose, sanitize: purpose !== 'gateway', bom: purpose !== 'gateway', gateway };
}

/** The spec a purpose allows (or a clear refusal): see EXPORT_PURPOSES. */
function purposeSpec(info: DatasetInfo, columnInfo: ExportColumnInfo[], spec: ExportSpec, purpose: ExportPurpose): ExportSpec {
  if (purpose === 'gateway') {
    const phone = info.columns.find((c) => c.role === 'phone')?.name ?? columnInfo.find((c) => c.pii === 'phone')?.name;
    if (!phone) throw new AppError('privacy.gateway_no_phone', `A send list needs a phone column, and "${info.name}" has none (give a column the phone role on the Data screen).`, `发送名单需要手机号列，“${info.name}”没有（可在“数据”页把某列的角色设为手机号）。`, { dataset: info.id });
    if (!spec.suppression) throw new AppError('privacy.gateway_needs_suppression', 'A send list always leaves out the suppression list (people who unsubscribed); it cannot be switched off.', '发送名单总是排除退订名单中的号码，不能关闭。');
    const other = (spec.columns ?? []).filter((c) => c !== phone);
    if (other.length) throw new AppError('privacy.gateway_columns', `A send list holds the phone and the message only; ${list(other)} would be sent to the gateway. Put them in the message with {column} instead.`, `发送名单只包含手机号和短信内容，${listZh(other)} 会被发给网关；请用 {列名} 写进短信。`, { columns: other });
    return { ...spec, columns: [phone], protect: [] };
  }
  if (purpose === 'agency') {
    if (spec.template) throw new AppError('privacy.agency_no_message', 'A list shared with an agency carries no message (the message is rendered from personal values); export a send list for that.', '提供给外部机构的名单不带短信内容（短信由个人信息生成）；发送短信请导出发送名单。');
    const cols = spec.columns?.length ? spec.columns : info.columns.map((c) => c.name);
    // personal: detected kinds (phone, name, e-mail, id number, address) and a birthday (dropped: no mask keeps a date useful and safe)
    const personal = columnInfo.filter((c) => (c.pii || c.role === 'birthday') && cols.includes(c.name));
    const chosen = new Map(spec.protect.map((p) => [p.column, p]));
    const kept = personal.filter((c) => chosen.get(c.name)?.protect === 'keep').map((c) => c.name);
    if (kept.length) throw new AppError('privacy.agency_keeps_personal', `A list shared with an agency cannot keep ${list(kept)} as they are: mask, pseudonymise or drop them.`, `提供给外部机构的名单不能保留 ${listZh(kept)} 的原值：请脱敏、假名化或删除。`, { columns: kept });
    const protect = [...spec.protect, ...personal.filter((c) => !chosen.has(c.name)).map((c) => ({ column: c.name, protect: c.pii ? ('mask' as const) : ('drop' as const) }))];
    return { ...spec, columns: cols, protect };
  }
  return spec;
}

/**
 * The rows an export writes, in order: suppressed phones left out (counted), for a send list the
 * phone written the gateway's way and each phone once (invalid and repeated ones counted), and the
 * rendered message added. Shared by the preview and the job, so both count the same.
 */
async function* exportRows(db: DB, plan: ExportPlan, sup: ReturnType<typeof suppressionFilter>, seen: ExportCounts, onMessage?: (r: ReturnType<typeof rendered>) => void): AsyncGenerator<Record<string, unknown>> {
  const phones = new Set<string>();
  for await (const row of sourceRows(db, plan.src)) {
    seen.total++;
    if (sup.isSuppressed(row)) {
      seen.suppressed++;
      continue;
    }
    let out = row;
    if (plan.gateway) {
      const e164 = parsePhone(String(row[plan.gateway.column] ?? '').trim());
      if (!e164) {
        seen.invalidPhones++;
        continue;
      }
      if (phones.has(e164)) {
        seen.duplicatePhones++;
        continue;
      }
      phones.add(e164);
      out = { ...row, [plan.gateway.column]: plan.gateway.format === 'national' && /^\+861\d{10}$/.test(e164) ? e164.slice(3) : e164 };
    }
    if (plan.template) {
      const r = rendered(plan, out);
      onMessage?.(r);
      out = { ...out, [plan.messageColumn!]: r.text };
    }
    yield out;
  }
}

interface ExportCounts {
  total: number;
  suppressed: number;
  invalidPhones: number;
  duplicatePhones: number;
}
const noCounts = (): ExportCounts => ({ total: 0, suppressed: 0, invalidPhones: 0, duplicatePhones: 0 });

function rendered(plan: ExportPlan, row: Record<string, unknown>) {
  return renderTemplate(plan.template!, plan.fieldValues!(row));
}

const sampleOf = (r: ReturnType<typeof rendered>): RenderedSample => ({
  text: r.text,
  encoding: r.segments.encoding,
  chars: r.segments.chars,
  segments: r.segments.segments,
  spillover: r.spillover,
  extraSegments: r.extraSegments,
  usedFallback: r.usedFallback,
  missing: r.missing,
});

/** What the export would write: counts, suppression, protected sample rows, rendered messages. */
export async function previewExport(db: DB, spec: ExportSpec & { sample: number }): Promise<ExportPreview> {
  const secret = workspaceSecret(db);
  const plan = await planExport(db, spec, secret);
  const sup = suppressionFilter(db, plan.src, spec.suppression);
  const counts = noCounts();
  let rows = 0;
  const sample: unknown[][] = [];
  const messages: RenderedSample[] = [];
  const tpl = { spillover: 0, totalSegments: 0, maxSegments: 0 };
  const onMessage = (r: ReturnType<typeof rendered>) => {
    tpl.spillover += r.spillover ? 1 : 0;
    tpl.totalSegments += r.segments.segments;
    tpl.maxSegments = Math.max(tpl.maxSegments, r.segments.segments);
    if (messages.length < spec.sample) messages.push(sampleOf(r));
  };
  for await (const full of exportRows(db, plan, sup, counts, onMessage)) {
    rows++;
    if (sample.length < spec.sample) sample.push(plan.protector.apply(full));
  }
  let template: TemplateCheck | null = null;
  if (plan.template) {
    const b = plan.template.baseline;
    template = { ok: true, errors: [], fields: plan.template.fields, unknownFields: [], baseline: { encoding: b.encoding, segments: b.segments, chars: b.chars }, ...tpl };
  }
  const { info: _info, keyed: _keyed, ...src } = plan.src;
  return { ...src, columns: plan.columnInfo, total: counts.total, suppressed: counts.suppressed, suppression: sup.state, rows, header: plan.header, sample, messages, template, purpose: plan.purpose, invalidPhones: counts.invalidPhones, duplicatePhones: counts.duplicatePhones };
}

export interface ExportJobArgs extends ExportSpec {
  /** The column the request matched the segment's members on (the job does not search for it again). */
  keyColumn?: string;
  path: string;
  fileName: string;
  downloadId: string | null;
  format: 'csv' | 'xlsx';
  encoding: CsvEncoding;
}

/** The export job (worker thread, one transaction): write the file, then the audit entry. */
export async function exportJob(job: JobContext, a: ExportJobArgs): Promise<ExportResult> {
  const db = job.db;
  const secret = existingSecret(db) ?? workspaceSecret(db);
  const plan = await planExport(db, a, secret, { candidates: false });
  const sup = suppressionFilter(db, plan.src, a.suppression);
  job.progress(0, plan.src.segment ? plan.src.segment.size : plan.src.info.rowCount, 'export');
  const counts = noCounts();
  const tpl = { spillover: 0, totalSegments: 0 };
  const rows = exportRows(db, plan, sup, counts, (r) => {
    tpl.spillover += r.spillover ? 1 : 0;
    tpl.totalSegments += r.segments.segments;
  });
  const w = await writeTable({
    path: a.path,
    columns: plan.writeColumns,
    rows,
    sanitize: plan.sanitize,
    bom: plan.bom,
    protect: plan.protect,
    secret,
    format: a.format,
    encoding: a.encoding,
    sheetName: plan.src.segment?.name ?? plan.src.info.name,
    checkCancel: job.checkCancel,
    onProgress: (n) => job.progress(n, Math.max(n, plan.src.segment?.size ?? plan.src.info.rowCount), 'export'),
  });
  const protection = plan.protect.filter((p) => p.protect !== 'keep').map((p) => ({ column: p.column, protect: p.protect, kind: p.protect === 'drop' ? null : (p.kind ?? null) }));
  const template = plan.template ? { column: plan.messageColumn!, spillover: tpl.spillover, totalSegments: tpl.totalSegments } : null;
  const auditId = audit(db, 'export', {
    objectType: plan.src.segment ? 'segment' : 'dataset',
    objectId: plan.src.segment?.id ?? plan.src.info.id,
    rows: w.rows,
    details: {
      file: a.fileName,
      path: a.downloadId ? null : w.path,
      download: !!a.downloadId,
      format: w.format,
      encoding: w.encoding,
      dataset: plan.src.info.id,
      datasetName: plan.src.info.name,
      segment: plan.src.segment?.name ?? null,
      columns: w.columns,
      protection,
      suppression: sup.state,
      suppressed: counts.suppressed,
      purpose: plan.purpose,
      invalidPhones: counts.invalidPhones,
      duplicatePhones: counts.duplicatePhones,
      template: plan.template ? { column: plan.messageColumn, text: plan.template.source, spillover: tpl.spillover } : null,
      bytes: w.bytes,
      sha256: w.sha256,
    },
  });
  return {
    path: w.path,
    fileName: a.fileName,
    downloadId: a.downloadId,
    datasetId: plan.src.info.id,
    segment: plan.src.segment,
    rows: w.rows,
    suppressed: counts.suppressed,
    suppression: sup.state,
    columns: w.columns,
    protection,
    template,
    format: w.format,
    encoding: w.encoding,
    bytes: w.bytes,
    sha256: w.sha256,
    auditId,
    purpose: plan.purpose,
    invalidPhones: counts.invalidPhones,
    duplicatePhones: counts.duplicatePhones,
  };
}
