/**
 * The import job (runs in a worker thread, inside the job's single transaction): the writing half.
 * The reading half (./typing.ts: bytes → decoder → row reader → typed cells, the raw text that the
 * typed value does not give back, bad records) sends rows in packets; this half writes them to the
 * typed table, `<id>__rawdiff` (`<id>__raw` is the view of the values exactly as read, see ./raw.ts)
 * and the quarantine table. A large file is read in a thread of its own (./reader-thread.ts), so
 * parsing and typing run on one core while SQLite inserts on the other. Memory stays bounded by the
 * chunk size and a few packets of rows, whatever the file size.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { ImportSettings, ImportSummary } from '../../../shared/api/import';
import type { ColumnType, DatasetColumn, DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { rowBatcher } from '../../db/batch';
import { uniqueHeaders } from '../../import/types';
import type { JobContext } from '../../jobs/types';
import { spawnThread } from '../../jobs/thread';
import { audit } from '../audit/index';
import { getDataset, insertCatalog, nextDatasetId, tableNames } from '../datasets';
import { createRawDiffTable, createRawView, rawLayout } from './raw';
import { MAX_COLUMNS } from './inspect';
import type { SourceFile } from './files';
import { readAndType, type ColumnPlan, type ReadSummary, type RowPacket, type TypingCounts, type TypingInput } from './typing';
import type { ReaderInput, ReaderMessage } from './reader-thread';
import { duckPersonWriter, refreshDuckCaches } from '../identity/index';
import { checkDuckAllowed, createDuckTable, duckRowWriter, withDuck, type DuckConnection } from '../../db/duckdb';

export interface ImportJobArgs {
  files: SourceFile[];
  name: string;
  settings: ImportSettings;
  /** Append to this earlier import as its next batch (same columns), e.g. next week's SMS results. */
  appendTo?: string;
  /** 'duckdb': the typed rows go to the DuckDB file beside the workspace (see db/duckdb.ts). */
  engine?: 'sqlite' | 'duckdb';
}

/**
 * From this many bytes the files are read and typed in a thread of their own: starting it costs
 * ≈ 0.1 s, and on the bench's 1M-row file the two halves overlapping saves seconds.
 */
export const READER_THREAD_BYTES = 4 * 2 ** 20;

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

export async function runImport(job: JobContext, args: ImportJobArgs, o: { readerThread?: boolean } = {}): Promise<ImportSummary> {
  const t0 = Date.now();
  const { db } = job;
  const target = args.appendTo ? getDataset(db, args.appendTo) : null;
  const id = target ? target.id : nextDatasetId(db);
  const cols = planColumns(args.settings);
  if (target) checkAppendable(target, cols.names, cols.included);
  const readerThread = o.readerThread ?? args.files.reduce((s, f) => s + f.size, 0) >= READER_THREAD_BYTES;
  if ((target?.engine ?? args.engine) === 'duckdb') return runDuckImport(job, args, { t0, id, target, cols, readerThread });
  if (!target) createTables(db, id, cols);
  const rows = await importRows(job, args, { id, target, cols, readerThread });
  return recordImport(db, { args, id, target, cols, rows, t0 });
}

/**
 * The same import into the DuckDB engine: Segmint's own reading (encoding, dialect, types, phone
 * canonicalisation, quarantine) is unchanged, and only the typed rows go to the DuckDB file beside
 * the workspace (its appender, columnar); the raw text that differs, the quarantine, the catalog and
 * the audit stay in the workspace, and so does a CRM list's person copy for the identity build,
 * written from the same rows as they pass (identity's duckPersonWriter). A replies dataset is refused: its opt-outs must reach the
 * suppression list in the import's own transaction, which reads SQLite rows.
 */
