/**
 * The reading half of an import, which touches no database: the files' bytes → decoder → row
 * reader → each cell typed (cells that fail their type become NULL and are counted), the raw text
 * kept only where the typed value does not give it back, bad records set aside for quarantine.
 * Rows leave in packets (flat arrays of typed rows, raw-diff rows and quarantine records) for the
 * writing half (./run.ts), which runs in the same thread for a small file and in the job's thread
 * while this one runs in its own for a large one (./reader-thread.ts): parsing and typing then
 * overlap SQLite's inserts on the other core.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js';
import { AppError } from '../../../shared/errors';
import type { ImportSettings } from '../../../shared/api/import';
import type { ColumnType } from '../../../shared/types';
import { createDecoder, DECODE_SLICE } from '../../import/encoding';
import { createRowReader } from '../../import/reader';
import { uniqueHeaders } from '../../import/types';
import type { Dialect } from '../../import/dialect';
import { readXlsxRows } from '../../import/xlsx';
import { canonicalPhone, columnParser, isMissingValue } from '../../kernel/values';
import { rawKeeper } from './raw';
import { batchRows } from '../../db/batch-size';
import type { SourceFile } from './files';

const CHUNK = 1024 * 1024;
/** Values per packet (in whole INSERT batches): a few packets in flight take no memory to speak of. */
const PACKET_VALUES = 65_536;

/** The columns to import, as the settings chose them (a phone-role column is always typed phone), named uniquely. */
export interface ColumnPlan {
  included: (ImportSettings['columns'][number] & { index: number })[];
  names: string[];
  /** Fields per record in the file (included or not). */
  width: number;
}

/**
 * One packet of rows, in batches of batchRows(width) rows as the writer's INSERT takes them (a
 * shorter batch only last): typed rows of (_row, value…), raw-diff rows of (_row, text or null…).
 */
export interface RowPacket {
  typed: unknown[][];
  raw: unknown[][];
  /** Quarantined records, four values each: line, reason, detail, raw. */
  quarantine: unknown[];
}

/** What typing learnt over the whole import, for the catalog. */
export interface TypingCounts {
  rowNo: number;
  quarantined: number;
  invalid: number[];
  nulls: number[];
  /** Why cells failed, per column (phone columns: 'excel_scientific', 'not_a_mobile_prefix' …), as entries. */
  invalidReasons: [string, number][][];
  /** The words a boolean column's true and false were written with in the file (see ./raw.ts). */
  words: ([string | null, string | null] | null)[];
}

export interface ReadSummary {
  hashes: string[];
  blankLines: number;
  totalBytes: number;
}

/** Everything the reading half needs: plain data, so it can cross into a thread. */
export interface TypingInput {
  files: SourceFile[];
  settings: ImportSettings;
  cols: ColumnPlan;
  /** The columns whose raw text rule applies (the appended dataset's, or the plan's). */
  keeperColumns: { type: ColumnType; rawWords?: [string | null, string | null] }[];
  /** Every cell's raw text is kept (an append to a dataset imported before the raw-diff layout). */
  keepAllRaw: boolean;
  /** The _row before the first new row. */
  firstRow: number;
}

export interface TypingOutput {
  packet(p: RowPacket): void;
  progress(bytesDone: number, totalBytes: number, rows: number): void;
}

/** Reads and types every file of the import, sending rows out a packet at a time. */
export async function readAndType(input: TypingInput, out: TypingOutput): Promise<{ counts: TypingCounts; read: ReadSummary }> {
  const typer = createRowTyper(input, out);
  const read = await readFiles(input, typer, out);
  typer.flush();
  return { counts: typer.counts(), read };
}

/**
 * Each row typed column by column (with the raw text where the typed value does not give it back),
 * each bad record kept for quarantine; counts per column of empty and invalid cells and why they failed.
 */
