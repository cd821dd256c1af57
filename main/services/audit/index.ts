/** The audit log: one row per thing that happened to the workspace's data. */
import type { DB } from '../../db/open';
import type { AuditEntry } from '../../../shared/types';

export interface AuditInput {
  objectType?: string;
  objectId?: string;
  rows?: number;
  details?: Record<string, unknown>;
}

export function audit(db: DB, action: string, input: AuditInput = {}): number {
  const r = db
    .prepare('INSERT INTO audit_log (at, action, object_type, object_id, rows, details) VALUES (?, ?, ?, ?, ?, ?)')
    .run(new Date().toISOString(), action, input.objectType ?? null, input.objectId ?? null, input.rows ?? null, input.details ? JSON.stringify(input.details) : null);
  return Number(r.lastInsertRowid);
}

export function listAudit(db: DB, opts: { limit: number; offset: number; action?: string }): { entries: AuditEntry[]; total: number } {
  const where = opts.action ? 'WHERE action = ?' : '';
  const params = opts.action ? [opts.action] : [];
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${where}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT id, at, action, object_type, object_id, rows, details FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...params, opts.limit, opts.offset) as { id: number; at: string; action: string; object_type: string | null; object_id: string | null; rows: number | null; details: string | null }[];
  return {
    total,
    entries: rows.map((r) => ({ id: r.id, at: r.at, action: r.action, objectType: r.object_type, objectId: r.object_id, rows: r.rows, details: r.details ? JSON.parse(r.details) : null })),
  };
}
