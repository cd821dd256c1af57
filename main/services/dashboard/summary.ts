/**
 * Dashboard aggregates, all in SQL over a transactions dataset (roles: customer, timestamp,
 * amount; optional order id, channel, region). Period: the chosen dates, or by default the 12
 * months ending at the latest transaction; the previous period is the same length just before.
 * Rows are read through the identity layer (customer = its customer key, so a phone-only order
 * line counts for its customer) and only valid orders count (status definitions in force);
 * refunded lines are shown apart (`refunded`, the absolute amount). Orders are distinct order ids (or rows); active customers
 * bought in the period's last 90 days; repeat rate = share of the period's customers with ≥ 2
 * orders; AOV = revenue / orders. The weekday × hour heatmap counts orders (0 = Monday).
 */
import type { DashboardSummary, Kpis } from '../../../shared/api/dashboard';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { roleColumn } from '../datasets/index';
import { purchaseSql } from '../identity/events';
import { membershipSql } from '../segments/membership';

const shift = (d: string, days: number) => new Date(Date.parse(d + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);

export function dashboardSummary(db: DB, a: { datasetId: string; from?: string; to?: string; channel?: string; region?: string; segmentationId?: string; segment?: string }): DashboardSummary {
  const info = getDataset(db, a.datasetId);
  const p = purchaseSql(db, info.id);
  const s = { customer: p.key, time: p.time, amount: p.amount, invoice: p.invoice };
  const chName = roleColumn(info, 'channel');
  const rgName = roleColumn(info, 'region', 'city');
  const ch = chName && p.col(chName);
  const rg = rgName && p.col(rgName);
  const T = qid(info.id);
  const maxT = (db.prepare(`SELECT max(${s.time}) AS m FROM ${p.from} WHERE ${p.valid}`).get() as { m: string | null }).m ?? new Date().toISOString();
  const to = a.to ?? maxT.slice(0, 10);
  const from = a.from ?? shift(to, -364);
  const len = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const prevTo = shift(from, -1);
  const prevFrom = shift(prevTo, -(len - 1));
  // Global filters shared by every aggregate.
  const where: string[] = [p.valid];
  const params: unknown[] = [];
  if (a.channel && ch) {
    where.push(`${ch} = ?`);
    params.push(a.channel);
  }
  if (a.region && rg) {
    where.push(`${rg} = ?`);
    params.push(a.region);
  }
  let join = '';
  if (a.segmentationId) {
    join = `JOIN (${membershipSql(db, a.segmentationId)}) sm ON sm.customer = ${s.customer} JOIN segments sg ON sg.id = sm.segment_id AND sg.segmentation_id = ?`;
    params.unshift(a.segmentationId);
    if (a.segment) {
      where.push('sg.key = ?');
      params.push(a.segment);
    }
  }
  const base = `FROM ${p.from} ${join} WHERE ${where.join(' AND ')}`;
  // refunded lines, shown apart: the same filters with the status 'refunded'
  const refundBase = base.replace(p.valid, `${p.status} = 'refunded' AND ${s.time} IS NOT NULL AND typeof(${s.amount}) IN ('integer', 'real')`);
  const inRange = `${s.time} >= ? AND ${s.time} < ?`;
  const orderExpr = s.invoice ? `count(DISTINCT ${s.invoice})` : 'count(*)';
  const kpis = (f: string, t: string): Kpis => {
    const end = shift(t, 1);
    const r = db.prepare(`SELECT count(DISTINCT ${s.customer}) AS customers, coalesce(sum(${s.amount}), 0) AS revenue, ${orderExpr} AS orders ${base} AND ${inRange}`).get(...params, f, end) as { customers: number; revenue: number; orders: number };
    const active = (db.prepare(`SELECT count(DISTINCT ${s.customer}) AS n ${base} AND ${inRange}`).get(...params, shift(t, -89), end) as { n: number }).n;
    const repeat = (
      db.prepare(`SELECT count(*) AS n FROM (SELECT ${s.customer} AS c, ${orderExpr} AS k ${base} AND ${inRange} GROUP BY ${s.customer}) WHERE k >= 2`).get(...params, f, end) as { n: number }
    ).n;
    const refunded = (db.prepare(`SELECT coalesce(sum(abs(${s.amount})), 0) AS v ${refundBase} AND ${inRange}`).get(...params, f, end) as { v: number }).v;
    return { customers: r.customers, activeCustomers: active, revenue: Math.round(r.revenue * 100) / 100, orders: r.orders, aov: r.orders ? r.revenue / r.orders : 0, repeatRate: r.customers ? repeat / r.customers : 0, refunded: Math.round(refunded * 100) / 100 };
  };
  const end = shift(to, 1);
  const monthly = db
    .prepare(`SELECT substr(${s.time}, 1, 7) AS month, sum(${s.amount}) AS revenue, ${orderExpr} AS orders, count(DISTINCT ${s.customer}) AS customers ${base} AND ${inRange} GROUP BY 1 ORDER BY 1`)
    .all(...params, from, end) as DashboardSummary['monthly'];
  const by = (col: string | null) =>
    col
      ? (db.prepare(`SELECT coalesce(CAST(${col} AS TEXT), '—') AS key, sum(${s.amount}) AS revenue, ${orderExpr} AS orders ${base} AND ${inRange} GROUP BY 1 ORDER BY revenue DESC LIMIT 20`).all(...params, from, end) as { key: string; revenue: number; orders: number }[])
      : null;
  const bySegment = a.segmentationId
    ? (db.prepare(`SELECT sg.key AS key, sg.name AS name, sum(${s.amount}) AS revenue, count(DISTINCT ${s.customer}) AS customers ${base} AND ${inRange} GROUP BY 1, 2 ORDER BY revenue DESC`).all(...params, from, end) as DashboardSummary['bySegment'])
    : null;
  // strftime('%w') is 0 = Sunday; shift so 0 = Monday.
  const heatmap = db
    .prepare(`SELECT (CAST(strftime('%w', ${s.time}) AS INTEGER) + 6) % 7 AS weekday, CAST(strftime('%H', ${s.time}) AS INTEGER) AS hour, ${orderExpr} AS orders ${base} AND ${inRange} AND length(${s.time}) > 10 GROUP BY 1, 2`)
    .all(...params, from, end) as DashboardSummary['heatmap'];
  const distinct = (col: string | null) => (col ? (db.prepare(`SELECT DISTINCT CAST(${qid(col)} AS TEXT) AS v FROM ${T} WHERE ${qid(col)} IS NOT NULL ORDER BY 1 LIMIT 200`).raw(true).all() as [string][]).map((r) => r[0]) : []);
  const definitions = p.definitions;
  return {
    period: { from, to },
    previous: { from: prevFrom, to: prevTo },
    kpis: kpis(from, to),
    previousKpis: kpis(prevFrom, prevTo),
    monthly: monthly.map((m) => ({ ...m, revenue: Math.round(m.revenue * 100) / 100 })),
    byChannel: by(ch),
    byRegion: by(rg),
    bySegment,
    heatmap,
    channels: distinct(chName),
    regions: distinct(rgName),
    definitions,
  };
}
