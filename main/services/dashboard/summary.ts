/**
 * Dashboard aggregates, all in SQL over a transactions dataset (roles: customer, timestamp,
 * amount; optional order id, channel, region). Period: the chosen dates, or by default the 12
 * months ending at the latest transaction; the previous period is the same length just before.
 * Rows are read through the identity layer (customer = its customer key, so a phone-only order
 * line counts for its customer) and only valid orders count (status definitions in force);
 * refunded lines are shown apart (`refunded`, the absolute amount). Orders are distinct order ids (or rows); active customers
 * bought in the period's last 90 days; repeat rate = share of the period's customers with ≥ 2
 * orders; AOV = revenue / orders. The weekday × hour heatmap counts orders (0 = Monday).
 * A DuckDB dataset's aggregates run in DuckDB, by the same SQL but for the weekday and the number
 * test; a segmentation's members (listed in the workspace) are copied into a temporary table there.
 */
import type { DashboardSummary, Kpis } from '../../../shared/api/dashboard';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { duckAll, duckTempTexts, withDuck, type DuckConnection } from '../../db/duckdb';
import { getDataset } from '../datasets';
import { roleColumn } from '../datasets/index';
import { numericSql, purchaseSql, type PurchaseSql } from '../identity/events';
import { prepareDuck } from '../identity/index';
import { membershipInDuck, membershipInWorkspace } from '../segments/membership';

