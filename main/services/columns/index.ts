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
import { createRawView, rawKeeper, rawLayout } from '../import/raw';
import { canonicalPhone, columnParser, isMissingValue } from '../../kernel/values';
import type { JobContext } from '../../jobs/types';

type SetArgs = z.infer<(typeof columnsSchemas)['columns/set']>;

const BATCH = 20_000;

/** Re-type one column of an imported dataset from its raw values; returns how many cells were re-read and how many did not fit. */
function retype(db: DB, info: ReturnType<typeof getDataset>, col: DatasetColumn, type: DatasetColumn['type'], job?: JobContext): { retyped: number; invalid: number; nulls: number; rawWords?: [string | null, string | null] } {
  const t = tableNames(info.id);
  const opts = ((info.settings as { columns?: { name: string; dateOrder?: 'ymd' | 'dmy' | 'mdy'; defaultCountry?: string }[] } | null)?.columns ?? []).find((c) => c.name === col.source || c.name === col.name);
  const parse = type === 'phone' ? (raw: string) => canonicalPhone(raw).e164 : columnParser(type, { dateOrder: opts?.dateOrder });
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

export function setColumn(db: DB, a: SetArgs, job?: JobContext): ColumnChange {
  const info = getDataset(db, a.datasetId);
  const col = info.columns.find((c) => c.name === a.column);
  if (!col) throw new AppError('unknown_column', `"${info.name}" has no column "${a.column}" (columns: ${info.columns.map((c) => c.name).join(', ')}).`, `“${info.name}”中没有列“${a.column}”（现有列：${info.columns.map((c) => c.name).join('、')}）。`);
  if (a.role === undefined && a.type === undefined) throw new AppError('nothing_to_change', 'Give a new role or a new type.', '请指定新的角色或类型。');
  const before = { type: col.type, role: col.role };
  return db.transaction(() => {
    let retyped = 0, invalid = col.invalid;
    const next: DatasetColumn = { ...col };
    if (a.type !== undefined && a.type !== col.type) {
      if (info.kind !== 'import') throw new AppError('not_retypable', `"${info.name}" was computed by Segmint: it has no raw values to read again; change its source instead.`, `“${info.name}”是计算结果，没有原始值可重新读取，请修改它的来源数据集。`);
      const r = retype(db, info, col, a.type, job);
      retyped = r.retyped;
      invalid = r.invalid;
      Object.assign(next, { type: a.type, invalid: r.invalid, nulls: r.nulls });
      delete next.invalidReasons;
      delete next.rawWords;
      if (r.rawWords) next.rawWords = r.rawWords;
    }
    if (a.role !== undefined) next.role = a.role;
    const columns = info.columns.map((c) => (c.name === col.name ? next : c));
    db.prepare('UPDATE datasets SET columns = ? WHERE id = ?').run(JSON.stringify(columns), info.id);
    const revision = bumpDefinitionsRevision(db);
    audit(db, 'dataset.column_changed', { objectType: 'dataset', objectId: info.id, rows: retyped, details: { column: col.name, before, after: { type: next.type, role: next.role }, retyped, invalid, revision } });
    return { datasetId: info.id, column: next, before, retyped, invalid, revision };
  })();
}
