/** Search and profile of the single customer view (tables written by link.ts). */
import { AppError } from '../../../shared/errors';
import type { CustomerProfile, CustomerRow } from '../../../shared/api/customers';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { customerRows } from '../identity/index';
import { normalizeText, toSimplified, phoneKey, emailKey } from '../../analysis/dedupe/index';
import { membershipInWorkspace } from '../segments/membership';

interface CRow {
  customer_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  province: string | null;
  city: string | null;
  gender: string | null;
  birthday: string | null;
  records: number;
  datasets: number;
  events: number;
  first_seen: string | null;
  last_seen: string | null;
  provenance: string | null;
}

const toRow = (r: CRow): CustomerRow => ({
  customerId: r.customer_id,
  name: r.name,
  phone: r.phone,
  email: r.email,
  province: r.province,
  city: r.city,
  records: r.records,
  datasets: r.datasets,
  events: r.events,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * Search: empty = everyone. Digits (3+) = phone tail (then phone anywhere); Latin letters =
 * pinyin initials ('zw' → 张伟) or full pinyin prefix ('zhangw'), or e-mail; '@' = e-mail;
 * otherwise name (simplified, so 張偉 finds 张伟) — and always the customer id.
 */
export function searchCustomers(db: DB, a: { q: string; offset: number; limit: number }): { total: number; rows: CustomerRow[] } {
  const q = a.q.normalize('NFKC').trim();
  const where: string[] = [];
  const params: unknown[] = [];
  const rank: string[] = [];
  const rankParams: unknown[] = [];
  if (q) {
    const lq = q.toLowerCase();
    where.push("customer_id = ? OR lower(customer_id) LIKE ? ESCAPE '\\'");
    params.push(q, escapeLike(lq) + '%');
    const digits = q.replace(/[\s\-+()]/g, '');
    if (/^\d{3,}$/.test(digits)) {
      where.push("phone_digits LIKE ? ESCAPE '\\'", "instr(phone_digits, ?) > 0");
      params.push('%' + escapeLike(digits), digits);
      rank.push("phone_digits LIKE ? ESCAPE '\\'");
      rankParams.push('%' + escapeLike(digits));
    } else if (q.includes('@')) {
      where.push('instr(lower(email), ?) > 0');
      params.push(emailKey(q) || lq);
    } else if (/^[a-z\s]+$/i.test(q)) {
      const letters = lq.replace(/\s+/g, '');
      where.push("name_initials LIKE ? ESCAPE '\\'", "name_pinyin LIKE ? ESCAPE '\\'", 'instr(lower(email), ?) > 0', 'instr(lower(name), ?) > 0');
      params.push(escapeLike(letters) + '%', escapeLike(letters) + '%', lq, lq);
      rank.push('name_initials = ?', 'name_pinyin = ?');
      rankParams.push(letters, letters);
    } else {
      const s = normalizeText(toSimplified(q));
      where.push('instr(name_simplified, ?) > 0', 'instr(name, ?) > 0', 'instr(lower(email), ?) > 0');
      params.push(s, q, lq);
      rank.push('name_simplified = ?');
      rankParams.push(s);
      const pk = phoneKey(q, 'CN');
      if (pk.startsWith('+')) {
        where.push('phone = ?');
        params.push(pk);
      }
    }
  }
  const whereSql = where.length ? `WHERE (${where.join(') OR (')})` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM customers ${whereSql}`).get(...params) as { n: number }).n;
  const order = [...rank.map((r) => `(${r}) DESC`), 'records DESC', 'events DESC', 'customer_id'].join(', ');
  const rows = db.prepare(`SELECT * FROM customers ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, ...rankParams, a.limit, a.offset) as CRow[];
  return { total, rows: rows.map(toRow) };
}

const SOURCE_CAP = 50;

export async function getCustomer(db: DB, customerId: string): Promise<CustomerProfile> {
  const c = db.prepare('SELECT * FROM customers WHERE customer_id = ?').get(customerId) as CRow | undefined;
  if (!c) throw new AppError('customer_not_found', `No customer "${customerId}" (link the datasets first on the Link tab).`, `找不到客户“${customerId}”（请先在“关联”页关联数据集）。`);
  // after an identity build, this customer's rows through the maps; before one, a link run's own links
  const mapped = await customerRows(db, customerId);
  const links = mapped?.links ?? (db.prepare('SELECT dataset_id, source_row, rule, score FROM customer_links WHERE customer_id = ? ORDER BY dataset_id, source_row').all(customerId) as { dataset_id: string; source_row: number; rule: string; score: number }[]);
  const infos = new Map<string, DatasetInfo | null>();
  const info = (id: string) => {
    if (!infos.has(id))
      try {
        infos.set(id, getDataset(db, id));
      } catch {
        infos.set(id, null); // deleted since the link run
      }
    return infos.get(id)!;
  };
  const sources: CustomerProfile['sources'] = [];
  let more = 0;
  const keys = new Set<string>([customerId]);
  const byDs = new Map<string, typeof links>();
  for (const l of links) (byDs.get(l.dataset_id) ?? byDs.set(l.dataset_id, []).get(l.dataset_id)!).push(l);
  for (const [dsId, ls] of byDs) {
    const d = info(dsId);
    if (!d) continue;
    const keyCols = d.columns.filter((x) => x.role === 'customer_id' || x.role === 'phone' || x.role === 'email').map((x) => x.name);
    const isPerson = d.columns.some((x) => x.role === 'name');
    const shown = isPerson ? ls : ls.slice(0, SOURCE_CAP);
    more += ls.length - shown.length;
    const stmt = d.engine === 'duckdb' ? null : db.prepare(`SELECT * FROM ${qid(d.id)} WHERE _row = ?`);
    for (const l of ls) {
      const r = (stmt ? stmt.get(l.source_row) : mapped?.values.get(`${d.id}:${l.source_row}`)) as Record<string, unknown> | undefined;
      if (!r) continue;
      for (const k of keyCols) if (r[k] !== null && r[k] !== undefined && r[k] !== '') keys.add(String(r[k]));
      if (!shown.includes(l)) continue;
      const { _row, ...values } = r;
      sources.push({ datasetId: d.id, datasetName: d.name, row: l.source_row, rule: l.rule, score: l.score, values });
    }
  }
  const keyList = [...keys];
  const segments: CustomerProfile['segments'] = [];
  const membership = await membershipInWorkspace(db, { customers: keyList });
  for (let k = 0; k < keyList.length; k += 500) {
    const chunk = keyList.slice(k, k + 500);
    segments.push(
      ...(db
        .prepare(
          `SELECT g.id AS segmentationId, g.name AS segmentation, s.key AS segmentKey, s.name AS segment, s.name_en AS segmentEn, s.color AS color, m.customer AS key
           FROM (${membership}) m JOIN segments s ON s.id = m.segment_id JOIN segmentations g ON g.id = s.segmentation_id
           WHERE m.customer IN (${chunk.map(() => '?').join(',')}) ORDER BY g.created_at DESC, s.key`,
        )
        .all(...chunk) as CustomerProfile['segments']),
    );
  }
  const events = mapped?.events ?? (db.prepare('SELECT at, dataset_id, source_row, kind, amount, detail FROM customer_events WHERE customer_id = ? ORDER BY at, dataset_id, source_row').all(customerId) as { at: string; dataset_id: string; source_row: number; kind: CustomerProfile['timeline'][number]['kind']; amount: number | null; detail: string }[]);
  const timeline: CustomerProfile['timeline'] = events.map((e) => ({
    at: e.at,
    datasetId: e.dataset_id,
    datasetName: info(e.dataset_id)?.name ?? e.dataset_id,
    row: e.source_row,
    kind: e.kind,
    amount: e.amount,
    detail: (JSON.parse(e.detail) as [string, string | null, unknown][]).map(([column, role, value]) => ({ column, role, value })),
  }));
  return {
    customer: { ...toRow(c), gender: c.gender, birthday: c.birthday, provenance: c.provenance ? JSON.parse(c.provenance) : {} },
    sources,
    moreSources: more,
    segments,
    timeline,
  };
}
