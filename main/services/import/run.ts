/**
 * The import job (runs in a worker thread, inside the job's single transaction). Streams each
 * file in 1 MiB chunks: bytes → decoder → row reader → typed table (cells that fail their type
 * become NULL and are counted) + the raw text of the cells their typed value does not give back
 * (`<id>__rawdiff`; `<id>__raw` is the view of the values exactly as read, see ./raw.ts) +
 * quarantine table. Memory stays bounded by the chunk size and one batch of rows, whatever the
 * file size.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { ImportSettings, ImportSummary } from '../../../shared/api/import';
import type { ColumnType, DatasetColumn, DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { rowBatcher } from '../../db/batch';
import { createDecoder } from '../../import/encoding';
import { createRowReader, type QuarantineRecord } from '../../import/reader';
import { uniqueHeaders } from '../../import/types';
import { canonicalPhone, columnParser, isMissingValue } from '../../kernel/values';
import type { CountryCode } from 'libphonenumber-js';
import { readXlsxRows } from '../../import/xlsx';
import type { Dialect } from '../../import/dialect';
import type { JobContext } from '../../jobs/types';
import { audit } from '../audit/index';
import { getDataset, insertCatalog, nextDatasetId, tableNames } from '../datasets';
import { createRawDiffTable, createRawView, rawKeeper, rawLayout } from './raw';
import { MAX_COLUMNS } from './inspect';
import type { SourceFile } from './files';
import { refreshDuckCaches } from '../identity/index';
import { checkDuckAllowed, createDuckTable, duckRowWriter, withDuck } from '../../db/duckdb';

export interface ImportJobArgs {
  files: SourceFile[];
  name: string;
  settings: ImportSettings;
  /** Append to this earlier import as its next batch (same columns), e.g. next week's SMS results. */
  appendTo?: string;
  /** 'duckdb': the typed rows go to the DuckDB file beside the workspace (see db/duckdb.ts). */
  engine?: 'sqlite' | 'duckdb';
}

const CHUNK = 1024 * 1024;