async function runDuckImport(job: JobContext, args: ImportJobArgs, r: { t0: number; id: string; target: DatasetInfo | null; cols: ColumnPlan; readerThread: boolean }): Promise<ImportSummary> {
  const { db } = job;
  const { id, target, cols } = r;
  checkDuckAllowed(db);
  if (cols.included.some((c) => c.role === 'reply_text')) {
    throw new AppError('engine.unsupported_dataset', 'A replies dataset (with a reply-text column) is imported into the workspace itself: its unsubscribe replies go on the suppression list as it is imported. Import it without --engine duckdb.', '回复数据集（含回复内容列）需直接导入工作区：其退订回复要在导入时加入屏蔽名单。请不加 --engine duckdb 导入。');
  }
  // the DuckDB rows this import adds, taken back: on a failure here, and when the job's transaction rolls back later
  const takeBack = (c: DuckConnection) => (target ? c.run(`DELETE FROM ${qid(id)} WHERE _row > ${target.rowCount}`) : c.run(`DROP TABLE IF EXISTS ${qid(id)}`));
  return withDuck(db, async (c) => {
    job.onRollback?.(() => withDuck(db, takeBack));
    if (!target) {
      createTables(db, id, cols, { typed: false });
      await createDuckTable(c, id, cols.names.map((name, j) => ({ name, type: cols.included[j]!.type })));
    } else {
      // rows past the catalog's count are an append whose job was cancelled after DuckDB had them: not part of the dataset
      await c.run(`DELETE FROM ${qid(id)} WHERE _row > ${target.rowCount}`);
    }
    const appender = await c.createAppender(id);
    const writer = duckRowWriter(appender, target ? target.columns.map((col) => col.type) : cols.included.map((col) => col.type));
    // a CRM list's person copy for the identity, written from the same rows (not read back from DuckDB after)
    const planned = { id, kind: 'import', columns: cols.names.map((name, j) => ({ name, type: cols.included[j]!.type, role: cols.included[j]!.role })) } as DatasetInfo;
    const persons = duckPersonWriter(db, target ?? planned, { append: !!target });
    try {
      const rows = await importRows(job, args, { id, target, cols, readerThread: r.readerThread }, { rows: writer, persons });
      appender.closeSync();
      const summary = recordImport(db, { args, id, target, cols, rows, t0: r.t0 });
      job.progress(0, 0, 'keys');
      await refreshDuckCaches(db, c, persons ? { personsWritten: id } : {});
      return { ...summary, seconds: (Date.now() - r.t0) / 1000 };
    } catch (e) {
      // the workspace's part rolls back with the job; take the DuckDB rows back with it
      try { appender.closeSync(); } catch { /* already closed */ }
      await takeBack(c);
      throw e;
    }
  });
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

/** What the rows' import left for the catalog: typing's counts, the files read, and where the rows went. */
interface ImportedRows extends TypingCounts {
  firstRow: number;
  keepAllRaw: boolean;
  read: ReadSummary;
}

/**
 * Reads, types and writes every row of the files: typed rows to the typed table (or DuckDB's
 * appender), the raw text that differs to the raw-diff table (every cell's, for an append to a
 * dataset imported before that layout), bad records to quarantine.
 */
async function importRows(
  job: JobContext,
  args: ImportJobArgs,
  r: { id: string; target: DatasetInfo | null; cols: ColumnPlan; readerThread: boolean },
  duck?: { rows: ReturnType<typeof duckRowWriter>; persons: ReturnType<typeof duckPersonWriter> },
): Promise<ImportedRows> {
  const { db } = job;
  const { id, target, cols } = r;
  const t = tableNames(id);
  const keepAllRaw = target ? rawLayout(db, id) === 'table' : false;
  const width1 = cols.names.length + 1;
  // Appended rows continue the _row numbering, so a batch is a _row range.
  // (a DuckDB dataset never loses rows — nothing that deletes rows runs on it — so its last _row is its row count)
  const firstRow = !target ? 0 : target.engine === 'duckdb' ? target.rowCount : (db.prepare(`SELECT coalesce(max(_row), 0) AS m FROM ${qid(t.typed)}`).get() as { m: number }).m;
  const typedRows = duck?.rows ?? rowBatcher(db, t.typed, width1);
  const persons = duck?.persons;
  const rawRows = rowBatcher(db, keepAllRaw ? t.raw : t.rawDiff, width1);
  const insQ = db.prepare(`INSERT INTO ${qid(t.quarantine)} (line, reason, detail, raw) VALUES (?, ?, ?, ?)`);
  const write = (p: RowPacket) => {
    job.checkCancel();
    typedRows.writeBatches(p.typed);
    persons?.write(p.typed);
    rawRows.writeBatches(p.raw);
    for (let k = 0; k < p.quarantine.length; k += 4) insQ.run(p.quarantine.slice(k, k + 4));
  };
  const progress = (bytesDone: number, totalBytes: number, rows: number) => job.progress(bytesDone, totalBytes, totalBytes > 0 ? `${rows.toLocaleString('en-US')} rows` : 'rows', rows);
  const typing: TypingInput = { files: args.files, settings: args.settings, cols, keeperColumns: target ? target.columns : cols.included, keepAllRaw, firstRow };
  const { counts, read } = r.readerThread ? await readInThread(typing, write, progress) : await readAndType(typing, { packet: write, progress });
  duck?.rows.flush();
  persons?.flush();
  return { ...counts, firstRow, keepAllRaw, read };
}

/** The reading half in a thread of its own: its packets are written here as they come, a few at most waiting. */
function readInThread(typing: TypingInput, write: (p: RowPacket) => void, progress: (bytesDone: number, totalBytes: number, rows: number) => void): Promise<Awaited<ReturnType<typeof readAndType>>> {
  const flowBuffer = new SharedArrayBuffer(8);
  const flow = new Int32Array(flowBuffer);
  const thread = spawnThread('import-reader', new URL('./reader-thread.ts', import.meta.url), { typing, flow: flowBuffer } satisfies ReaderInput);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      void thread.terminate();
      reject(e);
    };
    thread.on('message', (m: ReaderMessage) => {
      if (settled) return;
      try {
        if (m.type === 'packet') {
          write(m.packet);
          Atomics.add(flow, 1, 1);
          Atomics.notify(flow, 1);
        } else if (m.type === 'progress') progress(m.bytesDone, m.totalBytes, m.rows);
        else if (m.type === 'done') {
          settled = true;
          resolve(m.result);
        } else fail(m.app ? new AppError(m.app.code, m.app.en, m.app.zh, m.app.details) : new Error(m.message));
      } catch (e) {
        fail(e);
      }
    });
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`The import's reading thread stopped (exit code ${code}).`)));
  });
}

