/** Saved segmentations: definition, as-of date, one row per segment, and membership. */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { SegmentationInfo } from '../../../shared/api/segments';
import type { DB } from '../../db/open';
import { insertRows } from '../../db/batch';
import { audit } from '../audit/index';
import { definitionsRevision } from '../definitions/index';
import { indexMembers, type MembersIn } from './membership';

const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#e16f24', '#6e7781', '#d63384', '#0a9396', '#94a3b8', '#9a6700'];

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface NewSegmentation {
  name: string;
  kind: SegmentationInfo['kind'];
  sourceDataset: string | null;
  resultDataset: string | null;
  params: Record<string, unknown>;
  summary?: Record<string, unknown>;
  asOf?: string | null;
  /**
   * The members are the result dataset's rows: these columns hold each one's customer key and
   * segment key (./membership.ts). Then each segment gives its size, not a list.
   */
  membersIn?: MembersIn;
  /** key → { name, nameEn, members (or size, with membersIn) } in display order. */
  segments: { key: string; name: string; nameEn?: string; members?: string[]; size?: number; definition?: unknown }[];
}

export function saveSegmentation(db: DB, s: NewSegmentation): SegmentationInfo {
  const id = newId('sg');
  const now = new Date().toISOString();
  // the definitions revision it was computed under: a later change of definitions marks it stale
  if (s.membersIn && !s.resultDataset) throw new Error('saveSegmentation: membersIn needs the result dataset');
  db.prepare('INSERT INTO segmentations (id, name, kind, source_dataset, result_dataset, params, summary, as_of, created_at, definitions_rev, members_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, s.name, s.kind, s.sourceDataset, s.resultDataset, JSON.stringify(s.params), s.summary ? JSON.stringify(s.summary) : null, s.asOf ?? null, now, definitionsRevision(db), s.membersIn ? JSON.stringify(s.membersIn) : null,
  );
  if (s.membersIn) indexMembers(db, s.resultDataset!, s.membersIn);
  const insSeg = db.prepare('INSERT INTO segments (id, segmentation_id, key, name, name_en, color, definition, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const members: [string, string][] = [];
  s.segments.forEach((seg, i) => {
    const sid = newId('s');
    insSeg.run(sid, id, seg.key, seg.name, seg.nameEn ?? null, PALETTE[i % PALETTE.length], seg.definition ? JSON.stringify(seg.definition) : null, seg.size ?? seg.members?.length ?? 0, now);
    if (!s.membersIn) for (const m of seg.members ?? []) members.push([sid, m]);
  });
  // in customer order, the customer index and each segment's part of the key are appended to, not
  // written at random places (a million members: several times faster)
  members.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  // a customer listed twice in one segment is one member
  insertRows(db, 'segment_members', 2, members, { columns: 'segment_id, customer', orIgnore: true });
  audit(db, 'segmentation.saved', { objectType: 'segmentation', objectId: id, rows: s.segments.reduce((a, b) => a + (b.size ?? b.members?.length ?? 0), 0), details: { name: s.name, kind: s.kind, segments: s.segments.length } });
  return getSegmentation(db, id);
}

interface Row {
  id: string;
  name: string;
  kind: SegmentationInfo['kind'];
  source_dataset: string | null;
  result_dataset: string | null;
  params: string;
  summary: string | null;
  as_of: string | null;
  created_at: string;
  definitions_rev: number;
}

function toInfo(db: DB, r: Row): SegmentationInfo {
  const segs = db.prepare('SELECT id, key, name, name_en, color, size FROM segments WHERE segmentation_id = ? ORDER BY rowid').all(r.id) as { id: string; key: string; name: string; name_en: string | null; color: string | null; size: number }[];
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    sourceDataset: r.source_dataset,
    resultDataset: r.result_dataset,
    params: JSON.parse(r.params),
    summary: r.summary ? JSON.parse(r.summary) : null,
    asOf: r.as_of,
    createdAt: r.created_at,
    stale: r.definitions_rev < definitionsRevision(db),
    segments: segs.map((s) => ({ id: s.id, key: s.key, name: s.name, nameEn: s.name_en, color: s.color, size: s.size })),
  };
}

export function getSegmentation(db: DB, id: string): SegmentationInfo {
  const r = db.prepare('SELECT * FROM segmentations WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new AppError('segmentation_not_found', `No segmentation "${id}".`, `找不到分群“${id}”。`);
  return toInfo(db, r);
}

export function listSegmentations(db: DB, datasetId?: string): SegmentationInfo[] {
  const rows = (datasetId
    ? db.prepare('SELECT * FROM segmentations WHERE source_dataset = ? OR result_dataset = ? ORDER BY created_at DESC').all(datasetId, datasetId)
    : db.prepare('SELECT * FROM segmentations ORDER BY created_at DESC').all()) as Row[];
  return rows.map((r) => toInfo(db, r));
}

export function renameSegment(db: DB, segmentationId: string, key: string, name: string, color?: string): SegmentationInfo {
  const r = db.prepare('UPDATE segments SET name = ?, color = coalesce(?, color) WHERE segmentation_id = ? AND key = ?').run(name, color ?? null, segmentationId, key);
  if (r.changes === 0) throw new AppError('segment_not_found', `No segment "${key}".`, `找不到分群“${key}”。`);
  return getSegmentation(db, segmentationId);
}

export function deleteSegmentation(db: DB, id: string): { deleted: string } {
  const s = getSegmentation(db, id);
  db.prepare('DELETE FROM segmentations WHERE id = ?').run(id);
  audit(db, 'segmentation.deleted', { objectType: 'segmentation', objectId: id, details: { name: s.name } });
  return { deleted: id };
}
