/**
 * First look at a file for the wizard: encoding, dialect, header, a preview grid and per-column
 * type/role suggestions, all from a sample at the head of the file. Cheap enough for a call.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { DialectSettings, EncodingName, ImportSettings, InspectColumn, InspectResult } from '../../../shared/api/import';
import { createDecoder, detectEncoding } from '../../import/encoding';
import { detectDialect, type Dialect } from '../../import/dialect';
import { createRowReader } from '../../import/reader';
import { inferColumn, uniqueHeaders } from '../../import/types';
import { suggestRoles } from '../../import/roles';
import { listXlsxSheets, readXlsxRows } from '../../import/xlsx';
import { looksBinary } from '../../import/encoding';
import type { SourceFile } from './files';

export const SAMPLE_BYTES = 512 * 1024;
const INFER_ROWS = 5000;

export function readHead(file: string, bytes = SAMPLE_BYTES): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export const MAX_COLUMNS = 1999; // SQLite's default limit is 2000 columns per table, one is _row

interface Sampled {
  header: string[];
  rows: string[][];
  encoding: EncodingName;
  encodingDetected: InspectResult['encodingDetected'];
  dialect: DialectSettings;
  dialectConfidence: number;
  sheets: string[] | null;
}

async function sampleXlsx(f: SourceFile, sheet: string | number | undefined, header: boolean): Promise<Sampled> {
  const sheets = await listXlsxSheets(f.path);
  const rows: string[][] = [];
  for await (const r of readXlsxRows(f.path, sheet ?? 0)) {
    rows.push(r);
    if (rows.length > INFER_ROWS) break;
  }
  const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const head = header ? (rows.shift() ?? []) : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  return {
    header: uniqueHeaders(Array.from({ length: Math.max(width, head.length) }, (_, i) => head[i] ?? '')),
    rows: rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')),
    encoding: 'utf-8',
    encodingDetected: { encoding: 'utf-8', confidence: 1, reason: 'xlsx (Unicode)' },
    dialect: { delimiter: ',', quote: '"', header, lineEnding: '\n', skipLines: 0 },
    dialectConfidence: 1,
    sheets,
  };
}

function sampleText(f: SourceFile, encoding: EncodingName | 'auto', dialectOverride?: Partial<DialectSettings>): Sampled {
  const head = readHead(f.path);
  if (head.length === 0) throw new AppError('empty_file', `The file "${f.name}" is empty.`, `文件“${f.name}”是空的。`);
  const guess = detectEncoding(head);
  if (encoding === 'auto' && looksBinary(head)) {
    throw new AppError('binary_file', `"${f.name}" looks like a binary file, not text (CSV/TSV) — was it renamed?`, `“${f.name}”看起来是二进制文件而不是文本（CSV/TSV），是否被改过扩展名？`);
  }
  const enc: EncodingName = encoding === 'auto' ? guess.encoding : encoding;
  const dec = createDecoder(enc);
  let text = dec.decode(head);
  if (head.length < SAMPLE_BYTES) text += dec.end();
  else {
    // Drop the partial last line of the sample.
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut > 0) text = text.slice(0, cut + 1);
    else firstLineTooLong(f.name, text);
  }
  const detected = detectDialect(text);
  const dialect: DialectSettings = {
    delimiter: dialectOverride?.delimiter ?? detected.delimiter,
    quote: dialectOverride?.quote !== undefined ? dialectOverride.quote : detected.quote,
    header: dialectOverride?.header ?? detected.header,
    lineEnding: dialectOverride?.lineEnding ?? detected.lineEnding,
    skipLines: dialectOverride?.skipLines ?? detected.skipLines,
    ...((dialectOverride?.skipInitialSpace ?? detected.skipInitialSpace) ? { skipInitialSpace: true } : {}),
    ...((dialectOverride?.trailingDelimiter ?? detected.trailingDelimiter) ? { trailingDelimiter: true } : {}),
  };
  let header: string[] | null = null;
  const rows: string[][] = [];
  const reader = createRowReader(dialect as Dialect, {
    onHeader: (names) => (header = names),
    onRow: (fields) => {
      if (rows.length < INFER_ROWS) rows.push(fields);
    },
    onQuarantine: () => {},
  });
  reader.push(text);
  if (head.length < SAMPLE_BYTES) reader.end();
  const width = Math.max(header ? (header as string[]).length : 0, ...rows.slice(0, 50).map((r) => r.length), 0);
  const names = header ?? Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  return {
    header: uniqueHeaders(names),
    rows,
    encoding: enc,
    encodingDetected: { encoding: guess.encoding, confidence: guess.confidence, reason: guess.reason },
    dialect,
    dialectConfidence: detected.confidence,
    sheets: null,
  };
}

/** The sample holds no whole line: a header wider than any table, or one enormous line. */
function firstLineTooLong(name: string, text: string): never {
  let fields = 0;
  for (const d of [',', '\t', ';', '|']) fields = Math.max(fields, text.split(d).length);
  if (fields > MAX_COLUMNS) {
    throw new AppError('too_many_columns', `"${name}" has more than ${fields.toLocaleString('en-US')} columns in its first line; Segmint stores at most ${MAX_COLUMNS} per dataset.`, `“${name}”第一行就有超过 ${fields} 列，Segmint 每个数据集最多支持 ${MAX_COLUMNS} 列。`, { columns: fields, limit: MAX_COLUMNS });
  }
  throw new AppError('line_too_long', `The first line of "${name}" is longer than ${SAMPLE_BYTES / 1024} KiB: this does not look like a table (CSV/TSV) file.`, `“${name}”的第一行超过 ${SAMPLE_BYTES / 1024} KiB，看起来不是表格（CSV/TSV）文件。`);
}

