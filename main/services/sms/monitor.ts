/**
 * Campaign monitoring (seed 000's 实时监控和反馈). A monitor watches a sends dataset (plus its
 * replies, clicks and delivery receipts — a gateway's 成功 is accepted, not delivered: with
 * receipts, DELIVRD decides). Each batch of result files appended to the sends dataset (import with
 * appendTo) is one point on the KPI trend: delivery, failure, click, reply and unsubscribe
 * rates of the sends in that batch. A KPI beyond its threshold raises an alert once per batch
 * (kept until acknowledged). Batches with fewer than `minSends` sends are shown but never alert:
 * a rate over 20 messages is noise.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { MonitorKpis, MonitorThresholds, MonitorView } from '../../../shared/api/sms';
import type { DB } from '../../db/open';
import { audit } from '../audit/index';
import { getDataset } from '../datasets';
import { countIf, withSendOutcomes } from './outcomes';

export const DEFAULT_THRESHOLDS: MonitorThresholds = { deliveryRateMin: 0.9, unsubscribeRateMax: 0.02, failRateMax: null, clickRateMin: null, minSends: 50 };

interface MonitorRow {
  id: string;
  name: string;
  sends: string;
  replies: string | null;
  clicks: string | null;
  receipts: string | null;
  thresholds: string;
  created_at: string;
}

/** Which KPIs of a batch are beyond their thresholds. */
export function breaches(k: MonitorKpis, t: MonitorThresholds): { kpi: keyof MonitorKpis; value: number; threshold: number }[] {
  if (k.sent < t.minSends) return [];
  const out: { kpi: keyof MonitorKpis; value: number; threshold: number }[] = [];
  const low = (kpi: keyof MonitorKpis, min: number | null) => min !== null && (k[kpi] as number) < min && out.push({ kpi, value: k[kpi] as number, threshold: min });
  const high = (kpi: keyof MonitorKpis, max: number | null) => max !== null && (k[kpi] as number) > max && out.push({ kpi, value: k[kpi] as number, threshold: max });
  low('deliveryRate', t.deliveryRateMin);
  high('unsubscribeRate', t.unsubscribeRateMax);
  high('failRate', t.failRateMax);
  if (k.clickRate !== null) low('clickRate', t.clickRateMin);
  return out;
}