/** The catalog entry (new, or the appended dataset's counts), the batch, the raw view and the audit entry; the summary the analyst sees. */
function recordImport(
  db: DB,
  r: { args: ImportJobArgs; id: string; target: DatasetInfo | null; cols: ColumnPlan; rows: ImportedRows; t0: number },
): ImportSummary {
  const { args, id, target } = r;
  const { settings } = args;
  const { included, names } = r.cols;
  const { invalid, nulls, words, keepAllRaw, firstRow, rowNo, quarantined } = r.rows;
  const invalidReasons = r.rows.invalidReasons.map((entries) => new Map(entries));
  const added = rowNo - firstRow;
  const rowsIn = added + quarantined;
  if (rowsIn === 0) {
    throw new AppError('no_rows', 'The file has no data rows to import (it is empty or has only a header).', '文件中没有可导入的数据行（为空或只有表头）。');
  }
  const reasonsOf = (j: number) => (invalidReasons[j]!.size ? { invalidReasons: Object.fromEntries(invalidReasons[j]!) } : {});
  const wordsOf = (j: number) => (words[j] ? { rawWords: words[j]! } : {});
  const columns: DatasetColumn[] = included.map((c, j) => ({ name: names[j]!, source: c.source, type: c.type, role: c.role, invalid: invalid[j]!, nulls: nulls[j]!, ...reasonsOf(j), ...wordsOf(j) }));
  // the raw view reads booleans back by the words this file used (learnt while reading)
  // (a DuckDB dataset's typed rows are not in this file: its raw text is read from both, not through a view)
  if (!keepAllRaw && (target?.engine ?? args.engine) !== 'duckdb') createRawView(db, id, target ? target.columns.map((c, j) => ({ ...c, ...wordsOf(j) })) : columns);
  const { hashes, blankLines, totalBytes } = r.rows.read;
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
