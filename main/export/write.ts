/**
 * Write a table to CSV or .xlsx, atomically, with per-column protection.
 *
 * Pipeline per cell: protection (keep / mask / pseudonym / drop, via main/privacy) → formula
 * neutralisation (./sanitize.ts; after masking, so a mask can never re-open a formula) →
 * formatting. Rows may be arrays aligned with `columns` or objects keyed by column name, from a
 * sync or async iterable, so a big export streams: memory is one chunk, not the table.
 *
 * CSV: RFC 4180 — a field is quoted when it holds the delimiter, '"', CR or LF, and quotes are
 * doubled; CRLF after every record (what Excel writes). UTF-8 with a BOM by default (so Excel
 * opens Chinese text correctly); GBK or GB18030 on request via iconv-lite. GBK cannot encode
 * every character (emoji, rare Han): such a value is an error ('export.unencodable', with the
 * row and column) instead of a silent '?'; GB18030 encodes all of Unicode.
 * Values: null → empty; numbers as JavaScript prints them (non-finite → empty); booleans
 * true/false; Dates 'YYYY-MM-DD HH:MM:SS' (UTC; 'YYYY-MM-DD' at midnight); bytes base64; other
 * objects JSON.
 * XLSX: exceljs streaming writer, one sheet, frozen header row, numbers as numbers, Dates as
 * dates; characters XML cannot hold (C0 controls other than tab/LF/CR, lone surrogates) are
 * dropped; Excel's limits are checked (32,767 characters per cell, 1,048,576 rows, 16,384
 * columns) and reported as errors rather than leaving a file Excel must "repair".
 *
 * Atomic: the bytes go to a temp file in the target directory (created exclusively, mode 0600:
 * exports hold customer data; named `.segmint-tmp-…` and listed in the app's temp ledger while it
 * exists, so one left by a killed process is removed at the next start — cleanStaleExportTemps),
 * which is fsynced and renamed over the target; the directory is
 * fsynced where the OS allows. On any error, cancellation included, the temp file is removed
 * and the target is untouched. File-system errors become AppErrors with en/zh messages
 * (export.dir_missing, export.not_writable, export.disk_full, export.is_directory,
 * export.target_locked, export.exists, export.bad_path, export.write_failed). The result's
 * sha256 is computed over the bytes as written, i.e. of the final file.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../shared/errors';
import { detectPiiKind, maskValue, type MaskKind } from '../privacy/masks';
import { createPseudonymizer, type PseudonymKind } from '../privacy/pseudonym';
import { sanitizeCell } from './sanitize';
import { currentLedger, EXPORT_TEMP_PREFIX } from './temp-files';

export type ExportFormat = 'csv' | 'xlsx';
export type CsvEncoding = 'utf-8' | 'gbk' | 'gb18030';
export type Protect = 'keep' | 'mask' | 'pseudonym' | 'drop';

export interface ColumnProtection {
  column: string;
  protect: Protect;
  /** Mask or normalisation kind; default: detected from the column name (else generic / auto). */
  kind?: MaskKind;
  /** Pseudonym namespace for this column; default the table-level namespace. */
  namespace?: string;
}

export type ExportRow = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface WriteTableOptions {
  path: string;
  columns: readonly string[];
  rows: Iterable<ExportRow> | AsyncIterable<ExportRow>;
  /** Default: 'xlsx' for a .xlsx path, otherwise 'csv'. */
  format?: ExportFormat;
  protect?: readonly ColumnProtection[];
  /** Workspace secret; required when a column is pseudonymised. */
  secret?: Uint8Array;
  /** Default pseudonym namespace. Default ''. */
  namespace?: string;
  /** CSV only. Default 'utf-8'. */
  encoding?: CsvEncoding;
  /** CSV in UTF-8 only. Default true. */
  bom?: boolean;
  /** CSV only. Default ','. */
  delimiter?: ',' | ';' | '\t';
  /** Neutralise formula triggers in strings. Default true. */
  sanitize?: boolean;
  /** XLSX only. Default 'Sheet1'. */
  sheetName?: string;
  /** Replace an existing file. Default true (the save dialog has asked). */
  overwrite?: boolean;
  /** Called every few hundred rows; throw (e.g. the job's CancelledError) to stop. */
  checkCancel?: () => void;
  onProgress?: (rows: number) => void;
}

export interface WriteResult {
  path: string;
  format: ExportFormat;
  encoding: CsvEncoding | null;
  /** Header as written (dropped columns left out). */
  columns: string[];
  rows: number;
  bytes: number;
  sha256: string;
}

// ---------- protection ----------

export interface RowProtector {
  header: string[];
  /** Protected values in header order (not yet sanitised or formatted). */
  apply(row: ExportRow): unknown[];
}

