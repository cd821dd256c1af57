/**
 * The DuckDB file beside a workspace (`<workspace>.duckdb`): where a large import's typed rows live
 * (columnar, out-of-core) and where the analyses that support it run their per-customer SQL. SQLite
 * keeps everything else (catalog, audit, segments, settings, quarantine, the raw text that differs).
 *
 * DuckDB locks its file per process, and the app runs jobs in worker threads, so the file is opened by
 * the job that needs it and closed when it ends (`withDuck`); nothing holds it open between jobs.
 * The package is loaded on first use: commands that never touch DuckDB do not pay for it.
 */
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../../shared/types';
import { AppError } from '../../shared/errors';
import { isEncryptedFile, qid, sqlText, type DB } from './open';

export type DuckConnection = DuckDBConnection;

let api: typeof import('@duckdb/node-api') | null = null;
/**
 * @duckdb/node-api, loaded on first use. It is CommonJS: required as such rather than imported,
 * whose scan of every file for its export names took 0.12–0.17 s of each DuckDB job's start. Built,
 * its files are one (dist/main/duckdb-api.cjs, scripts/build.mjs): 73 ms to load against 105–165 ms.
 */
export function duckApi(): typeof import('@duckdb/node-api') {
  const fromSource = import.meta.url.endsWith('.ts');
  return (api ??= createRequire(import.meta.url)(fromSource ? '@duckdb/node-api' : './duckdb-api.cjs') as typeof import('@duckdb/node-api'));
}

/** The DuckDB file of this workspace. */
export function duckPath(db: DB): string {
  return `${db.name}.duckdb`;
}

/** A workspace encrypted with a passphrase keeps every byte encrypted: its rows cannot go to a plain DuckDB file. */
export function checkDuckAllowed(db: DB): void {
  if (existsSync(db.name) && isEncryptedFile(db.name)) {
    throw new AppError(
      'engine.encrypted_workspace',
      'This workspace is encrypted; the DuckDB engine stores rows in a separate, unencrypted file, so it is not offered here. Import into the workspace itself (without --engine duckdb).',
      '此工作区已加密；DuckDB 引擎把数据存放在另一个未加密的文件中，因此这里不能使用。请直接导入工作区（不加 --engine duckdb）。',
    );
  }
}

/**
 * Open the workspace's DuckDB file for the length of `f`, then close it. Memory is capped (DuckDB
 * spills to a temp folder beside the file past it), so a 50M-row aggregate stays within a laptop's means.
 */
export async function withDuck<T>(db: DB, f: (c: DuckConnection) => Promise<T>): Promise<T> {
  const d = await openDuck(db);
  try {
    return await f(d.c);
  } finally {
    d.close();
  }
}

async function openDuck(db: DB): Promise<{ c: DuckConnection; close: () => void }> {
  const { DuckDBInstance } = duckApi();
  const file = duckPath(db);
  const instance = await DuckDBInstance.create(file, { memory_limit: duckMemoryLimit(), temp_directory: `${file}.tmp` });
  const c = await instance.connect();
  return {
    c,
    close: () => {
      c.closeSync();
      instance.closeSync();
      rmSync(`${file}.tmp`, { recursive: true, force: true });
    },
  };
}

/** The memory DuckDB may use (it spills to its temp folder past it): 1 GB unless SEGMINT_DUCKDB_MEMORY says otherwise. */
export function duckMemoryLimit(): string {
  return process.env.SEGMINT_DUCKDB_MEMORY ?? '1GB';
}

/**
 * `f` with DuckDB held to `limit` (unless SEGMINT_DUCKDB_MEMORY sets the cap), then back to its cap: for work
 * that may run while JavaScript still holds a lot (the identity build's process), where a spilled sort is
 * cheaper than the memory.
 */
export async function withDuckMemory<T>(c: DuckConnection, limit: string, f: () => Promise<T>): Promise<T> {
  if (process.env.SEGMINT_DUCKDB_MEMORY) return f();
  await c.run(`SET memory_limit = ${sqlText(limit)}`);
  try {
    return await f();
  } finally {
    await c.run(`SET memory_limit = '${duckMemoryLimit()}'`);
  }
}

