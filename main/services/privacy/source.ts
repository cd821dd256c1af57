/**
 * What an export reads: a saved segment's members matched against a dataset's rows, or a whole
 * dataset; plus the suppression filter on its phone column. A row is a member's when the customer
 * its ids, phones and e-mails resolve to through the identity is a member (RFM, lifecycle, uplift and
 * k-means on a result list customer keys), or when the text of its key column is one (a rule segment
 * lists raw ids). The key column is whichever of the dataset's customer id / phone / email columns
 * holds the most members.
 */
import { AppError } from '../../../shared/errors';
import type { ExportSourceInfo } from '../../../shared/api/privacy';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { parsePhone } from '../../kernel/values';
import { getDataset, listDatasets, resolveDataset, streamRowsWhereTheDataIs } from '../datasets';
import { suppressedPhones } from '../sms/suppression';
import { segmentCustomersSql } from '../segments/membership';
import { customerKeyed, ensureDuckIdentity, ensureIdentity, identityMeta, identitySources } from '../identity/index';

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

/**
 * A dataset's rows (aliased `t`) with the customer key each resolves to, when the dataset is evidence
 * of the identity and the identity was built (brought up to date on the first call); null otherwise.
 * Matching key text alone missed a member's rows under a second member id, or a phone written another
 * way with no id: a segment's orders exported from the messy brand lost 568 of its 1,200 valid lines.
 */
function identityKeys(db: DB): (info: DatasetInfo) => Promise<{ from: string; key: string } | null> {
  let ready: Promise<boolean> | null = null;
  const bringUpToDate = async () => {
    if (!identityMeta(db)) return false;
    // DuckDB datasets: key tuples read and the maps copied into the DuckDB file as well
    if (!(await ensureDuckIdentity(db))) ensureIdentity(db);
    return true;
  };
  return async (info) => {
    if (!identitySources(db).some((s) => s.info.id === info.id) || !(await (ready ??= bringUpToDate()))) return null;
    return customerKeyed(db, info, 't');
  };
}

/** How a dataset's rows find a segment's members: through the identity and by the key column's text. */
interface Match {
  info: DatasetInfo;
  keyed: { from: string; key: string } | null;
}

const matchFrom = (m: Match) => m.keyed?.from ?? `${qid(m.info.id)} t`;
const rawKey = (column: string) => `CAST(t.${qid(column)} AS TEXT)`;

/** Which member a row is (its customer through the identity first, else its key text), or null. */
function memberOf(members: Set<string>, text: unknown, customer: unknown): string | null {
  if (customer !== null && members.has(customer as string)) return customer as string;
  return text !== null && members.has(text as string) ? (text as string) : null;
}

