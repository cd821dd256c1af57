/**
 * Who is in a segment. A segmentation lists its members (segment_members) or, when its result
 * dataset already has one row per customer with the segment's key (RFM), reads them from there:
 * writing a million members again took seconds (4.8 s of a 25 s RFM at 5M orders, measured) and
 * doubled what the workspace stores. Every reader of membership goes through the SQL here, so both
 * kinds answer alike. Before the result dataset is deleted or rewritten, its segmentations take
 * their members as a list, so nothing is lost.
 */
import type { DB } from '../../db/open';
import { qid } from '../../db/open';

/** The result dataset's columns that hold each member's customer key and segment key. */
export interface MembersIn {
  customer: string;
  segment: string;
}

const text = (v: string) => `'${v.replace(/'/g, "''")}'`;

interface Reading {
  id: string;
  dataset: string;
  m: MembersIn;
}

function readings(db: DB, where: string, ...params: string[]): Reading[] {
  const rows = db.prepare(`SELECT id, result_dataset AS dataset, members_in AS m FROM segmentations WHERE members_in IS NOT NULL AND result_dataset IS NOT NULL${where}`).all(...params) as { id: string; dataset: string; m: string }[];
  return rows.map((r) => ({ id: r.id, dataset: r.dataset, m: JSON.parse(r.m) as MembersIn }));
}

/** (segment_id, customer) rows of one segmentation read from its result dataset. */
function readSql(r: Reading): string {
  return `SELECT s.id AS segment_id, d.${qid(r.m.customer)} AS customer FROM ${qid(r.dataset)} d JOIN segments s ON s.segmentation_id = ${text(r.id)} AND s.key = d.${qid(r.m.segment)} WHERE d.${qid(r.m.customer)} IS NOT NULL`;
}

/** A subquery of (segment_id, customer) rows: every segment's members, or one segmentation's. */
export function membershipSql(db: DB, segmentationId?: string): string {
  const list = segmentationId === undefined ? 'SELECT segment_id, customer FROM segment_members' : `SELECT m.segment_id, m.customer FROM segment_members m JOIN segments s ON s.id = m.segment_id AND s.segmentation_id = ${text(segmentationId)}`;
  const read = segmentationId === undefined ? readings(db, '') : readings(db, ' AND id = ?', segmentationId);
  return [list, ...read.map(readSql)].join(' UNION ALL ');
}

/** A subquery of one segment's customers (one column, `customer`). */
export function segmentCustomersSql(db: DB, segmentId: string): string {
  const seg = db.prepare('SELECT segmentation_id AS g, key FROM segments WHERE id = ?').get(segmentId) as { g: string; key: string } | undefined;
  const [r] = seg ? readings(db, ' AND id = ?', seg.g) : [];
  if (!r) return `SELECT customer FROM segment_members WHERE segment_id = ${text(segmentId)}`;
  return `SELECT ${qid(r.m.customer)} AS customer FROM ${qid(r.dataset)} WHERE ${qid(r.m.segment)} = ${text(seg!.key)} AND ${qid(r.m.customer)} IS NOT NULL`;
}

/** The result dataset's customers looked up by key (the customer view asks "which segments is this customer in"). */
export function indexMembers(db: DB, dataset: string, m: MembersIn): void {
  db.exec(`CREATE INDEX IF NOT EXISTS ${qid(`${dataset}__members_${m.customer}`)} ON ${qid(dataset)} (${qid(m.customer)})`);
}

/**
 * Before `datasetId` is deleted or rewritten: each segmentation that reads its members from it
 * writes them down as a list and reads them from there on.
 */
export function listMembersBeforeChange(db: DB, datasetId: string): void {
  for (const r of readings(db, ' AND result_dataset = ?', datasetId)) {
    db.exec(`INSERT OR IGNORE INTO segment_members (segment_id, customer) SELECT segment_id, customer FROM (${readSql(r)}) ORDER BY customer`);
    db.prepare('UPDATE segmentations SET members_in = NULL WHERE id = ?').run(r.id);
  }
}