/**
 * The rows of one query, streamed with the file open only while the caller reads them (an export
 * writing a file row by row). `before` runs first on the same connection: it may create the
 * temporary tables the query reads (`duckTempTexts`).
 */
export async function* streamDuck(db: DB, sql: string, params?: unknown[], before?: (c: DuckConnection) => Promise<void>): AsyncGenerator<unknown[][]> {
  const d = await openDuck(db);
  try {
    await before?.(d.c);
    yield* duckRows(d.c, sql, params);
  } finally {
    d.close();
  }
}

/**
 * Rows of a query, streamed a chunk at a time (about 2,048 rows), as plain JavaScript values. A chunk,
 * not a row, per step: an await per row would cost more than reading the row.
 */
export async function* duckRows(c: DuckConnection, sql: string, params?: unknown[] | Record<string, unknown>): AsyncGenerator<unknown[][]> {
  const result = await c.stream(sql, params as never);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    // read through each column's vector (typed arrays for numbers): several times faster than getRows()
    const vectors = Array.from({ length: chunk.columnCount }, (_, j) => chunk.getColumnVector(j));
    const rows = new Array<unknown[]>(chunk.rowCount);
    for (let i = 0; i < rows.length; i++) rows[i] = vectors.map((v) => plain(v.getItem(i)));
    yield rows;
  }
}

/** What a long DuckDB query reports to and is stopped by: a job's progress and cancel. */
export interface QueryWatch {
  progress(done: number, total: number, phase?: string, rows?: number): void;
  cancelled(): boolean;
  checkCancel(): void;
}

/**
 * Run `f` (queries on `c`) under a job's eye: every 200 ms a cancel interrupts the running query, which
 * then ends as cancelled rather than failed, and DuckDB's own progress (rows processed of rows to
 * process) goes to the job when DuckDB has it (it reports −1 until then, and under load may stay there).
 * The JavaScript thread is free while DuckDB works, so the timer runs.
 */
