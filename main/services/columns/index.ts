/**
 * Fixing what the importer guessed, after import: a column's role (which analyses read it as
 * what) and type (re-read from the raw table — the values exactly as read — without
 * re-importing). Audited; bumps the definitions revision so every result made before shows as
 * stale; the identity layer rebuilds on its own (its fingerprint includes the roles).
 */
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { ColumnChange, columnsSchemas } from '../../../shared/api/columns';
import type { DatasetColumn } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset, tableNames } from '../datasets';
import { audit } from '../audit/index';
import { bumpDefinitionsRevision } from '../definitions/index';
import { sqlType } from '../import/run';
import { createRawView, rawKeeper, rawLayout, rebuildCell } from '../import/raw';
import { createDuckTable, duckAll, duckRowWriter, duckType, withDuck, type DuckConnection } from '../../db/duckdb';
import { canonicalPhone, columnParser, isMissingValue } from '../../kernel/values';
import type { JobContext } from '../../jobs/types';

type SetArgs = z.infer<(typeof columnsSchemas)['columns/set']>;

const BATCH = 20_000;

/** How a column's raw text is read under a new type (the import's own date order for it). */
function parserFor(info: ReturnType<typeof getDataset>, col: DatasetColumn, type: DatasetColumn['type']): (raw: string) => unknown {
  const opts = ((info.settings as { columns?: { name: string; dateOrder?: 'ymd' | 'dmy' | 'mdy'; defaultCountry?: string }[] } | null)?.columns ?? []).find((c) => c.name === col.source || c.name === col.name);
  return type === 'phone' ? (raw: string) => canonicalPhone(raw).e164 : columnParser(type, { dateOrder: opts?.dateOrder });
}

/** Re-type one column of an imported dataset from its raw values; returns how many cells were re-read and how many did not fit. */
function retype(db: DB, info: ReturnType<typeof getDataset>, col: DatasetColumn, type: DatasetColumn['type'], job?: JobContext): Retyped {
  const t = tableNames(info.id);
  const parse = parserFor(info, col, type);
  const emptyish = type !== 'text' && type !== 'category';
  const tmp = `${info.id}__retype`;
  const cols = info.columns.map((c) => `${qid(c.name)} ${sqlType(c.name === col.name ? type : c.type)}`);
  db.exec(`DROP TABLE IF EXISTS ${qid(tmp)}; CREATE TABLE ${qid(tmp)} (_row INTEGER PRIMARY KEY, ${cols.join(', ')}); INSERT INTO ${qid(tmp)} SELECT * FROM ${qid(t.typed)};`);
  const read = db.prepare(`SELECT _row, ${qid(col.name)} FROM ${qid(t.raw)} WHERE _row > ? ORDER BY _row LIMIT ${BATCH}`).raw(true);
  const write = db.prepare(`UPDATE ${qid(tmp)} SET ${qid(col.name)} = ? WHERE _row = ?`);
  // Raw kept as a diff (import/raw.ts): under the new type a cell may now read back from its typed
  // value (its raw text is dropped) or no longer (its raw text is kept), so the diff follows.
  const diff = rawLayout(db, info.id) === 'diff';
  const keeper = rawKeeper([{ type }]);
  const keepRaw = diff ? db.prepare(`INSERT INTO ${qid(t.rawDiff)} (_row, ${qid(col.name)}) VALUES (?, ?) ON CONFLICT(_row) DO UPDATE SET ${qid(col.name)} = excluded.${qid(col.name)}`) : null;
  const dropRaw = diff ? db.prepare(`UPDATE ${qid(t.rawDiff)} SET ${qid(col.name)} = NULL WHERE _row = ?`) : null;
  let last = 0, retyped = 0, invalid = 0, nulls = 0;
  for (;;) {
    const rows = read.all(last) as [number, string | null][];
    if (!rows.length) break;
    for (const [row, raw] of rows) {
      let v: unknown = null;
      if (raw === null || raw.trim() === '' || (emptyish && raw.length <= 9 && isMissingValue(raw))) nulls++;
      else {
        v = parse(raw);
        if (v === null) invalid++;
      }
      write.run(v, row);
      if (diff) {
        const text = raw ?? '';
        if (keeper.same(0, text, v as string | number | null)) dropRaw!.run(row);
        else keepRaw!.run(row, text);
      }
      retyped++;
      last = row;
    }
    job?.progress(retyped, info.rowCount, 'retype');
    job?.checkCancel();
  }
  // the raw view reads the typed table by name: drop it before the swap, then build it for the new types
  if (diff) db.exec(`DROP VIEW ${qid(t.raw)}`);
  db.exec(`DROP TABLE ${qid(t.typed)}; ALTER TABLE ${qid(tmp)} RENAME TO ${qid(t.typed)};`);
  const rawWords = keeper.words[0] ?? undefined;
  if (diff) createRawView(db, info.id, info.columns.map((c) => (c.name === col.name ? { name: c.name, type, rawWords } : c)));
  return { retyped, invalid, nulls, ...(rawWords ? { rawWords } : {}) };
}

