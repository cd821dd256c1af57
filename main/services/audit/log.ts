/** The audit screen's extras: the actions present (for the filter) and the log as CSV. */
import type { DB } from '../../db/open';
import { writeTable } from '../../export/write';
import { audit } from './index';
import type { Target } from '../files';

export function auditActions(db: DB): { action: string; count: number }[] {
  return db.prepare('SELECT action, count(*) AS count FROM audit_log GROUP BY action ORDER BY action').all() as { action: string; count: number }[];
}

/** The audit log (optionally one action) as CSV, newest first; formula triggers neutralised. */
export async function exportAudit(db: DB, target: Target, action?: string) {
  const where = action ? 'WHERE action = ?' : '';
  const rows = db.prepare(`SELECT id, at, action, object_type, object_id, rows, details FROM audit_log ${where} ORDER BY id DESC`).raw(true).all(...(action ? [action] : [])) as unknown[][];
  const w = await writeTable({ path: target.path, columns: ['id', 'at', 'action', 'object_type', 'object_id', 'rows', 'details'], rows, format: 'csv' });
  const auditId = audit(db, 'audit.exported', { rows: w.rows, details: { action: action ?? null, file: target.fileName, path: target.downloadId ? null : target.path, sha256: w.sha256 } });
  return { path: target.path, fileName: target.fileName, downloadId: target.downloadId, bytes: w.bytes, sha256: w.sha256, auditId, rows: w.rows };
}
