/**
 * The suppression list: phones that must not receive marketing SMS. Filled from unsubscribe
 * replies (sync) or by hand; exports leave these phones out by default and say how many.
 * Phones are stored as E.164, like typed phone columns, so '138…', '+86 138…' and '0086138…' match.
 */
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';
import { parsePhone } from '../../kernel/values';
import { audit } from '../audit/index';
import { unsubscribes } from './report';

export type SuppressionReason = 'unsubscribe' | 'complaint' | 'manual';

export function normalizePhone(raw: string): string {
  const p = parsePhone(String(raw ?? '').trim());
  if (!p) throw new AppError('bad_phone', `"${raw}" is not a phone number.`, `“${raw}”不是有效的手机号。`);
  return p;
}

export function listSuppression(db: DB, a: { search?: string; limit: number; offset: number }) {
  const where = a.search ? 'WHERE phone LIKE ? OR detail LIKE ?' : '';
  const params = a.search ? [`%${a.search}%`, `%${a.search}%`] : [];
  const total = (db.prepare(`SELECT count(*) AS n FROM suppression ${where}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT phone, reason, source, detail, added_at AS addedAt FROM suppression ${where} ORDER BY added_at DESC, phone LIMIT ? OFFSET ?`).all(...params, a.limit, a.offset) as {
    phone: string;
    reason: SuppressionReason;
    source: string | null;
    detail: string | null;
    addedAt: string;
  }[];
  return { total, rows };
}

export function addSuppression(db: DB, a: { phones: string[]; reason: SuppressionReason; source?: string; detail?: string }): { added: number; already: number } {
  const phones = [...new Set(a.phones.map(normalizePhone))];
  const ins = db.prepare('INSERT INTO suppression (phone, reason, source, detail, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(phone) DO NOTHING');
  const now = new Date().toISOString();
  let added = 0;
  db.transaction(() => {
    for (const p of phones) added += ins.run(p, a.reason, a.source ?? null, a.detail ?? null, now).changes;
  })();
  if (added) audit(db, 'suppression.added', { rows: added, details: { reason: a.reason, source: a.source ?? null } });
  return { added, already: phones.length - added };
}

export function removeSuppression(db: DB, phones: string[]): { removed: number } {
  const del = db.prepare('DELETE FROM suppression WHERE phone = ?');
  let removed = 0;
  db.transaction(() => {
    for (const p of phones) removed += del.run(normalizePhone(p)).changes;
  })();
  if (removed) audit(db, 'suppression.removed', { rows: removed });
  return { removed };
}

/** Adds every phone whose reply matches the unsubscribe rules; idempotent. */
export function syncSuppression(db: DB, repliesId: string): { detected: number; added: number; already: number } {
  const hits = unsubscribes(db, repliesId).rows;
  const ins = db.prepare('INSERT INTO suppression (phone, reason, source, detail, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(phone) DO NOTHING');
  const now = new Date().toISOString();
  let added = 0;
  const distinct = new Set<string>();
  db.transaction(() => {
    for (const h of hits) {
      let p: string;
      try {
        p = normalizePhone(h.phone);
      } catch {
        continue;
      }
      distinct.add(p);
      added += ins.run(p, 'unsubscribe', repliesId, `${h.time} ${h.text} (${h.rule})`, now).changes;
    }
  })();
  if (added) audit(db, 'suppression.added', { objectType: 'dataset', objectId: repliesId, rows: added, details: { reason: 'unsubscribe' } });
  return { detected: hits.length, added, already: distinct.size - added };
}

/** Everything suppressed, for exports. */
export function suppressedPhones(db: DB): Set<string> {
  return new Set((db.prepare('SELECT phone FROM suppression').raw(true).all() as [string][]).map((r) => r[0]));
}