function createRowTyper(input: TypingInput, out: TypingOutput) {
  const { included, names } = input.cols;
  const { keepAllRaw } = input;
  const manyFiles = input.files.length > 1;
  const keeper = rawKeeper(input.keeperColumns);
  const invalid = new Array<number>(included.length).fill(0);
  const nulls = new Array<number>(included.length).fill(0);
  const invalidReasons = included.map(() => new Map<string, number>());
  const parsers = included.map((c, j) => {
    if (c.type !== 'phone') return columnParser(c.type, { dateOrder: c.dateOrder, dateFormat: c.dateFormat, defaultCountry: c.defaultCountry as CountryCode | undefined });
    const country = (c.defaultCountry as CountryCode | undefined) ?? 'CN';
    const reasons = invalidReasons[j]!;
    return (raw: string) => {
      const p = canonicalPhone(raw, country);
      if (p.problem) reasons.set(p.problem, (reasons.get(p.problem) ?? 0) + 1);
      return p.e164;
    };
  });
  // Typed columns read placeholders ('-', 'N/A', 'NULL' …) as empty; text columns keep them.
  const placeholderIsEmpty = included.map((c) => c.type !== 'text' && c.type !== 'category');
  const indexes = included.map((c) => c.index);
  const ncols = included.length;
  const width1 = ncols + 1;
  let rowNo = input.firstRow;
  let quarantined = 0;
  // A packet's batches are allocated once and filled again after each packet has gone: the
  // consumer writes it, or postMessage copies it, before packet() returns. They are packed
  // arrays (never holey), which cross into another thread as a dense copy, not a slow sparse one.
  const step = batchRows(width1) * width1;
  const perPacket = Math.max(1, Math.floor(PACKET_VALUES / step));
  const pool = () => Array.from({ length: perPacket }, () => Array.from({ length: step }, () => null as unknown));
  const typedPool = pool();
  const rawPool = pool();
  let nt = 0; // full typed batches in the packet
  let tAt = 0; // values in the typed batch being filled
  let nr = 0;
  let rAt = 0;
  let quarantine: unknown[] = [];
  const batches = (p: unknown[][], full: number, at: number) => (at > 0 ? [...p.slice(0, full), p[full]!.slice(0, at)] : p.slice(0, full));
  const send = () => {
    if (nt + tAt + nr + rAt + quarantine.length === 0) return;
    out.packet({ typed: batches(typedPool, nt, tAt), raw: batches(rawPool, nr, rAt), quarantine });
    nt = tAt = nr = rAt = 0;
    quarantine = [];
  };
  return {
    rowsSoFar: () => rowNo - input.firstRow,
    addRow(fields: string[]): void {
      const typed = typedPool[nt]!;
      const raw = rawPool[nr]!;
      const at = tAt;
      const ra = rAt;
      typed[at] = ++rowNo;
      raw[ra] = rowNo;
      let keepRaw = keepAllRaw;
      for (let j = 0; j < ncols; j++) {
        const text = fields[indexes[j]!] ?? '';
        let v: string | number | null = null;
        // Empty or blank cells are NULL, not invalid (only look at trim() when the text starts blank).
        if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '') || (placeholderIsEmpty[j] && text.length <= 9 && isMissingValue(text))) nulls[j]!++;
        else {
          v = parsers[j]!(text);
          if (v === null) invalid[j]!++;
        }
        typed[at + j + 1] = v;
        if (keepAllRaw) raw[ra + j + 1] = text;
        else if (keeper.same(j, text, v)) raw[ra + j + 1] = null;
        else {
          raw[ra + j + 1] = text;
          keepRaw = true;
        }
      }
      // a row whose raw text all comes back from its typed values leaves no raw-diff row (its values are overwritten next)
      if (keepRaw && (rAt += width1) === step) {
        rAt = 0;
        nr++;
      }
      if ((tAt += width1) === step) {
        tAt = 0;
        nt++;
      }
      if (nt === perPacket || nr === perPacket) send();
    },
    addQuarantine(q: { line: number; reason: string; detail?: string; raw: string }, fileName: string): void {
      quarantined++;
      quarantine.push(q.line, q.reason, manyFiles ? `${fileName}${q.detail ? ': ' + q.detail : ''}` : (q.detail ?? null), q.raw);
    },
    flush: send,
    counts: (): TypingCounts => ({ rowNo, quarantined, invalid, nulls, invalidReasons: invalidReasons.map((m) => [...m]), words: keeper.words }),
  };
}