/** The key column that finds the most distinct members (through the identity, else by its text), in one scan of the dataset. */
async function bestKey(db: DB, m: Match, segmentId: string, members: () => Set<string>): Promise<{ column: string; matched: number } | null> {
  const columns = keyColumns(m.info);
  if (!columns.length) return null;
  const k = m.keyed?.key;
  let counts: number[];
  if (m.info.engine !== 'duckdb') {
    const inSeg = (x: string) => `${x} IN (${segmentCustomersSql(db, segmentId)})`;
    const member = (raw: string) => `count(DISTINCT ${k ? `CASE WHEN ${inSeg(k)} THEN ${k} WHEN ${inSeg(raw)} THEN ${raw} END` : `CASE WHEN ${inSeg(raw)} THEN ${raw} END`})`;
    counts = db.prepare(`SELECT ${columns.map((c) => member(rawKey(c))).join(', ')} FROM ${matchFrom(m)}`).raw(true).get() as number[];
  } else {
    const set = members();
    const found = columns.map(() => new Set<string>());
    for await (const r of streamRowsWhereTheDataIs(db, m.info, `SELECT DISTINCT ${k ?? 'NULL'}, ${columns.map(rawKey).join(', ')} FROM ${matchFrom(m)}`))
      for (let j = 0; j < columns.length; j++) {
        const member = memberOf(set, r[j + 1], r[0]);
        if (member !== null) found[j]!.add(member);
      }
    counts = found.map((f) => f.size);
  }
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
export async function resolveSource(db: DB, a: { segmentId?: string; datasetId?: string }, withCandidates = true): Promise<ResolvedSource> {
  if (!a.segmentId) {
    const info = resolveDataset(db, a.datasetId!);
    return { info, keyed: null, datasetId: info.id, datasetName: info.name, segment: null, keyColumn: null, phoneColumn: phoneColumn(info), candidates: [] };
  }
  const seg = resolveSegment(db, a.segmentId);
  let keys: Set<string> | null = null;
  const members = () => (keys ??= memberKeys(db, seg.id));
  const keyedForMembers = identityKeys(db);
  const scan = withCandidates || !a.datasetId;
  const found = [];
  for (const d of scan ? listDatasets(db) : []) {
    const k = await bestKey(db, { info: d, keyed: await keyedForMembers(d) }, seg.id, members);
    found.push(k && k.matched > 0 ? { id: d.id, name: d.name, matched: k.matched, rows: d.rowCount, hasPhone: !!phoneColumn(d) } : null);
  }
  const candidates = found
    .filter((c): c is NonNullable<typeof c> => !!c)
    .sort((x, y) => Number(y.hasPhone) - Number(x.hasPhone) || y.matched - x.matched || x.rows / x.matched - y.rows / y.matched);
  const id = a.datasetId ? resolveDataset(db, a.datasetId).id : candidates[0]?.id ?? seg.result_dataset ?? seg.source_dataset;
  if (!id) throw new AppError('privacy.no_dataset', `No dataset holds the members of segment "${seg.name}".`, `没有数据集包含分群“${seg.name}”的成员。`);
  const info = getDataset(db, id);
  const keyed = await keyedForMembers(info);
  const key = await bestKey(db, { info, keyed }, seg.id, members);
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
  const n = names.length;
  const cols = names.map((c) => `t.${qid(c)}`).join(', ');
  let sql = `SELECT ${cols} FROM ${qid(src.info.id)} t ORDER BY t._row`;
  let member: ((r: unknown[]) => string | null) | null = null;
  let picked: Set<number> | null = null;
  if (src.segment) {
    const raw = rawKey(src.keyColumn!);
    const k = src.keyed?.key ?? 'NULL';
    const members = memberKeys(db, src.segment.id);
    // the workspace narrows the rows to its member list in SQL; DuckDB's are narrowed here
    const inSeg = (x: string) => `${x} IN (${segmentCustomersSql(db, src.segment!.id)})`;
    const where = src.info.engine === 'duckdb' ? '' : ` WHERE ${src.keyed ? `${inSeg(k)} OR ` : ''}${inSeg(raw)}`;
    const keyed = (select: string) => `SELECT ${select}, ${raw}, ${k} FROM ${matchFrom(src)}${where} ORDER BY t._row`;
    sql = keyed(cols);
    member = (r) => memberOf(members, r[r.length - 2], r[r.length - 1]);
    if (src.info.columns.some((c) => c.role === 'name')) {
      // one row per person: a first, light pass over the row numbers and keys picks it
      const first = new Map<string, { row: number; own: boolean }>();
      for await (const r of streamRowsWhereTheDataIs(db, src.info, keyed('t._row'))) {
        const m = member(r);
        if (m === null) continue;
        const had = first.get(m);
        if (!had || (!had.own && r[1] === m)) first.set(m, { row: r[0] as number, own: r[1] === m });
      }
      picked = new Set([...first.values()].map((f) => f.row));
    }
  }
  for await (const r of streamRowsWhereTheDataIs(db, src.info, sql)) {
    if (member && member(r) === null) continue;
    if (picked && !picked.has(r[0] as number)) continue;
    const row: Record<string, unknown> = {};
    for (let j = 0; j < n; j++) row[names[j]!] = r[j];
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
