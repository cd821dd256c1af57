/**
 * What an export reads: a saved segment's members matched against a dataset's rows, or a whole
 * dataset; plus the suppression filter on its phone column. A row is a member's when the customer
 * its ids, phones and e-mails resolve to through the identity is a member (RFM, lifecycle, uplift,
 * k-means on a result and rule segments list customer keys), or when the text of its key column is one
 * (k-means on a raw list, value tiers, and a rule segment saved before any identity build list raw
 * values). The key column is whichever of the dataset's customer id / phone / email columns holds the
 * most members.
 */
import { AppError } from '../../../shared/errors';
import type { ExportSourceInfo } from '../../../shared/api/privacy';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { parsePhone } from '../../kernel/values';
import { getDataset, listDatasets, resolveDataset, streamRowsWhereTheDataIs } from '../datasets';
import { suppressedPhones } from '../sms/suppression';
import { duckTempTexts, type DuckConnection } from '../../db/duckdb';
import { membershipInDuck, membershipInWorkspace } from '../segments/membership';
import { keyedThroughIdentity } from '../identity/index';

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

/** How a dataset's rows find a segment's members: through the identity and by the key column's text. */
interface Match {
  info: DatasetInfo;
  keyed: { from: string; key: string } | null;
}

const matchFrom = (m: Match) => m.keyed?.from ?? `${qid(m.info.id)} t`;
const rawKey = (column: string) => `CAST(t.${qid(column)} AS TEXT)`;

/**
 * Where a query over `info` finds a segment's members: the workspace's own SQL, or on DuckDB a
 * temporary table of them, loaded on the query's connection first (`before`).
 */
async function memberList(db: DB, info: DatasetInfo, segmentId: string): Promise<{ sql: string; before?: (c: DuckConnection) => Promise<void> }> {
  if (info.engine !== 'duckdb') return { sql: `SELECT customer FROM (${await membershipInWorkspace(db, { segmentId })})` };
  return { sql: `SELECT customer FROM ${MEMBERS}`, before: (c) => membershipInDuck(db, c, { segmentId }, MEMBERS) };
}
const MEMBERS = '_segmint_members';

/** The member a row is (its customer through the identity first, else its key column's text) and the filter "is a member's row". */
function memberSql(m: Match, column: string, list: string): { member: string; where: string } {
  const raw = rawKey(column);
  const k = m.keyed?.key;
  const inList = (x: string) => `${x} IN (${list})`;
  return k
    ? { member: `CASE WHEN ${inList(k)} THEN ${k} WHEN ${inList(raw)} THEN ${raw} END`, where: `(${inList(k)} OR ${inList(raw)})` }
    : { member: `CASE WHEN ${inList(raw)} THEN ${raw} END`, where: inList(raw) };
}

/** The key column that finds the most distinct members (through the identity, else by its text), in one scan of the dataset. */
async function bestKey(db: DB, m: Match, segmentId: string): Promise<{ column: string; matched: number } | null> {
  const columns = keyColumns(m.info);
  if (!columns.length) return null;
  const list = await memberList(db, m.info, segmentId);
  let counts: number[] = [];
  for await (const r of streamRowsWhereTheDataIs(db, m.info, `SELECT ${columns.map((c) => `count(DISTINCT ${memberSql(m, c, list.sql).member})`).join(', ')} FROM ${matchFrom(m)}`, [], list.before)) counts = r as number[];
  let best = 0;
  for (let j = 1; j < columns.length; j++) if (counts[j]! > counts[best]!) best = j;
  return { column: columns[best]!, matched: counts[best]! };
}

export interface ResolvedSource extends ExportSourceInfo {
  info: DatasetInfo;
  /** The identity's customer key of each row (with a segment, when the dataset is evidence of the identity). */
  keyed: Match['keyed'];
}

/**
 * The dataset and filter of an export. With a segment and no dataset: the dataset with a phone
 * column that holds the most members, fewest rows per member first (a contact list beats the
 * orders the segmentation was computed from, which is why its stored source is only the last
 * resort); else the segmentation's result or source dataset. Finding that dataset (and listing
 * the others for the dialog, `withCandidates`) scans every dataset's key columns; a given
 * dataset with `withCandidates` false reads only that one.
 */