type RowTyper = ReturnType<typeof createRowTyper>;

/** Every file of the import into the typer, in order; their hashes and the blank lines skipped. */
async function readFiles(input: TypingInput, typer: RowTyper, out: TypingOutput): Promise<ReadSummary> {
  const { settings, files } = input;
  const width = input.cols.width;
  const checkHeader = headerCheck(settings);
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  let bytesDone = 0;
  let blankLines = 0;
  const hashes: string[] = [];
  for (const f of files) {
    if (f.kind === 'xlsx') {
      let first = settings.dialect.header;
      let sheetRow = 0; // non-empty rows of the sheet (exceljs does not report empty ones)
      for await (const r of readXlsxRows(f.path, settings.sheet ?? 0)) {
        sheetRow++;
        if (first) {
          first = false;
          checkHeader(uniqueHeaders(r), f.name);
          continue;
        }
        if (r.every((c) => c === '')) {
          blankLines++;
          continue;
        }
        // Cells are positional (nothing shifts), but a value right of the last column would be lost: quarantine the row.
        if (r.length > width && r.slice(width).some((c) => c !== '')) {
          typer.addQuarantine({ line: sheetRow, raw: JSON.stringify(r), reason: 'ragged', detail: `${r.length} cells, the sheet's header has ${width} columns (row ${sheetRow} of the sheet's non-empty rows)` }, f.name);
          continue;
        }
        typer.addRow(r.length >= width ? r : [...r, ...new Array(width - r.length).fill('')]);
        if ((input.firstRow + typer.rowsSoFar()) % 2000 === 0) out.progress(typer.rowsSoFar(), 0, typer.rowsSoFar());
      }
      bytesDone += f.size;
      hashes.push(await fileSha256(f.path));
      continue;
    }
    const hash = createHash('sha256');
    const decoder = createDecoder(settings.encoding);
    const reader = createRowReader(settings.dialect as Dialect, {
      expectedFields: width,
      onHeader: (h) => checkHeader(uniqueHeaders(h), f.name),
      onRow: (fields) => typer.addRow(fields),
      onQuarantine: (q) => typer.addQuarantine(q, f.name),
    });
    const fd = openSync(f.path, 'r');
    const buf = Buffer.alloc(CHUNK);
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        const chunk = buf.subarray(0, n);
        hash.update(chunk);
        for (let o = 0; o < n; o += DECODE_SLICE) reader.push(decoder.decode(chunk.subarray(o, Math.min(n, o + DECODE_SLICE))));
        bytesDone += n;
        out.progress(bytesDone, totalBytes, typer.rowsSoFar());
      }
      reader.push(decoder.end());
      reader.end();
    } finally {
      closeSync(fd);
    }
    blankLines += reader.blankLines;
    hashes.push(hash.digest('hex'));
  }
  return { hashes, blankLines, totalBytes };
}

/** The first file's header must be the one the settings were made from; every later file's must equal it. */
function headerCheck(settings: ImportSettings): (h: string[], fileName: string) => void {
  let firstHeader: string[] | null = null;
  return (h, fileName) => {
    if (!settings.dialect.header) return;
    if (firstHeader === null) {
      firstHeader = h;
      const expected = settings.columns.map((c) => c.source);
      if (h.length !== expected.length || h.some((n, i) => n !== expected[i])) {
        throw new AppError('header_mismatch', `"${fileName}" does not have the columns these import settings expect (${expected.slice(0, 6).join(', ')}…).`, `“${fileName}”的列与导入设置不符（应为 ${expected.slice(0, 6).join('、')}…）。`, { expected, got: h });
      }
    } else if (h.join('\u0001') !== firstHeader.join('\u0001')) {
      throw new AppError('header_mismatch', `"${fileName}" has different columns from the first file; only files with the same header can be appended.`, `“${fileName}”的列与第一个文件不同，只有表头相同的文件才能合并导入。`, { expected: firstHeader, got: h });
    }
  };
}

async function fileSha256(file: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}