/** Resolve the per-column protection once; also usable for an on-screen preview. */
export function createRowProtector(columns: readonly string[], protect: readonly ColumnProtection[] = [], opts: { secret?: Uint8Array; namespace?: string } = {}): RowProtector {
  const byColumn = new Map<string, ColumnProtection>();
  for (const p of protect) {
    if (!columns.includes(p.column)) {
      throw new AppError('export.unknown_column', `Cannot protect "${p.column}": no such column in the export.`, `无法保护列“${p.column}”：导出中没有这一列。`, { column: p.column });
    }
    if (!['keep', 'mask', 'pseudonym', 'drop'].includes(p.protect)) {
      throw new AppError('export.bad_protection', `Unknown protection "${String(p.protect)}" for "${p.column}".`, `列“${p.column}”的保护方式“${String(p.protect)}”无效。`, { column: p.column, protect: p.protect });
    }
    byColumn.set(p.column, p);
  }
  const header: string[] = [];
  const steps: { index: number; column: string; fn: ((v: unknown) => unknown) | null }[] = [];
  columns.forEach((column, index) => {
    const p = byColumn.get(column);
    const mode = p?.protect ?? 'keep';
    if (mode === 'drop') return;
    header.push(column);
    if (mode === 'keep') return void steps.push({ index, column, fn: null });
    const kind: MaskKind = p?.kind ?? detectPiiKind(column, null, []) ?? 'generic';
    if (mode === 'mask') return void steps.push({ index, column, fn: (v) => maskValue(v, kind) });
    if (!opts.secret) {
      throw new AppError('export.secret_missing', `Column "${column}" is to be pseudonymised but the workspace has no secret.`, `列“${column}”需要假名化，但工作区没有密钥。`, { column });
    }
    const pk: PseudonymKind = kind === 'generic' ? (p?.kind ? 'text' : 'auto') : kind;
    const fn = createPseudonymizer(opts.secret, { namespace: p?.namespace ?? opts.namespace ?? '', kind: pk });
    steps.push({ index, column, fn });
  });
  return {
    header,
    apply(row) {
      const isArr = Array.isArray(row);
      return steps.map((s) => {
        const v = isArr ? (row as readonly unknown[])[s.index] : (row as Record<string, unknown>)[s.column];
        return s.fn ? s.fn(v) : v;
      });
    },
  };
}

// ---------- formatting ----------