export async function watchedQuery<T>(c: DuckConnection, watch: QueryWatch | undefined, phase: string, f: () => Promise<T>): Promise<T> {
  if (!watch) return f();
  await c.run('SET enable_progress_bar = true');
  await c.run('SET enable_progress_bar_print = false');
  const timer = setInterval(() => {
    if (watch.cancelled()) return c.interrupt();
    const p = c.progress;
    // progress() also checks for a cancel, which must not throw inside a timer
    if (p.percentage >= 0) try { watch.progress(Number(p.rows_processed), Number(p.total_rows_to_process), phase, Number(p.rows_processed)); } catch { c.interrupt(); }
  }, 200);
  try {
    return await f();
  } catch (e) {
    watch.checkCancel(); // an interrupted query: the job was cancelled
    throw e;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Workspace rows of texts (a segment's members) as this connection's temporary table, so a DuckDB
 * query joins them (a million keys appended in ≈ 0.3 s) instead of handing every row of its own to
 * JavaScript to be looked up there.
 */
export async function duckTempTexts(c: DuckConnection, name: string, columns: readonly string[], rows: Iterable<readonly (string | null)[]>): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE ${qid(name)} (${columns.map((col) => `${qid(col)} VARCHAR`).join(', ')})`);
  const a = await c.createAppender(name, 'main', 'temp');
  for (const r of rows) {
    for (const v of r) if (v === null) a.appendNull();
    else a.appendVarchar(v);
    a.endRow();
  }
  a.closeSync();
}

/** All rows of a small query (counts, one row per value). */
export async function duckAll(c: DuckConnection, sql: string, params?: unknown[] | Record<string, unknown>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const rows of duckRows(c, sql, params)) for (const r of rows) out.push(r);
  return out;
}

// BIGINT and HUGEINT come back as bigint; everything Segmint stores fits a double, like SQLite's values
const plain = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/**
 * Columns read with some texts in two halves of at most 12 characters: the SELECT list, and `join`,
 * which gives each row back one value per column. DuckDB hands JavaScript a text of over 12 bytes by
 * one native call each (≈ 1.3 µs here), a shorter one straight from its vector: a phone in E.164 (14
 * characters), a datetime (19) or a SCV key read in halves costs no call. Exact for any text; the gain
 * is for ASCII texts of up to 24 characters (a longer or non-ASCII half still takes its call).
 */
export function readInHalves(columns: readonly (readonly [sql: string, halved: boolean])[]): { select: string; join: (r: readonly unknown[]) => unknown[] } {
  const halved = columns.map(([, h]) => h);
  return {
    select: columns.map(([x, h]) => (h ? `substr(${x}, 1, 12), substr(${x}, 13)` : x)).join(', '),
    join(r) {
      const out = new Array<unknown>(halved.length);
      for (let j = 0, k = 0; j < halved.length; j++) {
        if (!halved[j]) out[j] = r[k++];
        else {
          const a = r[k++];
          const b = r[k++];
          out[j] = a == null ? null : `${a as string}${b as string}`;
        }
      }
      return out;
    },
  };
}

/** The DuckDB column type that holds what SQLite holds for a Segmint column type (the same values, read the same way). */
export function duckType(t: ColumnType): string {
  switch (t) {
    case 'integer':
    case 'boolean':
      return 'BIGINT';
    case 'decimal':
    case 'percent':
      return 'DOUBLE';
    default:
      return 'VARCHAR';
  }
}

/**
 * How a text column written in one go is to be compressed, when its writer knows: `fsst` for texts
 * nearly all distinct (customer keys, phones), `dictionary` for few distinct values (days, segment
 * names). Otherwise DuckDB analyses each column segment to choose, which for a million-row result is
 * most of its write: RFM's result at 990k customers took 0.87–0.95 s to write with the analysis,
 * 0.54–0.64 s so told, in the same number of blocks (2026-12-07). The clause is DuckDB's own
 * (`USING COMPRESSION`, in its storage tests); the choice only moves time, never a value.
 */
export type TextCompression = 'fsst' | 'dictionary';

/** Create (or replace: a failed earlier import may have left one) a dataset's typed table. */
export async function createDuckTable(c: DuckConnection, table: string, columns: { name: string; type: ColumnType; compression?: TextCompression }[]): Promise<void> {
  const column = (col: (typeof columns)[number]) => {
    const type = duckType(col.type);
    return `${qid(col.name)} ${type}${col.compression && type === 'VARCHAR' ? ` USING COMPRESSION ${col.compression}` : ''}`;
  };
  await c.run(`CREATE OR REPLACE TABLE ${qid(table)} (_row BIGINT NOT NULL, ${columns.map(column).join(', ')})`);
}

export async function dropDuckTable(db: DB, ...tables: string[]): Promise<void> {
  if (!existsSync(duckPath(db))) return;
  await withDuck(db, async (c) => {
    for (const table of tables) await c.run(`DROP TABLE IF EXISTS ${qid(table)}`);
  });
}

/**
 * Typed rows appended to a DuckDB table, with the same buffer interface as the SQLite batcher the
 * import uses: fill `buf` from `at()`, then `commit()`. A value of the wrong kind for its column
 * (never produced by the import's parsers) is written as NULL rather than failing the import.
 */
export function duckRowWriter(appender: DuckDBAppender, types: ColumnType[]) {
  // 0 text, 1 double, 2 integer, per column after the row number
  const kinds = types.map((t) => ({ VARCHAR: 0, DOUBLE: 1 })[duckType(t) as 'VARCHAR' | 'DOUBLE'] ?? 2);
  const width1 = types.length + 1;
  const buf = new Array<unknown>(width1);
  // a whole number within 32 bits goes as one (the appender widens it to the BIGINT column): no BigInt made per value
  const integer = (v: number) => ((v | 0) === v ? appender.appendInteger(v) : appender.appendBigInt(BigInt(v)));
  /** One row of `width1` values from `row` at `k`. */
  const append = (row: readonly unknown[], k: number) => {
    integer(row[k] as number);
    for (let j = 1; j < width1; j++) {
      const v = row[k + j];
      if (v === null || v === undefined) appender.appendNull();
      else if (kinds[j - 1] === 0) appender.appendVarchar(typeof v === 'string' ? v : String(v));
      else if (typeof v !== 'number' || !Number.isFinite(v)) appender.appendNull();
      else if (kinds[j - 1] === 1) appender.appendDouble(v);
      else if (Number.isSafeInteger(v)) integer(v);
      else appender.appendNull();
    }
    appender.endRow();
  };
  return {
    buf,
    at: () => 0,
    commit: () => append(buf, 0),
    flush() {
      appender.flushSync();
    },
    /** Batches of rows, width1 values each, one after another. */
    writeBatches(batches: readonly (readonly unknown[])[]) {
      for (const b of batches) for (let k = 0; k < b.length; k += width1) append(b, k);
    },
  };
}

/**
 * SQLite's "no such table" for a DuckDB dataset's rows means the work asked for does not run on the
 * DuckDB engine yet: say so, and what does run there, instead of an internal error.
 */
export function engineError(db: DB | null | undefined, e: unknown): AppError | null {
  const message = String((e as Error)?.message ?? '');
  // DuckDB's own words ("Out of Memory Error: failed to pin block … (953.5 MiB/953.6 MiB used)") name
  // settings the analyst cannot reach; say which one is theirs
  if (/^Out of Memory Error/.test(message)) {
    const limit = duckMemoryLimit();
    const duck = message.split('\n')[0];
    return new AppError(
      'engine.out_of_memory',
      `The DuckDB engine ran out of the memory it may use (${limit}) for this analysis. Close other programs and set a larger limit in the environment variable SEGMINT_DUCKDB_MEMORY (for example 2GB), then run it again. Nothing was changed. (DuckDB: ${duck})`,
      `DuckDB 引擎在本次分析中用尽了允许使用的内存（${limit}）。请关闭其他程序，并在环境变量 SEGMINT_DUCKDB_MEMORY 中设置更大的上限（例如 2GB）后重试。数据未做任何改动。（DuckDB：${duck}）`,
      { engine: 'duckdb', limit },
    );
  }
  const m = /no such table: (?:main\.)?(ds_\d+)/.exec(message);
  if (!m || !db?.open) return null;
  const r = db.prepare("SELECT name FROM datasets WHERE id = ? AND engine = 'duckdb'").get(m[1]) as { name: string } | undefined;
  if (!r) return null;
  return new AppError(
    'engine.unsupported',
    `"${r.name}" lives in the DuckDB engine, where the identity layer, RFM (with its segments and exports), CLV, lifecycle stages, geography, the forecast, the SMS campaign report and its monitors, basket rules, recommendations, the churn model, journeys, k-means, text analytics, NPS, linking, dedupe and merges, exports, the dashboard and its report, uplift models and plans, the quality profile and cleaning recipes, rule segments and value tiers, retyping a column, analysts' SQL, the grid, the customer view and deleting run so far; this step reads its rows in the workspace. Re-import the file without --engine duckdb to use it here.`,
    `“${r.name}”存放在 DuckDB 引擎中；目前在该引擎上可用的有：客户识别、RFM（及其分群和导出）、CLV、生命周期阶段、地域分布、销售预测、短信活动报告及其监控、购物篮规则、推荐、流失模型、客户旅程、k-means、文本分析、NPS、客户关联、查重与合并、导出、经营概览及其报告、增量模型与发送计划、质量画像与清洗配方、规则分群与价值分层、修改列类型、分析师 SQL、数据表格、客户视图和删除；此操作需要读取工作区中的行。如需使用，请不加 --engine duckdb 重新导入该文件。`,
    { dataset: m[1], engine: 'duckdb' },
  );
}