/**
 * Re-type one column of a DuckDB dataset: its values as read (the rawdiff text, else the text the typed
 * value gives back) parsed again a batch at a time into a side table in DuckDB, and the raw diff
 * following in the workspace as above. `swap` then puts the column in place (last, after the catalog).
 */
async function retypeDuck(db: DB, c: DuckConnection, info: ReturnType<typeof getDataset>, col: DatasetColumn, type: DatasetColumn['type'], job?: JobContext) {
  const t = tableNames(info.id);
  const parse = parserFor(info, col, type);
  const emptyish = type !== 'text' && type !== 'category';
  const side = `${info.id}__retype`;
  await c.run(`CREATE OR REPLACE TABLE ${qid(side)} (_row BIGINT NOT NULL, v ${duckType(type)})`);
  const appender = await c.createAppender(side);
  const writer = duckRowWriter(appender, [type]);
  const diffOf = db.prepare(`SELECT _row, ${qid(col.name)} FROM ${qid(t.rawDiff)} WHERE _row BETWEEN ? AND ? AND ${qid(col.name)} IS NOT NULL`).raw(true);
  const keeper = rawKeeper([{ type }]);
  const keepRaw = db.prepare(`INSERT INTO ${qid(t.rawDiff)} (_row, ${qid(col.name)}) VALUES (?, ?) ON CONFLICT(_row) DO UPDATE SET ${qid(col.name)} = excluded.${qid(col.name)}`);
  const dropRaw = db.prepare(`UPDATE ${qid(t.rawDiff)} SET ${qid(col.name)} = NULL WHERE _row = ?`);
  let last = 0, retyped = 0, invalid = 0, nulls = 0;
  try {
    for (;;) {
      const rows = (await duckAll(c, `SELECT _row, ${qid(col.name)} FROM ${qid(info.id)} WHERE _row > ? ORDER BY _row LIMIT ${BATCH}`, [last])) as [number, string | number | null][];
      if (!rows.length) break;
      const kept = new Map(diffOf.all(rows[0]![0], rows[rows.length - 1]![0]) as [number, string][]);
      for (const [row, typed] of rows) {
        const raw = kept.get(row) ?? rebuildCell(col, typed);
        let v: unknown = null;
        if (raw.trim() === '' || (emptyish && raw.length <= 9 && isMissingValue(raw))) nulls++;
        else {
          v = parse(raw);
          if (v === null) invalid++;
        }
        writer.buf[0] = row;
        writer.buf[1] = v;
        writer.commit();
        if (keeper.same(0, raw, v as string | number | null)) {
          if (kept.has(row)) dropRaw.run(row);
        } else keepRaw.run(row, raw);
        retyped++;
        last = row;
      }
      job?.progress(retyped, info.rowCount, 'retype');
      job?.checkCancel();
    }
  } finally {
    appender.closeSync();
  }
  const rawWords = keeper.words[0] ?? undefined;
  const swap = async () => {
    // one DuckDB transaction: the dataset's table rebuilt with the new column in its place, the side table gone;
    // the old table is kept under another name until the job's workspace transaction commits, to be put back if it rolls back
    const fresh = `${info.id}__retyped`;
    const before = `${info.id}__before_retype`;
    const columns = info.columns.map((x) => ({ name: x.name, type: x.name === col.name ? type : x.type }));
    const undoable = !!(job?.onRollback && job.afterCommit);
    await c.run('BEGIN TRANSACTION');
    try {
      await createDuckTable(c, fresh, columns);
      await c.run(`INSERT INTO ${qid(fresh)} SELECT t._row, ${info.columns.map((x) => (x.name === col.name ? 'r.v' : `t.${qid(x.name)}`)).join(', ')} FROM ${qid(info.id)} t LEFT JOIN ${qid(side)} r ON r._row = t._row ORDER BY t._row`);
      await c.run(`DROP TABLE IF EXISTS ${qid(before)}`);
      await c.run(undoable ? `ALTER TABLE ${qid(info.id)} RENAME TO ${qid(before)}` : `DROP TABLE ${qid(info.id)}`);
      await c.run(`ALTER TABLE ${qid(fresh)} RENAME TO ${qid(info.id)}; DROP TABLE ${qid(side)};`);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK');
      throw e;
    }
    if (!undoable) return;
    job!.onRollback!(() =>
      withDuck(db, async (d) => {
        await d.run('BEGIN TRANSACTION');
        await d.run(`DROP TABLE ${qid(info.id)}; ALTER TABLE ${qid(before)} RENAME TO ${qid(info.id)};`);
        await d.run('COMMIT');
      }),
    );
    job!.afterCommit!(() => withDuck(db, (d) => d.run(`DROP TABLE IF EXISTS ${qid(before)}`)));
  };
  return { retyped, invalid, nulls, ...(rawWords ? { rawWords } : {}), swap };
}