const shift = (d: string, days: number) => new Date(Date.parse(d + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);

type SummaryArgs = { datasetId: string; from?: string; to?: string; channel?: string; region?: string; segmentationId?: string; segment?: string };
/** One aggregate's rows, positionally (columns in SELECT order). */
type Run = (sql: string, params: unknown[]) => Promise<unknown[][]>;

export async function dashboardSummary(db: DB, a: SummaryArgs): Promise<DashboardSummary> {
  const info = getDataset(db, a.datasetId);
  if (info.engine !== 'duckdb') return summarise(db, info, a, async (sql, params) => db.prepare(sql).raw(true).all(...params) as unknown[][]);
  return withDuck(db, async (c) => {
    await prepareDuck(db, c);
    if (a.segmentationId) await copyMembers(db, c, a.segmentationId);
    return summarise(db, info, a, (sql, params) => duckAll(c, sql, params), await keyedOnce(db, c, info));
  });
}

/**
 * The dozen aggregates below each read the dataset's rows keyed through the identity maps; DuckDB
 * joins them once, into a temporary table (customer, time, amount, order id, status class, valid,
 * channel, region), and the aggregates read that.
 */
async function keyedOnce(db: DB, c: DuckConnection, info: DatasetInfo): Promise<PurchaseSql> {
  const p = purchaseSql(db, info.id);
  const kept = [...new Set([roleColumn(info, 'channel'), roleColumn(info, 'region', 'city')].filter((x): x is string => !!x))];
  await c.run(
    `CREATE TEMP TABLE dashboard_rows AS SELECT ${p.key} AS _customer, ${p.time} AS _time, ${p.amount ?? 'NULL'} AS _amount, ${p.invoice ?? 'NULL'} AS _invoice, ${p.status} AS _status, (${p.valid}) AS _valid${kept.map((k) => `, ${p.col(k)} AS ${qid(k)}`).join('')} FROM ${p.from}`,
  );
  return { ...p, from: 'dashboard_rows t', key: 't._customer', time: 't._time', amount: 't._amount', invoice: p.invoice ? 't._invoice' : null, status: 't._status', valid: 't._valid', col: (name: string) => `t.${qid(name)}` };
}

/** A segmentation's members and segments, as temporary tables of the DuckDB connection (named as the workspace's). */
async function copyMembers(db: DB, c: DuckConnection, segmentationId: string): Promise<void> {
  await membershipInDuck(db, c, { segmentationId }, 'segment_members_now');
  await duckTempTexts(c, 'segments', ['id', 'segmentation_id', 'key', 'name'], db.prepare('SELECT id, segmentation_id, key, name FROM segments WHERE segmentation_id = ?').raw(true).iterate(segmentationId) as IterableIterator<string[]>);
}

async function summarise(db: DB, info: DatasetInfo, a: SummaryArgs, run: Run, keyed?: PurchaseSql): Promise<DashboardSummary> {
  const duck = info.engine === 'duckdb';
  const one = async (sql: string, params: unknown[]) => (await run(sql, params))[0]!;
  const p = keyed ?? purchaseSql(db, info.id);
  const s = { customer: p.key, time: p.time, amount: p.amount, invoice: p.invoice };
  const chName = roleColumn(info, 'channel');
  const rgName = roleColumn(info, 'region', 'city');
  const ch = chName && p.col(chName);
  const rg = rgName && p.col(rgName);
  const T = qid(info.id);
  const maxT = ((await one(`SELECT max(${s.time}) FROM ${p.from} WHERE ${p.valid}`, []))[0] as string | null) ?? new Date().toISOString();
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
    join = `JOIN (${duck ? 'SELECT segment_id, customer FROM segment_members_now' : await membershipInWorkspace(db, { segmentationId: a.segmentationId })}) sm ON sm.customer = ${s.customer} JOIN segments sg ON sg.id = sm.segment_id AND sg.segmentation_id = ?`;
    params.unshift(a.segmentationId);
    if (a.segment) {
      where.push('sg.key = ?');
      params.push(a.segment);
    }
  }
  const base = `FROM ${p.from} ${join} WHERE ${where.join(' AND ')}`;
  // refunded lines, shown apart: the same filters with the status 'refunded'
  const refundBase = base.replace(p.valid, `${p.status} = 'refunded' AND ${s.time} IS NOT NULL AND ${numericSql(info, s.amount!)}`);
  const inRange = `${s.time} >= ? AND ${s.time} < ?`;
  const orderExpr = s.invoice ? `count(DISTINCT ${s.invoice})` : 'count(*)';
  const kpis = async (f: string, t: string): Promise<Kpis> => {
    const end = shift(t, 1);
    const [customers, revenue, orders] = (await one(`SELECT count(DISTINCT ${s.customer}), coalesce(sum(${s.amount}), 0), ${orderExpr} ${base} AND ${inRange}`, [...params, f, end])) as number[];
    const [active] = (await one(`SELECT count(DISTINCT ${s.customer}) ${base} AND ${inRange}`, [...params, shift(t, -89), end])) as number[];
    const [repeat] = (await one(`SELECT count(*) FROM (SELECT ${s.customer} AS c, ${orderExpr} AS k ${base} AND ${inRange} GROUP BY ${s.customer}) WHERE k >= 2`, [...params, f, end])) as number[];
    const [refunded] = (await one(`SELECT coalesce(sum(abs(${s.amount})), 0) ${refundBase} AND ${inRange}`, [...params, f, end])) as number[];
    return { customers: customers!, activeCustomers: active!, revenue: Math.round(revenue! * 100) / 100, orders: orders!, aov: orders ? revenue! / orders : 0, repeatRate: customers ? repeat! / customers : 0, refunded: Math.round(refunded! * 100) / 100 };
  };
  const end = shift(to, 1);
  const monthly = (await run(`SELECT substr(${s.time}, 1, 7), sum(${s.amount}), ${orderExpr}, count(DISTINCT ${s.customer}) ${base} AND ${inRange} GROUP BY 1 ORDER BY 1`, [...params, from, end])).map(([month, revenue, orders, customers]) => ({
    month: month as string,
    revenue: Math.round((revenue as number) * 100) / 100,
    orders: orders as number,
    customers: customers as number,
  }));
  // ties in revenue fall by key, so both engines list them alike
  const by = async (col: string | null) =>
    col
      ? (await run(`SELECT coalesce(CAST(${col} AS TEXT), '—') AS key, sum(${s.amount}) AS revenue, ${orderExpr} ${base} AND ${inRange} GROUP BY 1 ORDER BY revenue DESC, key LIMIT 20`, [...params, from, end])).map(([key, revenue, orders]) => ({ key: key as string, revenue: revenue as number, orders: orders as number }))
      : null;
  const bySegment = a.segmentationId
    ? (await run(`SELECT sg.key AS key, sg.name, sum(${s.amount}) AS revenue, count(DISTINCT ${s.customer}) ${base} AND ${inRange} GROUP BY 1, 2 ORDER BY revenue DESC, key`, [...params, from, end])).map(([key, name, revenue, customers]) => ({ key: key as string, name: name as string, revenue: revenue as number, customers: customers as number }))
    : null;
  // 0 = Monday: SQLite's strftime('%w') is 0 = Sunday, DuckDB's isodow 1 = Monday
  const weekday = duck ? `isodow(CAST(substr(${s.time}, 1, 10) AS DATE)) - 1` : `(CAST(strftime('%w', ${s.time}) AS INTEGER) + 6) % 7`;
  const hour = duck ? `CAST(substr(${s.time}, 12, 2) AS INTEGER)` : `CAST(strftime('%H', ${s.time}) AS INTEGER)`;
  const heatmap = (await run(`SELECT ${weekday}, ${hour}, ${orderExpr} ${base} AND ${inRange} AND length(${s.time}) > 10 GROUP BY 1, 2 ORDER BY 1, 2`, [...params, from, end])).map(([w, h, orders]) => ({ weekday: w as number, hour: h as number, orders: orders as number }));
  const distinct = async (col: string | null) => (col ? (await run(`SELECT DISTINCT CAST(${qid(col)} AS TEXT) AS v FROM ${T} WHERE ${qid(col)} IS NOT NULL ORDER BY 1 LIMIT 200`, [])).map((r) => r[0] as string) : []);
  const definitions = p.definitions;
  return {
    period: { from, to },
    previous: { from: prevFrom, to: prevTo },
    kpis: await kpis(from, to),
    previousKpis: await kpis(prevFrom, prevTo),
    monthly,
    byChannel: await by(ch),
    byRegion: await by(rg),
    bySegment,
    heatmap,
    channels: await distinct(chName),
    regions: await distinct(rgName),
    definitions,
  };
}