export function sqlType(t: ColumnType): string {
  switch (t) {
    case 'integer':
    case 'boolean':
      return 'INTEGER';
    case 'decimal':
    case 'percent':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

export async function runImport(job: JobContext, args: ImportJobArgs): Promise<ImportSummary> {
  const t0 = Date.now();
  const { db } = job;
  const target = args.appendTo ? getDataset(db, args.appendTo) : null;
  const id = target ? target.id : nextDatasetId(db);
  const cols = planColumns(args.settings);
  if (target) checkAppendable(target, cols.names, cols.included);
  if ((target?.engine ?? args.engine) === 'duckdb') return runDuckImport(job, args, { t0, id, target, cols });
  if (!target) createTables(db, id, cols);
  const sink = createRowSink(db, id, target, cols, args.files.length > 1);
  const read = await readFiles(job, args, cols.width, sink);
  sink.flush();
  return recordImport(db, { args, id, target, cols, sink, read, t0 });
}

/**
 * The same import into the DuckDB engine: Segmint's own reading (encoding, dialect, types, phone
 * canonicalisation, quarantine) is unchanged, and only the typed rows go to the DuckDB file beside
 * the workspace (its appender, columnar); the raw text that differs, the quarantine, the catalog and
 * the audit stay in the workspace. A replies dataset is refused: its opt-outs must reach the
 * suppression list in the import's own transaction, which reads SQLite rows.
 */
async function runDuckImport(job: JobContext, args: ImportJobArgs, r: { t0: number; id: string; target: DatasetInfo | null; cols: ColumnPlan }): Promise<ImportSummary> {
  const { db } = job;
  const { id, target, cols } = r;
  checkDuckAllowed(db);
  if (cols.included.some((c) => c.role === 'reply_text')) {
    throw new AppError('engine.unsupported_dataset', 'A replies dataset (with a reply-text column) is imported into the workspace itself: its unsubscribe replies go on the suppression list as it is imported. Import it without --engine duckdb.', '回复数据集（含回复内容列）需直接导入工作区：其退订回复要在导入时加入屏蔽名单。请不加 --engine duckdb 导入。');
  }
  return withDuck(db, async (c) => {
    if (!target) {
      createTables(db, id, cols, { typed: false });
      await createDuckTable(c, id, cols.names.map((name, j) => ({ name, type: cols.included[j]!.type })));
    } else {
      // rows past the catalog's count are an append whose job was cancelled after DuckDB had them: not part of the dataset
      await c.run(`DELETE FROM ${qid(id)} WHERE _row > ${target.rowCount}`);
    }
    const appender = await c.createAppender(id);
    const writer = duckRowWriter(appender, target ? target.columns.map((col) => col.type) : cols.included.map((col) => col.type));
    try {
      const sink = createRowSink(db, id, target, cols, args.files.length > 1, writer);
      const read = await readFiles(job, args, cols.width, sink);
      sink.flush();
      appender.closeSync();
      const summary = recordImport(db, { args, id, target, cols, sink, read, t0: r.t0 });
      job.progress(0, 0, 'keys');
      await refreshDuckCaches(db, c);
      return { ...summary, seconds: (Date.now() - r.t0) / 1000 };
    } catch (e) {
      // the workspace's part rolls back with the job; take the DuckDB rows back with it
      try { appender.closeSync(); } catch { /* already closed */ }
      await (target ? c.run(`DELETE FROM ${qid(id)} WHERE _row > ${target.rowCount}`) : c.run(`DROP TABLE IF EXISTS ${qid(id)}`));
      throw e;
    }
  });
}

/** The columns to import, as the settings chose them (a phone-role column is always typed phone), named uniquely. */
interface ColumnPlan {
  included: (ImportSettings['columns'][number] & { index: number })[];
  names: string[];
  /** Fields per record in the file (included or not). */
  width: number;
}

function planColumns(settings: ImportSettings): ColumnPlan {
  // A phone-role column is a phone column whatever type it was given: its typed value is the
  // canonical E.164 number (never a number type, which would drop a leading 0 or +).
  const included = settings.columns.map((c, i) => ({ ...c, index: i, type: c.role === 'phone' ? ('phone' as const) : c.type })).filter((c) => c.include !== false);
  if (included.length === 0) throw new AppError('no_columns', 'Choose at least one column to import.', '请至少选择一列导入。');
  if (settings.columns.length > MAX_COLUMNS) {
    throw new AppError('too_many_columns', `The file has ${settings.columns.length} columns; Segmint stores at most ${MAX_COLUMNS} per dataset.`, `该文件有 ${settings.columns.length} 列，Segmint 每个数据集最多支持 ${MAX_COLUMNS} 列。`);
  }
  return { included, names: uniqueHeaders(included.map((c) => c.name)), width: settings.columns.length };
}

function createTables(db: DB, id: string, cols: ColumnPlan, o: { typed: boolean } = { typed: true }): void {
  const t = tableNames(id);
  if (o.typed) db.exec(`CREATE TABLE ${qid(t.typed)} (_row INTEGER PRIMARY KEY, ${cols.names.map((n, i) => `${qid(n)} ${sqlType(cols.included[i]!.type)}`).join(', ')})`);
  createRawDiffTable(db, id, cols.names);
  db.exec(`CREATE TABLE ${qid(t.quarantine)} (line INTEGER NOT NULL, reason TEXT NOT NULL, detail TEXT, raw TEXT)`);
}

type RowSink = ReturnType<typeof createRowSink>;

/**
 * Where records go: each row typed column by column into the typed table (with the raw text
 * where the typed value does not give it back), each bad record into quarantine; counts per
 * column of empty and invalid cells and why they failed.
 */
function createRowSink(db: DB, id: string, target: DatasetInfo | null, cols: ColumnPlan, manyFiles: boolean, typedWriter?: ReturnType<typeof duckRowWriter>) {
  const t = tableNames(id);
  const { included, names } = cols;
  // Raw text goes where the dataset keeps it: only the cells the typed value does not give back
  // (import/raw.ts), or every cell for a dataset imported before that layout (an append to it).
  const keepAllRaw = target ? rawLayout(db, id) === 'table' : false;
  const keeper = rawKeeper(target ? target.columns : included);
  const width1 = names.length + 1;
  const typedRows = typedWriter ?? rowBatcher(db, t.typed, width1);
  const rawRows = rowBatcher(db, keepAllRaw ? t.raw : t.rawDiff, width1);
  const insQ = db.prepare(`INSERT INTO ${qid(t.quarantine)} (line, reason, detail, raw) VALUES (?, ?, ?, ?)`);

  const invalid = new Array<number>(included.length).fill(0);
  const nulls = new Array<number>(included.length).fill(0);
  // Why cells failed, per column (phone columns: 'excel_scientific', 'not_a_mobile_prefix' …).
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
  // Appended rows continue the _row numbering, so a batch is a _row range.
  // (a DuckDB dataset never loses rows — nothing that deletes rows runs on it — so its last _row is its row count)
  const firstRow = !target ? 0 : target.engine === 'duckdb' ? target.rowCount : (db.prepare(`SELECT coalesce(max(_row), 0) AS m FROM ${qid(t.typed)}`).get() as { m: number }).m;
  const sink = {
    firstRow,
    rowNo: firstRow,
    quarantined: 0,
    invalid,
    nulls,
    invalidReasons,
    keeper,
    keepAllRaw,
    addRow(fields: string[]): void {
      const rowNo = ++sink.rowNo;
      const typedBuf = typedRows.buf;
      const rawBuf = rawRows.buf;
      const at = typedRows.at();
      const ra = rawRows.at();
      typedBuf[at] = rowNo;
      rawBuf[ra] = rowNo;
      let keepRaw = keepAllRaw;
      for (let j = 0; j < ncols; j++) {
        const raw = fields[indexes[j]!] ?? '';
        let v: string | number | null = null;
        // Empty or blank cells are NULL, not invalid (only look at trim() when the text starts blank).
        if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === '') || (placeholderIsEmpty[j] && raw.length <= 9 && isMissingValue(raw))) nulls[j]!++;
        else {
          v = parsers[j]!(raw);
          if (v === null) invalid[j]!++;
        }
        typedBuf[at + j + 1] = v;
        if (keepAllRaw) rawBuf[ra + j + 1] = raw;
        else if (keeper.same(j, raw, v)) rawBuf[ra + j + 1] = null;
        else {
          rawBuf[ra + j + 1] = raw;
          keepRaw = true;
        }
      }
      typedRows.commit();
      if (keepRaw) rawRows.commit();
    },
    addQuarantine(q: QuarantineRecord, fileName: string): void {
      sink.quarantined++;
      insQ.run(q.line, q.reason, manyFiles ? `${fileName}${q.detail ? ': ' + q.detail : ''}` : (q.detail ?? null), q.raw);
    },
    flush(): void {
      typedRows.flush();
      rawRows.flush();
    },
  };
  return sink;
}