const pad2 = (n: number) => String(n).padStart(2, '0');

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (!d.getUTCHours() && !d.getUTCMinutes() && !d.getUTCSeconds()) return day;
  return `${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** A value's text in a CSV cell (before quoting). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return dateText(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(v) ?? '';
}

/** RFC 4180 field: quoted when it holds the delimiter, a quote, CR or LF; quotes doubled. */
export function csvField(text: string, delimiter = ','): string {
  if (text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r')) return '"' + text.replace(/"/g, '""') + '"';
  return text;
}

// eslint-disable-next-line no-control-regex
const XML_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XLSX_MAX_CELL = 32767;
const XLSX_MAX_ROWS = 1_048_576;
const XLSX_MAX_COLS = 16_384;

// ---------- errors ----------

function fsError(e: unknown, target: string): unknown {
  // Only errors from a system call are translated; AppErrors and cancellation pass through.
  if (e instanceof AppError || !(e instanceof Error) || !('code' in e) || !('syscall' in e)) return e;
  const code = String((e as NodeJS.ErrnoException).code);
  const d = { path: target, errno: code };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError('export.dir_missing', `The folder for ${target} does not exist.`, `${target} 所在的文件夹不存在。`, d);
    case 'EACCES':
    case 'EROFS':
      return new AppError('export.not_writable', `No permission to write ${target}; choose another folder.`, `没有写入 ${target} 的权限，请选择其他文件夹。`, d);
    case 'EPERM':
    case 'EBUSY':
      return new AppError('export.target_locked', `${target} cannot be replaced: it may be open in another program (close it in Excel) or the folder is protected.`, `无法替换 ${target}：文件可能正被其他程序打开（请在 Excel 中关闭），或文件夹受保护。`, d);
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('export.disk_full', `The disk is full; ${target} was not written.`, `磁盘已满，未能写入 ${target}。`, d);
    case 'EISDIR':
      return new AppError('export.is_directory', `${target} is a folder; choose a file name.`, `${target} 是一个文件夹，请输入文件名。`, d);
    case 'ENAMETOOLONG':
    case 'EINVAL':
      return new AppError('export.bad_path', `${target} is not a valid file name here.`, `${target} 不是有效的文件名。`, d);
    default:
      return new AppError('export.write_failed', `Could not write ${target} (${code}).`, `无法写入 ${target}（${code}）。`, d);
  }
}

// ---------- sink: temp file + hash ----------

class Sink {
  bytes = 0;
  closed = false;
  private hash: Hash = createHash('sha256');
  constructor(private fh: FileHandle) {}
  async write(buf: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('export sink closed');
    if (!buf.length) return;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.hash.update(buf);
    this.bytes += buf.length;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

// ---------- writers ----------

type Ctx = {
  opts: WriteTableOptions;
  protector: RowProtector;
  sanitize: boolean;
  tick: (rows: number) => Promise<void>;
};

async function writeCsv(sink: Sink, ctx: Ctx, encoding: CsvEncoding): Promise<number> {
  const delimiter = ctx.opts.delimiter ?? ',';
  const bom = encoding === 'utf-8' && ctx.opts.bom !== false;
  const encode = (s: string): Buffer => (encoding === 'utf-8' ? Buffer.from(s, 'utf8') : iconv.encode(s, encoding));
  const lossy = encoding === 'gbk';
  const CHUNK = 1 << 16;
  let pending = '';
  let pendingCells: string[][] = [];
  let firstRow = -1; // row index (0 = header) of pendingCells[0]
  const flush = async () => {
    if (!pending) return;
    const buf = encode(pending);
    if (lossy && /[^\x00-\x7f]/.test(pending) && iconv.decode(buf, encoding) !== pending) {
      for (let r = 0; r < pendingCells.length; r++) {
        const c = pendingCells[r]!.findIndex((t) => iconv.decode(iconv.encode(t, encoding), encoding) !== t);
        if (c >= 0) {
          const row = firstRow + r; // 0 = the header
          const column = ctx.protector.header[c]!;
          const where = row === 0 ? [`The header "${column}"`, `表头“${column}”`] : [`Row ${row} column "${column}"`, `第 ${row} 行“${column}”列`];
          throw new AppError('export.unencodable', `${where[0]} has characters that ${encoding.toUpperCase()} cannot hold; export as UTF-8 or GB18030.`, `${where[1]}含有 ${encoding.toUpperCase()} 无法表示的字符，请改用 UTF-8 或 GB18030 导出。`, { row, column, encoding });
        }
      }
    }
    await sink.write(buf);
    pending = '';
    pendingCells = [];
    firstRow = -1;
  };
  const addLine = async (cells: string[], rowIndex: number) => {
    if (firstRow < 0) firstRow = rowIndex;
    pending += cells.map((t) => csvField(t, delimiter)).join(delimiter) + '\r\n';
    if (lossy) pendingCells.push(cells);
    if (pending.length >= CHUNK) await flush();
  };
  if (bom) await sink.write(Buffer.from([0xef, 0xbb, 0xbf]));
  const headerCells = ctx.protector.header.map((h) => cellText(ctx.sanitize ? sanitizeCell(h) : h));
  await addLine(headerCells, 0);
  let rows = 0;
  for await (const row of ctx.opts.rows) {
    const values = ctx.protector.apply(row);
    await addLine(values.map((v) => cellText(ctx.sanitize ? sanitizeCell(v) : v)), rows + 1);
    rows++;
    await ctx.tick(rows);
  }
  await flush();
  return rows;
}

function xlsxValue(v: unknown, row: number, column: string): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const s = cellText(v).replace(XML_BAD, '');
  if (s.length > XLSX_MAX_CELL) {
    throw new AppError('export.cell_too_long', `Row ${row} column "${column}" has ${s.length} characters; Excel cells hold at most ${XLSX_MAX_CELL}. Export as CSV instead.`, `第 ${row} 行“${column}”列有 ${s.length} 个字符，超过 Excel 单元格上限 ${XLSX_MAX_CELL}，请改用 CSV 导出。`, { row, column, length: s.length });
  }
  return s;
}

async function writeXlsx(sink: Sink, ctx: Ctx): Promise<number> {
  const header = ctx.protector.header;
  if (header.length > XLSX_MAX_COLS) {
    throw new AppError('export.too_many_columns', `Excel sheets hold at most ${XLSX_MAX_COLS} columns; export as CSV instead.`, `Excel 工作表最多 ${XLSX_MAX_COLS} 列，请改用 CSV 导出。`, { columns: header.length });
  }
  let failed: unknown = null;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      sink.write(chunk).then(
        () => cb(),
        (e) => {
          failed ??= e;
          cb(e);
        },
      );
    },
  });
  out.on('error', () => undefined); // reported through `failed`; an abandoned workbook must not crash the process
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const name = (ctx.opts.sheetName ?? 'Sheet1').replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const cell = (v: unknown, row: number, c: number) => xlsxValue(ctx.sanitize ? sanitizeCell(v) : v, row, header[c]!);
  ws.addRow(header.map((h, c) => cell(h, 0, c))).commit();
  let rows = 0;
  for await (const row of ctx.opts.rows) {
    if (failed) throw failed;
    if (rows + 1 >= XLSX_MAX_ROWS) {
      throw new AppError('export.too_many_rows', `Excel sheets hold at most ${XLSX_MAX_ROWS - 1} data rows; export as CSV instead.`, `Excel 工作表最多 ${XLSX_MAX_ROWS - 1} 行数据，请改用 CSV 导出。`, { limit: XLSX_MAX_ROWS - 1 });
    }
    const values = ctx.protector.apply(row);
    const r = ws.addRow(values.map((v, c) => cell(v, rows + 1, c)));
    values.forEach((v, c) => {
      if (v instanceof Date) r.getCell(c + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    r.commit();
    rows++;
    await ctx.tick(rows);
  }
  ws.commit();
  await wb.commit();
  if (failed) throw failed;
  return rows;
}

// ---------- entry point ----------

/** Write `rows` to `path` (see the header for the rules); resolves once the file is in place. */
export async function writeTable(opts: WriteTableOptions): Promise<WriteResult> {
  if (!opts || typeof opts.path !== 'string' || !opts.path.trim()) {
    throw new AppError('export.bad_path', 'No file name was given for the export.', '未指定导出文件名。', { path: opts?.path ?? null });
  }
  if (!Array.isArray(opts.columns)) throw new AppError('export.bad_columns', 'The export has no column list.', '导出缺少列清单。', {});
  const target = path.resolve(opts.path);
  const format: ExportFormat = opts.format ?? (/\.xlsx$/i.test(target) ? 'xlsx' : 'csv');
  const encoding: CsvEncoding = opts.encoding ?? 'utf-8';
  if (format === 'csv' && !['utf-8', 'gbk', 'gb18030'].includes(encoding)) {
    throw new AppError('export.bad_encoding', `Unsupported encoding "${encoding}" (use utf-8, gbk or gb18030).`, `不支持的编码“${encoding}”（可用 utf-8、gbk、gb18030）。`, { encoding });
  }
  const protector = createRowProtector(opts.columns, opts.protect ?? [], { secret: opts.secret, namespace: opts.namespace });

  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw fsError(Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'open' }), target);
  if (existing && opts.overwrite === false) {
    throw new AppError('export.exists', `${target} already exists.`, `${target} 已存在。`, { path: target });
  }

  const dir = path.dirname(target);
  const tag = randomBytes(6).toString('hex');
  const tmp = path.join(dir, `${EXPORT_TEMP_PREFIX}${tag}.${path.basename(target)}.tmp`);
  const ledger = currentLedger();
  const entry = ledger ? path.join(ledger, `${tag}.json`) : null;
  let fh: FileHandle | null = null;
  let sink: Sink | null = null;
  try {
    if (ledger && entry) {
      await mkdir(ledger, { recursive: true, mode: 0o700 });
      await writeFile(entry, JSON.stringify({ pid: process.pid, path: tmp }), { mode: 0o600 });
    }
    fh = await open(tmp, 'wx', 0o600);
    sink = new Sink(fh);
    const ctx: Ctx = {
      opts,
      protector,
      sanitize: opts.sanitize !== false,
      tick: async (rows) => {
        if ((rows & 255) === 0) {
          opts.checkCancel?.();
          if ((rows & 1023) === 0) opts.onProgress?.(rows);
          if (format === 'xlsx') await new Promise((r) => setImmediate(r)); // let the zip stream drain
        }
      },
    };
    const rows = format === 'xlsx' ? await writeXlsx(sink, ctx) : await writeCsv(sink, ctx, encoding);
    opts.checkCancel?.();
    sink.closed = true;
    await fh.sync();
    await fh.close();
    fh = null;
    await rename(tmp, target);
    await syncDir(dir);
    if (entry) await rm(entry, { force: true });
    opts.onProgress?.(rows);
    return { path: target, format, encoding: format === 'csv' ? encoding : null, columns: [...protector.header], rows, bytes: sink.bytes, sha256: sink.digest() };
  } catch (e) {
    if (sink) sink.closed = true;
    if (fh) await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    if (entry) await rm(entry, { force: true }).catch(() => undefined);
    throw fsError(e, target);
  }
}

/** fsync a directory so the rename survives a crash (not possible on Windows: ignored). */
async function syncDir(dir: string): Promise<void> {
  let d: FileHandle | null = null;
  try {
    d = await open(dir, 'r');
    await d.sync();
  } catch {
    /* not supported on this platform */
  } finally {
    await d?.close().catch(() => undefined);
  }
}
