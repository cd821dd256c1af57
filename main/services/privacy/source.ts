/**
 * What an export reads: a saved segment's members (customer keys in segment_members) matched
 * against a dataset's key column, or a whole dataset; plus the suppression filter on its phone
 * column. Keys are matched as text, on whichever of the dataset's customer id / phone / email
 * columns holds the most members.
 */
import { AppError } from '../../../shared/errors';
import type { ExportSourceInfo } from '../../../shared/api/privacy';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { parsePhone } from '../../kernel/values';
import { getDataset, listDatasets, resolveDataset, streamRowsWhereTheDataIs } from '../datasets';
import { suppressedPhones } from '../sms/suppression';
import { segmentCustomersSql } from '../segments/membership';

interface SegmentRow {
  id: string;
  name: string;
  name_en: string | null;
  key: string;
  size: number;
  segmentation_id: string;
  segmentation_name: string;
  source_dataset: string | null;
  result_dataset: string | null;
}

/** A segment by id, or by name / English name / key (the newest segmentation wins). */
export function resolveSegment(db: DB, ref: string): SegmentRow {
  const rows = db
    .prepare(
      `SELECT s.id, s.name, s.name_en, s.key, s.size, s.segmentation_id, g.name AS segmentation_name, g.source_dataset, g.result_dataset
       FROM segments s JOIN segmentations g ON g.id = s.segmentation_id
       WHERE s.id = ? OR s.name = ? OR s.name_en = ? OR s.key = ?
       ORDER BY s.id = ? DESC, g.created_at DESC, s.rowid`,
    )
    .all(ref, ref, ref, ref, ref) as SegmentRow[];
  if (!rows.length) throw new AppError('privacy.segment_not_found', `No saved segment "${ref}" (give its id or name; see segmint segments list).`, `找不到已保存的分群“${ref}”（请给出分群 ID 或名称，见 segmint segments list）。`, { segment: ref });
  return rows[0]!;
}

const KEY_ROLES = ['customer_id', 'phone', 'email'] as const;

function keyColumns(info: DatasetInfo): string[] {
  return KEY_ROLES.flatMap((r) => info.columns.filter((c) => c.role === r).map((c) => c.name));
}

export function phoneColumn(info: DatasetInfo): string | null {
  return info.columns.find((c) => c.role === 'phone')?.name ?? null;
}

/** The segment's members as text keys (a DuckDB dataset cannot join the workspace's lists, so it is matched here). */
function memberKeys(db: DB, segmentId: string): Set<string> {
  return new Set(db.prepare(segmentCustomersSql(db, segmentId)).pluck().all() as string[]);
}

/** How many distinct members a dataset column holds. */
async function matched(db: DB, info: DatasetInfo, column: string, segmentId: string, members: () => Set<string>): Promise<number> {
  const key = `CAST(${qid(column)} AS TEXT)`;
  if (info.engine !== 'duckdb') return (db.prepare(`SELECT count(DISTINCT ${key}) AS n FROM ${qid(info.id)} WHERE ${key} IN (${segmentCustomersSql(db, segmentId)})`).get() as { n: number }).n;
  let n = 0;
  const m = members();
  for await (const [k] of streamRowsWhereTheDataIs(db, info, `SELECT DISTINCT ${key} FROM ${qid(info.id)} WHERE ${qid(column)} IS NOT NULL`)) if (m.has(k as string)) n++;
  return n;
}

async function bestKey(db: DB, info: DatasetInfo, segmentId: string, members: () => Set<string>): Promise<{ column: string; matched: number } | null> {
  let best: { column: string; matched: number } | null = null;
  for (const c of keyColumns(info)) {
    const m = await matched(db, info, c, segmentId, members);
    if (!best || m > best.matched) best = { column: c, matched: m };
  }
  return best;
}

export interface ResolvedSource extends ExportSourceInfo {
  info: DatasetInfo;
}

/**
 * The dataset and filter of an export. With a segment and no dataset: the dataset with a phone
 * column that holds the most members, fewest rows per member first (a contact list beats the
 * orders the segmentation was computed from, which is why its stored source is only the last
 * resort); else the segmentation's result or source dataset. Finding that dataset (and listing
 * the others for the dialog, `withCandidates`) scans every dataset's key columns; a given
 * dataset with `withCandidates` false reads only that one.
 */