/** Every file of the import into the sink, in order; their hashes and the blank lines skipped. */
async function readFiles(job: JobContext, args: ImportJobArgs, width: number, sink: RowSink): Promise<{ hashes: string[]; blankLines: number; totalBytes: number }> {
  const { settings } = args;
  const checkHeader = headerCheck(settings);
  const totalBytes = args.files.reduce((s, f) => s + f.size, 0);
  const rowsSoFar = () => sink.rowNo - sink.firstRow;
  let bytesDone = 0;
  let blankLines = 0;
  const hashes: string[] = [];
  for (const f of args.files) {
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
          sink.addQuarantine({ line: sheetRow, raw: JSON.stringify(r), reason: 'ragged', detail: `${r.length} cells, the sheet's header has ${width} columns (row ${sheetRow} of the sheet's non-empty rows)` }, f.name);
          continue;
        }
        sink.addRow(r.length >= width ? r : [...r, ...new Array(width - r.length).fill('')]);
        if (sink.rowNo % 2000 === 0) job.progress(rowsSoFar(), 0, 'rows', rowsSoFar());
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
      onRow: (fields) => sink.addRow(fields),
      onQuarantine: (q) => sink.addQuarantine(q, f.name),
    });
    const fd = openSync(f.path, 'r');
    const buf = Buffer.alloc(CHUNK);
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        const chunk = buf.subarray(0, n);
        hash.update(chunk);
        reader.push(decoder.decode(chunk));
        bytesDone += n;
        job.progress(bytesDone, totalBytes, `${rowsSoFar().toLocaleString('en-US')} rows`, rowsSoFar());
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