async function evaluate(db: DB, m: MonitorRow): Promise<MonitorView> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...(JSON.parse(m.thresholds) as Partial<MonitorThresholds>) };
  const batches = db.prepare('SELECT batch, first_row AS firstRow, last_row AS lastRow, files, imported_at AS importedAt FROM dataset_batches WHERE dataset_id = ? ORDER BY batch').all(m.sends) as { batch: number; firstRow: number; lastRow: number; files: string; importedAt: string }[];
  const insAlert = db.prepare('INSERT INTO monitor_alerts (monitor_id, batch, kpi, value, threshold, raised_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  // each batch's sends and outcomes, counted in SQL (the sends' rows of a batch are a range)
  const counted = await withSendOutcomes(db, { sends: m.sends, replies: m.replies ?? undefined, clicks: m.clicks ?? undefined, receipts: m.receipts ?? undefined, windowDays: 7 }, (o) =>
    // one query at a time (a DuckDB connection runs one)
    sequentially(batches, async (b) => (await o.all(`SELECT count(*), coalesce(${countIf("status = 'delivered'")}, 0), coalesce(${countIf("status = 'failed'")}, 0), coalesce(sum(clicked), 0), coalesce(sum(replied), 0), coalesce(sum(unsub), 0) FROM sms_sends WHERE row BETWEEN ? AND ?`, b.firstRow, b.lastRow))[0]!.map(Number)),
  );
  const trend = batches.map((b, k) => {
    const [sent, delivered, failed, clicked, replied, unsub] = counted[k]!;
    const rate = (x: number, n: number) => (n ? x / n : 0);
    const kpis: MonitorKpis = {
      sent,
      deliveryRate: rate(delivered, sent),
      failRate: rate(failed, sent),
      clickRate: m.clicks ? rate(clicked, delivered || sent) : null,
      replyRate: rate(replied, delivered || sent),
      unsubscribeRate: rate(unsub, delivered || sent),
    };
    for (const br of breaches(kpis, thresholds)) insAlert.run(m.id, b.batch, br.kpi, br.value, br.threshold, new Date().toISOString());
    return { batch: b.batch, files: b.files, importedAt: b.importedAt, kpis };
  });
  const alerts = db.prepare('SELECT id, batch, kpi, value, threshold, raised_at AS raisedAt, acknowledged FROM monitor_alerts WHERE monitor_id = ? ORDER BY batch DESC, kpi').all(m.id) as MonitorView['alerts'];
  return { id: m.id, name: m.name, sends: m.sends, replies: m.replies, clicks: m.clicks, receipts: m.receipts, thresholds, createdAt: m.created_at, trend, alerts: alerts.map((a) => ({ ...a, acknowledged: !!a.acknowledged })) };
}

export async function listMonitors(db: DB): Promise<{ monitors: MonitorView[]; unacknowledged: number }> {
  const rows = db.prepare('SELECT * FROM campaign_monitors ORDER BY created_at').all() as MonitorRow[];
  const monitors: MonitorView[] = [];
  for (const m of rows) monitors.push(await evaluate(db, m));
  return { monitors, unacknowledged: monitors.reduce((s, m) => s + m.alerts.filter((a) => !a.acknowledged).length, 0) };
}

export async function saveMonitor(db: DB, a: { id?: string; name: string; sends: string; replies?: string; clicks?: string; receipts?: string; thresholds: Partial<MonitorThresholds> }): Promise<MonitorView> {
  for (const d of [a.sends, a.replies, a.clicks, a.receipts]) if (d) getDataset(db, d);
  const thresholds = JSON.stringify({ ...DEFAULT_THRESHOLDS, ...a.thresholds });
  const id = a.id ?? `mon_${randomBytes(6).toString('hex')}`;
  if (a.id) {
    const r = db.prepare('UPDATE campaign_monitors SET name = ?, sends = ?, replies = ?, clicks = ?, receipts = ?, thresholds = ? WHERE id = ?').run(a.name, a.sends, a.replies ?? null, a.clicks ?? null, a.receipts ?? null, thresholds, a.id);
    if (!r.changes) throw new AppError('not_found', 'No such monitor.', '找不到该监控。');
    // New thresholds: alerts are re-evaluated from scratch.
    db.prepare('DELETE FROM monitor_alerts WHERE monitor_id = ? AND acknowledged = 0').run(a.id);
  } else {
    db.prepare('INSERT INTO campaign_monitors (id, name, sends, replies, clicks, receipts, thresholds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(id, a.name, a.sends, a.replies ?? null, a.clicks ?? null, a.receipts ?? null, thresholds, new Date().toISOString());
  }
  audit(db, 'monitor.saved', { objectType: 'monitor', objectId: id, details: { name: a.name, sends: a.sends, receipts: a.receipts ?? null, thresholds: JSON.parse(thresholds) } });
  return evaluate(db, db.prepare('SELECT * FROM campaign_monitors WHERE id = ?').get(id) as MonitorRow);
}

export function deleteMonitor(db: DB, id: string): { deleted: string } {
  if (!db.prepare('DELETE FROM campaign_monitors WHERE id = ?').run(id).changes) throw new AppError('not_found', 'No such monitor.', '找不到该监控。');
  audit(db, 'monitor.deleted', { objectType: 'monitor', objectId: id });
  return { deleted: id };
}

export function acknowledgeAlerts(db: DB, a: { monitorId?: string; ids?: number[] }): { acknowledged: number } {
  let n = 0;
  if (a.ids?.length) for (const id of a.ids) n += db.prepare('UPDATE monitor_alerts SET acknowledged = 1 WHERE id = ? AND acknowledged = 0').run(id).changes;
  else n = db.prepare(`UPDATE monitor_alerts SET acknowledged = 1 WHERE acknowledged = 0${a.monitorId ? ' AND monitor_id = ?' : ''}`).run(...(a.monitorId ? [a.monitorId] : [])).changes;
  return { acknowledged: n };
}

async function sequentially<A, B>(items: readonly A[], f: (a: A) => Promise<B>): Promise<B[]> {
  const out: B[] = [];
  for (const x of items) out.push(await f(x));
  return out;
}