export async function resolveSource(db: DB, a: { segmentId?: string; datasetId?: string }, withCandidates = true): Promise<ResolvedSource> {
  if (!a.segmentId) {
    const info = resolveDataset(db, a.datasetId!);
    return { info, datasetId: info.id, datasetName: info.name, segment: null, keyColumn: null, phoneColumn: phoneColumn(info), candidates: [] };
  }
  const seg = resolveSegment(db, a.segmentId);
  let keys: Set<string> | null = null;
  const members = () => (keys ??= memberKeys(db, seg.id));
  const scan = withCandidates || !a.datasetId;
  const found = [];
  for (const d of scan ? listDatasets(db) : []) {
    const k = await bestKey(db, d, seg.id, members);
    found.push(k && k.matched > 0 ? { id: d.id, name: d.name, matched: k.matched, rows: d.rowCount, hasPhone: !!phoneColumn(d) } : null);
  }
  const candidates = found
    .filter((c): c is NonNullable<typeof c> => !!c)
    .sort((x, y) => Number(y.hasPhone) - Number(x.hasPhone) || y.matched - x.matched || x.rows / x.matched - y.rows / y.matched);
  const id = a.datasetId ? resolveDataset(db, a.datasetId).id : candidates[0]?.id ?? seg.result_dataset ?? seg.source_dataset;
  if (!id) throw new AppError('privacy.no_dataset', `No dataset holds the members of segment "${seg.name}".`, `没有数据集包含分群“${seg.name}”的成员。`);
  const info = getDataset(db, id);
  const key = await bestKey(db, info, seg.id, members);
  if (!key) throw new AppError('privacy.no_key_column', `Dataset "${info.name}" has no customer id, phone or email column to match the segment's members on.`, `数据集“${info.name}”没有可与分群成员匹配的客户ID、手机号或邮箱列。`, { dataset: info.id });
  if (key.matched === 0) throw new AppError('privacy.no_members', `None of the ${seg.size} members of segment "${seg.name}" is in dataset "${info.name}".`, `分群“${seg.name}”的 ${seg.size} 个成员都不在数据集“${info.name}”中。`, { dataset: info.id, segment: seg.id });
  return {
    info,
    datasetId: info.id,
    datasetName: info.name,
    segment: { id: seg.id, name: seg.name, nameEn: seg.name_en, segmentationId: seg.segmentation_id, segmentationName: seg.segmentation_name, size: seg.size },
    keyColumn: key.column,
    phoneColumn: phoneColumn(info),
    candidates: withCandidates ? candidates : [],
  };
}

/** Every column of the dataset, row by row (objects keyed by column name, `_row` first), members only, from the engine that holds it. */
export async function* sourceRows(db: DB, src: ResolvedSource): AsyncGenerator<Record<string, unknown>> {
  const T = qid(src.info.id);
  const names = ['_row', ...src.info.columns.map((c) => c.name)];
  const cols = names.map(qid).join(', ');
  const duck = src.info.engine === 'duckdb';
  const key = src.segment ? `CAST(${qid(src.keyColumn!)} AS TEXT)` : null;
  // the workspace filters by its member list in SQL; DuckDB's rows are filtered here by the same keys
  const sql = key && !duck ? `SELECT ${cols} FROM ${T} WHERE ${key} IN (${segmentCustomersSql(db, src.segment!.id)}) ORDER BY _row` : `SELECT ${cols}${key ? `, ${key}` : ''} FROM ${T} ORDER BY _row`;
  const members = key && duck ? memberKeys(db, src.segment!.id) : null;
  for await (const r of streamRowsWhereTheDataIs(db, src.info, sql)) {
    if (members && !members.has(r[names.length] as string)) continue;
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) row[names[j]!] = r[j];
    yield row;
  }
}

/** The suppression filter for a source: null when off or when the dataset has no phone column. */
export function suppressionFilter(db: DB, src: ResolvedSource, on: boolean): { state: 'applied' | 'off' | 'no_phone_column'; isSuppressed: (row: Record<string, unknown>) => boolean } {
  if (!on) return { state: 'off', isSuppressed: () => false };
  if (!src.phoneColumn) return { state: 'no_phone_column', isSuppressed: () => false };
  const list = suppressedPhones(db);
  const col = src.phoneColumn;
  return {
    state: 'applied',
    isSuppressed: (row) => {
      const v = row[col];
      if (v === null || v === undefined || v === '') return false;
      const s = String(v).trim();
      if (list.has(s)) return true;
      const p = s.startsWith('+') ? null : parsePhone(s);
      return p !== null && list.has(p);
    },
  };
}