export async function resolveSource(db: DB, a: { segmentId?: string; datasetId?: string; keyColumn?: string }, withCandidates = true): Promise<ResolvedSource> {
  if (!a.segmentId) {
    const info = resolveDataset(db, a.datasetId!);
    return { info, keyed: null, datasetId: info.id, datasetName: info.name, segment: null, keyColumn: null, phoneColumn: phoneColumn(info), candidates: [] };
  }
  const seg = resolveSegment(db, a.segmentId);
  // matching key text alone missed a member's rows under a second member id, or with only a phone written
  // another way: a segment's orders exported from the messy brand lost 568 of its 1,200 valid lines
  const keyedForMembers = keyedThroughIdentity(db);
  const scan = withCandidates || !a.datasetId;
  const found = [];
  const keys = new Map<string, Awaited<ReturnType<typeof bestKey>>>();
  for (const d of scan ? listDatasets(db) : []) {
    const k = await bestKey(db, { info: d, keyed: await keyedForMembers(d) }, seg.id);
    keys.set(d.id, k);
    found.push(k && k.matched > 0 ? { id: d.id, name: d.name, matched: k.matched, rows: d.rowCount, hasPhone: !!phoneColumn(d) } : null);
  }
  const candidates = found
    .filter((c): c is NonNullable<typeof c> => !!c)
    .sort((x, y) => Number(y.hasPhone) - Number(x.hasPhone) || y.matched - x.matched || x.rows / x.matched - y.rows / y.matched);
  const id = a.datasetId ? resolveDataset(db, a.datasetId).id : candidates[0]?.id ?? seg.result_dataset ?? seg.source_dataset;
  if (!id) throw new AppError('privacy.no_dataset', `No dataset holds the members of segment "${seg.name}".`, `没有数据集包含分群“${seg.name}”的成员。`);
  const info = getDataset(db, id);
  const keyed = await keyedForMembers(info);
  // the export job gets the key column its request resolved (a scan of the dataset fewer); anything else finds it
  const given = a.keyColumn && keyColumns(info).includes(a.keyColumn) ? { column: a.keyColumn, matched: null } : null;
  const key = given ?? (keys.has(info.id) ? keys.get(info.id)! : await bestKey(db, { info, keyed }, seg.id));
  if (!key) throw new AppError('privacy.no_key_column', `Dataset "${info.name}" has no customer id, phone or email column to match the segment's members on.`, `数据集“${info.name}”没有可与分群成员匹配的客户ID、手机号或邮箱列。`, { dataset: info.id });
  if (key.matched === 0) throw new AppError('privacy.no_members', `None of the ${seg.size} members of segment "${seg.name}" is in dataset "${info.name}".`, `分群“${seg.name}”的 ${seg.size} 个成员都不在数据集“${info.name}”中。`, { dataset: info.id, segment: seg.id });
  return {
    info,
    keyed,
    datasetId: info.id,
    datasetName: info.name,
    segment: { id: seg.id, name: seg.name, nameEn: seg.name_en, segmentationId: seg.segmentation_id, segmentationName: seg.segmentation_name, size: seg.size },
    keyColumn: key.column,
    phoneColumn: phoneColumn(info),
    candidates: withCandidates ? candidates : [],
  };
}

/**
 * Every column of the dataset, row by row (objects keyed by column name, `_row` first), members only,
 * from the engine that holds it. A dataset of events (orders, sends) gives every row of its members;
 * a list of people (a dataset with a name column) one row per member — the row whose key text is the
 * member's own key, else the member's first — so a person registered twice gets one contact row, as
 * a send list needs.
 */
export async function* sourceRows(db: DB, src: ResolvedSource): AsyncGenerator<Record<string, unknown>> {
  const names = ['_row', ...src.info.columns.map((c) => c.name)];
  const cols = names.map((c) => `t.${qid(c)}`).join(', ');
  if (!src.segment) {
    yield* records(streamRowsWhereTheDataIs(db, src.info, `SELECT ${cols} FROM ${qid(src.info.id)} t ORDER BY t._row`));
    return;
  }
  const list = await memberList(db, src.info, src.segment.id);
  const { member, where } = memberSql(src, src.keyColumn!, list.sql);
  const rows = (select: string) => streamRowsWhereTheDataIs(db, src.info, `SELECT ${select} FROM ${matchFrom(src)} WHERE ${where} ORDER BY t._row`, [], list.before);
  if (!src.info.columns.some((c) => c.role === 'name')) {
    yield* records(rows(cols));
    return;
  }
  // a list of people: a first, light pass over row numbers and keys picks each member's row
  const first = new Map<string, { row: number; own: boolean }>();
  for await (const [row, text, m] of rows(`t._row, ${rawKey(src.keyColumn!)}, ${member}`)) {
    const had = first.get(m as string);
    if (!had || (!had.own && text === m)) first.set(m as string, { row: row as number, own: text === m });
  }
  const picked = new Set([...first.values()].map((f) => f.row));
  yield* records((async function* () {
    for await (const r of rows(cols)) if (picked.has(r[0] as number)) yield r;
  })());

  async function* records(rs: AsyncIterable<unknown[]>): AsyncGenerator<Record<string, unknown>> {
    for await (const r of rs) {
      const row: Record<string, unknown> = {};
      for (let j = 0; j < names.length; j++) row[names[j]!] = r[j];
      yield row;
    }
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