export async function inspectFiles(
  files: SourceFile[],
  opts: { encoding: EncodingName | 'auto'; dialect?: Partial<DialectSettings>; sheet?: string | number; previewRows: number },
): Promise<InspectResult> {
  const first = files[0]!;
  const s = first.kind === 'xlsx' ? await sampleXlsx(first, opts.sheet, opts.dialect?.header ?? true) : sampleText(first, opts.encoding, opts.dialect);
  const warnings: InspectResult['warnings'] = [];
  if (s.header.length === 0) {
    throw new AppError('no_columns', `"${first.name}" has no columns to import: ${first.kind === 'xlsx' ? 'the sheet is empty' : 'the file holds no values'}.`, `“${first.name}”没有可导入的列：${first.kind === 'xlsx' ? '工作表是空的' : '文件中没有数据'}。`);
  }
  if (s.header.length > MAX_COLUMNS) {
    throw new AppError('too_many_columns', `The file has ${s.header.length} columns; Segmint stores at most ${MAX_COLUMNS} per dataset.`, `该文件有 ${s.header.length} 列，Segmint 每个数据集最多支持 ${MAX_COLUMNS} 列。`);
  }
  if (s.header.some((h) => h.toLowerCase() === '_row_2')) {
    warnings.push({ code: 'reserved_name', en: 'A column named "_row" is renamed "_row_2": Segmint numbers the rows in its own "_row" column.', zh: '名为“_row”的列已改名为“_row_2”：Segmint 用自己的“_row”列为行编号。' });
  }
  if (s.rows.length === 0) warnings.push({ code: 'no_rows', en: 'The file has a header but no data rows.', zh: '文件只有表头，没有数据行。' });
  if (first.kind === 'text' && s.encodingDetected.confidence < 0.6) {
    warnings.push({ code: 'encoding_uncertain', en: `Encoding guessed as ${s.encodingDetected.encoding} with low confidence; check the preview.`, zh: `编码推测为 ${s.encodingDetected.encoding}，把握不大，请检查预览。` });
  }
  // Appending several files: headers must match the first file's.
  for (const f of files.slice(1)) {
    const other = f.kind === 'xlsx' ? await sampleXlsx(f, opts.sheet, s.dialect.header) : sampleText(f, s.encoding, s.dialect);
    if (other.header.join('\u0001') !== s.header.join('\u0001')) {
      throw new AppError('header_mismatch', `"${f.name}" has different columns from "${first.name}"; only files with the same header can be appended.`, `“${f.name}”的列与“${first.name}”不同，只有表头相同的文件才能合并导入。`, { expected: s.header, got: other.header });
    }
  }
  const infs = s.header.map((name, i) => inferColumn(name, s.rows.map((r) => r[i] ?? '')));
  const roles = suggestRoles(infs);
  const columns: InspectColumn[] = infs.map((inf, i) => ({
    source: s.header[i]!,
    name: s.header[i]!,
    type: inf.type,
    role: roles[i] ?? null,
    fitShare: inf.fitShare,
    nonEmpty: inf.nonEmpty,
    distinct: inf.distinct,
    examples: inf.examples.slice(0, 5),
    badExamples: inf.badExamples.slice(0, 5),
    dateOrder: inf.dateOrder,
    ...(inf.dateFormat === 'yyyymmdd' || inf.dateFormat === 'excel-serial' || inf.dateFormat === 'epoch' ? { dateFormat: inf.dateFormat } : {}),
    ...(inf.defaultCountry && inf.defaultCountry !== 'CN' ? { defaultCountry: inf.defaultCountry } : {}),
    ...(inf.note ? { note: inf.note } : {}),
  }));
  const settings: ImportSettings = {
    version: 1,
    encoding: s.encoding,
    dialect: s.dialect,
    ...(first.kind === 'xlsx' ? { sheet: opts.sheet ?? 0 } : {}),
    columns: columns.map((c) => ({
      source: c.source,
      name: c.name,
      type: c.type,
      role: c.role,
      include: true,
      ...(c.dateOrder ? { dateOrder: c.dateOrder } : {}),
      ...(c.dateFormat ? { dateFormat: c.dateFormat } : {}),
      ...(c.defaultCountry ? { defaultCountry: c.defaultCountry } : {}),
    })),
  };
  return {
    files: files.map((f) => ({ name: f.name, size: f.size, kind: f.kind })),
    encoding: s.encoding,
    encodingDetected: s.encodingDetected,
    dialect: s.dialect,
    dialectConfidence: s.dialectConfidence,
    sheets: s.sheets,
    header: s.header,
    preview: s.rows.slice(0, opts.previewRows),
    columns,
    warnings,
    settings,
  };
}