/** The catalog entry (new, or the appended dataset's counts), the batch, the raw view and the audit entry; the summary the analyst sees. */
function recordImport(
  db: DB,
  r: { args: ImportJobArgs; id: string; target: DatasetInfo | null; cols: ColumnPlan; sink: RowSink; read: { hashes: string[]; blankLines: number; totalBytes: number }; t0: number },
): ImportSummary {
  const { args, id, target, sink } = r;
  const { settings } = args;
  const { included, names } = r.cols;
  const { invalid, nulls, invalidReasons, keeper, keepAllRaw, firstRow, rowNo, quarantined } = sink;
  const added = rowNo - firstRow;
  const rowsIn = added + quarantined;
  if (rowsIn === 0) {
    throw new AppError('no_rows', 'The file has no data rows to import (it is empty or has only a header).', '文件中没有可导入的数据行（为空或只有表头）。');
  }
  const reasonsOf = (j: number) => (invalidReasons[j]!.size ? { invalidReasons: Object.fromEntries(invalidReasons[j]!) } : {});
  const wordsOf = (j: number) => (keeper.words[j] ? { rawWords: keeper.words[j]! } : {});
  const columns: DatasetColumn[] = included.map((c, j) => ({ name: names[j]!, source: c.source, type: c.type, role: c.role, invalid: invalid[j]!, nulls: nulls[j]!, ...reasonsOf(j), ...wordsOf(j) }));
  // the raw view reads booleans back by the words this file used (learnt while reading)
  // (a DuckDB dataset's typed rows are not in this file: its raw text is read from both, not through a view)
  if (!keepAllRaw && (target?.engine ?? args.engine) !== 'duckdb') createRawView(db, id, target ? target.columns.map((c, j) => ({ ...c, ...wordsOf(j) })) : columns);
  const { hashes, blankLines, totalBytes } = r.read;
  const sha = hashes.length === 1 ? hashes[0]! : createHash('sha256').update(hashes.join(',')).digest('hex');
  const fileNames = args.files.map((f) => f.name).join(', ');
  const batch = target ? (db.prepare('SELECT coalesce(max(batch), 0) + 1 AS b FROM dataset_batches WHERE dataset_id = ?').get(id) as { b: number }).b : 1;
  const summary = (name: string, cols: DatasetColumn[]): ImportSummary => ({
    datasetId: id,
    name,
    rowsIn,
    rowsImported: added,
    rowsQuarantined: quarantined,
    blankLines,
    encoding: settings.encoding,
    delimiter: settings.dialect.delimiter,
    header: settings.dialect.header,
    columns: cols.map((c) => ({ name: c.name, type: c.type, role: c.role, invalid: c.invalid, ...(c.invalidReasons ? { invalidReasons: c.invalidReasons } : {}) })),
    seconds: (Date.now() - r.t0) / 1000,
    bytes: totalBytes,
    batch,
  });
  const recordBatch = () => db.prepare('INSERT INTO dataset_batches (dataset_id, batch, first_row, last_row, files, sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, batch, firstRow + 1, rowNo, fileNames, sha, new Date().toISOString());
  if (target) {
    recordBatch();
    // The catalog keeps the counts of all batches together; the column roles and types stay as they were.
    const merged = target.columns.map((c, j) => {
      const reasons = { ...(c.invalidReasons ?? {}) };
      for (const [k, n] of invalidReasons[j]!) reasons[k] = (reasons[k] ?? 0) + n;
      return { ...c, invalid: c.invalid + invalid[j]!, nulls: (c.nulls ?? 0) + nulls[j]!, ...(Object.keys(reasons).length ? { invalidReasons: reasons } : {}), ...(keepAllRaw ? {} : wordsOf(j)) };
    });
    db.prepare('UPDATE datasets SET rows_in = rows_in + ?, row_count = row_count + ?, quarantined = quarantined + ?, columns = ?, source_name = ? WHERE id = ?').run(
      rowsIn, added, quarantined, JSON.stringify(merged), `${target.sourceName ?? ''}; ${fileNames}`.replace(/^; /, ''), id);
    audit(db, 'dataset.appended', { objectType: 'dataset', objectId: id, rows: added, details: { name: target.name, batch, files: args.files.map((f) => f.name), rowsIn, rowsImported: added, rowsQuarantined: quarantined, sha256: sha } });
    return summary(target.name, merged);
  }
  // A taken name becomes "name (2)": the summary carries the stored name and renamedFrom.
  const storedName = insertCatalog(db, {
    id,
    name: args.name,
    kind: 'import',
    sourceName: args.files.map((f) => f.name).join(', '),
    sourceSize: totalBytes,
    sourceSha256: sha,
    encoding: settings.encoding,
    dialect: settings.dialect,
    settings,
    columns,
    rowsIn,
    rowCount: rowNo,
    quarantined,
    engine: args.engine === 'duckdb' ? 'duckdb' : 'sqlite',
  });
  recordBatch();
  audit(db, 'dataset.imported', {
    objectType: 'dataset',
    objectId: id,
    rows: rowNo,
    details: { name: storedName, files: args.files.map((f) => f.name), rowsIn, rowsImported: rowNo, rowsQuarantined: quarantined, sha256: sha, encoding: settings.encoding, ...(args.engine === 'duckdb' ? { engine: 'duckdb' } : {}) },
  });
  return { ...summary(storedName, columns), ...(storedName !== args.name ? { renamedFrom: args.name } : {}) };
}

/** An append must bring the same columns (names and types) as the dataset it extends. */
function checkAppendable(target: DatasetInfo, names: string[], included: { type: ColumnType }[]): void {
  if (target.kind !== 'import') throw new AppError('not_appendable', `"${target.name}" was computed by Segmint; only imported datasets take more rows.`, `“${target.name}”是计算结果，只有导入的数据集可以追加行。`);
  const have = target.columns.map((c) => `${c.name}:${c.type}`);
  const got = names.map((n, i) => `${n}:${included[i]!.type}`);
  if (have.join('\u0001') !== got.join('\u0001')) {
    throw new AppError('append_mismatch', `The file's columns do not match "${target.name}" (${have.slice(0, 6).join(', ')}…); import it as a new dataset instead.`, `文件的列与“${target.name}”不一致（${have.slice(0, 6).join('、')}…），请作为新数据集导入。`, { expected: have, got });
  }
}

async function fileSha256(file: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