type Retyped = { retyped: number; invalid: number; nulls: number; rawWords?: [string | null, string | null] };

export async function setColumn(db: DB, a: SetArgs, job?: JobContext): Promise<ColumnChange> {
  const info = getDataset(db, a.datasetId);
  const col = info.columns.find((c) => c.name === a.column);
  if (!col) throw new AppError('unknown_column', `"${info.name}" has no column "${a.column}" (columns: ${info.columns.map((c) => c.name).join(', ')}).`, `“${info.name}”中没有列“${a.column}”（现有列：${info.columns.map((c) => c.name).join('、')}）。`);
  if (a.role === undefined && a.type === undefined) throw new AppError('nothing_to_change', 'Give a new role or a new type.', '请指定新的角色或类型。');
  const type = a.type !== undefined && a.type !== col.type ? a.type : null;
  if (type && info.kind !== 'import') throw new AppError('not_retypable', `"${info.name}" was computed by Segmint: it has no raw values to read again; change its source instead.`, `“${info.name}”是计算结果，没有原始值可重新读取，请修改它的来源数据集。`);
  if (type && info.engine === 'duckdb') {
    // runs inside the job's workspace transaction; DuckDB's table is swapped last, once the catalog says so
    return withDuck(db, async (c) => {
      const r = await retypeDuck(db, c, info, col, type, job);
      const change = record(db, info, col, a, type, r);
      // its key tuples (and person copy) are read again from the re-typed values at the next analysis
      db.prepare('DELETE FROM engine_key_signatures WHERE dataset_id = ?').run(info.id);
      await r.swap();
      return change;
    });
  }
  return db.transaction(() => record(db, info, col, a, type, type ? retype(db, info, col, type, job) : null))();
}

/** The catalog, the definitions revision and the audit entry of a column change. */
function record(db: DB, info: ReturnType<typeof getDataset>, col: DatasetColumn, a: SetArgs, type: DatasetColumn['type'] | null, r: Retyped | null): ColumnChange {
  const before = { type: col.type, role: col.role };
  const next: DatasetColumn = { ...col };
  if (type && r) {
    Object.assign(next, { type, invalid: r.invalid, nulls: r.nulls });
    delete next.invalidReasons;
    delete next.rawWords;
    if (r.rawWords) next.rawWords = r.rawWords;
  }
  const retyped = r?.retyped ?? 0;
  const invalid = r ? r.invalid : col.invalid;
  if (a.role !== undefined) next.role = a.role;
  const columns = info.columns.map((c) => (c.name === col.name ? next : c));
  db.prepare('UPDATE datasets SET columns = ? WHERE id = ?').run(JSON.stringify(columns), info.id);
  const revision = bumpDefinitionsRevision(db);
  audit(db, 'dataset.column_changed', { objectType: 'dataset', objectId: info.id, rows: retyped, details: { column: col.name, before, after: { type: next.type, role: next.role }, retyped, invalid, revision } });
  return { datasetId: info.id, column: next, before, retyped, invalid, revision };
}
