/**
 * Lifecycle stages over a transactions dataset (analysis/lifecycle does the work): stage counts
 * as of a date with the suggested action per stage, stage × month trend, the transition matrix
 * and Sankey between two dates, and — for an action — the stage table materialised as a derived
 * dataset with a rule segmentation on it (so "declining → win-back SMS" is a segment ready for
 * export, and recomputing it re-runs the same rule).
 *
 * Purchases are valid orders (by the status definitions in force) of a customer of the identity
 * layer — keyed by member id, a duplicate's id or only a phone — with a time and an amount ≥ 0
 * (refunds, negative amounts, are not purchases; a zero-value order still is — CDNOW has some).
 * Histories are read in SQL as one row per customer and purchase day (the lifecycle rules count
 * purchase days), so memory follows customers, not order lines. An optional customer list with a
 * registration date adds customers without purchases (prospects), matched through the same keys.
 */
import { ZodError } from 'zod';
import { AppError } from '../../../shared/errors';
import type { LifecycleConfigArgs, LifecycleResult, LifecycleSegmentResult, Stage } from '../../../shared/api/insights';
import type { DatasetInfo } from '../../../shared/types';
import type { DB } from '../../db/open';
import { createDerivedDataset, getDataset } from '../datasets';
import { dayText, timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { duckDaySql, eachRowWhereTheDataIs, eventSql, moneySum, purchaseSql, timeAggregateSql, type PurchaseSql } from '../identity/events';
import { CUSTOMER_KEY_COLUMNS, customerNames } from '../identity/index';
import type { DefinitionsUsed } from '../definitions/index';
import { saveRule } from '../segments/explore';
import { audit } from '../audit/index';
import { dayIndex, historyPacker, lifecycleConfig, packedStageByMonth, stageOfPacked, STAGE_IDS, STAGE_LABELS, type LifecycleConfig, type PackedHistories, type StageId } from '../../analysis/lifecycle/stages';
import { alignedStageTransitions } from '../../analysis/lifecycle/transitions';
import { STAGE_ACTIONS, stageSegmentRule } from '../../analysis/lifecycle/actions';
import { median } from '../../kernel/stats';
import { customerKey, DAY, endOfDay } from './common';

/** What reading the histories found, beyond the batches handed to the visitor. */
interface HistoriesRead {
  info: DatasetInfo;
  skipped: number;
  definitions: DefinitionsUsed;
}

/** A batch of customers' histories: their keys, in the order of `packed`. */
type HistoryBatch = (keys: string[], packed: PackedHistories) => void;

/** Purchase days held at once: the histories are handed over in batches of whole customers of about this many. */
export const BATCH_DAYS = 1 << 20;

function config(c: LifecycleConfigArgs | undefined): LifecycleConfig {
  try {
    return lifecycleConfig(c ?? {});
  } catch (e) {
    if (e instanceof ZodError) throw new AppError('bad_config', `Lifecycle thresholds: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, `生命周期阈值有误：${e.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；')}（流失天数必须大于新客天数）`);
    throw e;
  }
}

const noPurchases = (info: DatasetInfo) => new AppError('no_purchases', `Dataset "${info.name}" has no purchases (rows with a customer, a time and an amount of 0 or more).`, `数据集“${info.name}”没有可用的购买记录（需要客户、时间和不小于 0 的金额）。`);

/** The rows the histories read: valid purchases with an amount of 0 or more. */
const purchaseWhere = (p: PurchaseSql) => `${p.valid} AND ${p.amount} >= 0`;

/** The day of the latest purchase (the default as-of date): one aggregate where the rows are. */
async function latestPurchaseDay(db: DB, datasetId: string): Promise<string> {
  let latest = -Infinity;
  let p: PurchaseSql | null = null;
  // numbered DuckDB rows carry their time as a TIMESTAMP: the latest is read from it, with no join to the identity maps
  const sql = () => ((p = purchaseSql(db, datasetId, { numbered: true })), `SELECT ${timeAggregateSql(p.info, 'max', p.time, p.timeValue)} FROM ${p.from} WHERE ${purchaseWhere(p)}`);
  await eachRowWhereTheDataIs(db, datasetId, sql, ([t]) => {
    const time = typeof t === 'number' ? t : t == null ? NaN : timeMs(String(t));
    if (Number.isFinite(time)) latest = time;
  });
  if (latest === -Infinity) throw noPurchases(p!.info);
  return dayText(latest);
}

/**
 * Every customer's purchase history, handed to `visit` a batch of whole customers at a time: one row
 * per customer and purchase day (the day's first time and summed amount), in customer and day order,
 * grouped where the rows are and packed into flat typed arrays. Memory is one batch of purchase days
 * (`batchDays`) and the caller's few numbers per customer, whatever the number of order lines or days.
 * Registered customers without a purchase (prospects) come last.
 */
export async function readHistories(db: DB, datasetId: string, customersDataset: string | undefined, cfg: LifecycleConfig, visit: HistoryBatch, batchDays = BATCH_DAYS): Promise<HistoriesRead> {
  let s: PurchaseSql | null = null;
  const sql = () => {
    const p = (s = purchaseSql(db, datasetId, { numbered: true }));
    // a DuckDB group keyed by a DATE (4 bytes) rather than the day's text (a 16-byte string): at 50M orders
    // (46M customer-days) the exact money sum's larger state took the per-day GROUP BY past DuckDB's 1 GB cap
    // ("Out of Memory"); keyed by the date it needs no more than the plain sum did keyed by text (measured at 5M)
    const day = p.info.engine === 'duckdb' ? duckDaySql(p.time, p.timeValue) : `substr(${p.time}, 1, 10)`;
    const first = timeAggregateSql(p.info, 'min', p.time, p.timeValue);
    if (!p.numbered) return `SELECT ${p.key}, ${first}, ${moneySum(p.info, p.amount)}, count(*) FROM ${p.from} WHERE ${purchaseWhere(p)} GROUP BY 1, ${day} ORDER BY 1, ${day}`;
    // numbered DuckDB rows: grouped by customer number and day, each group given its customer's key after the
    // grouping (numbers follow key order, so the order is the same); the day orders the rows but is not handed to
    // JavaScript (byCustomerKey hands every column over: a DATE per customer-day, millions of them)
    const grouped = `SELECT ${p.key} AS k, ${day} AS d, ${first} AS t0, ${moneySum(p.info, p.amount)} AS a, count(*) AS n FROM ${p.from} WHERE ${purchaseWhere(p)} GROUP BY 1, 2`;
    return `SELECT _n.customer_id, _g.t0, _g.a, _g.n FROM (${grouped}) _g JOIN identity_names _n ON _n.no = _g.k ORDER BY _g.k, _g.d`;
  };
  const registered = customersDataset ? await registrations(db, customersDataset, datasetId) : new Map<string, number>();
  let pack = historyPacker(cfg.utcOffsetMinutes);
  let keys: string[] = [];
  let days = 0;
  let buyers = 0;
  let used = 0;
  let cur: string | null = null;
  const hand = () => {
    if (keys.length) visit(keys, pack.done());
    pack = historyPacker(cfg.utcOffsetMinutes);
    keys = [];
    days = 0;
  };
  await eachRowWhereTheDataIs(db, datasetId, sql, (row) => {
    const [c, t, a, n] = row as [string, string | number, number, number];
    const time = typeof t === 'number' ? t : timeMs(String(t));
    if (!Number.isFinite(time)) return;
    used += n;
    if (c !== cur) {
      // a batch ends between customers, never inside one
      if (days >= batchDays) hand();
      cur = c;
      keys.push(c);
      buyers++;
      pack.customer(registered.get(c) ?? null, true);
      registered.delete(c);
    }
    pack.day(time, a);
    days++;
  });
  const info = s!.info;
  if (!buyers) throw noPurchases(info);
  hand();
  for (const [k, t] of registered) {
    if (keys.length >= batchDays) hand();
    keys.push(k);
    pack.customer(t, true);
  }
  hand();
  return { info, skipped: info.rowCount - used, definitions: s!.definitions };
}

/** Each customer's registration time on a customer list, matched through the identity keys, read where the list's rows are. */
async function registrations(db: DB, customersDataset: string, ordersId: string): Promise<Map<string, number>> {
  const ci = getDataset(db, customersDataset);
  const name = getDataset(db, ordersId).name;
  if (!customerKey(ci)) throw new AppError('missing_role', `The customer list "${ci.name}" has no customer id, phone or e-mail column to match "${name}".`, `客户数据集“${ci.name}”没有可与“${name}”匹配的客户ID、手机号或邮箱列。`);
  const rc = roleColumn(ci, 'timestamp');
  if (!rc) throw new AppError('missing_role', `The customer list "${ci.name}" has no registration date (timestamp role).`, `客户数据集“${ci.name}”没有注册日期（时间角色）列。`);
  const registered = new Map<string, number>();
  // a DuckDB list was read from the workspace's SQLite and failed ("lives in the DuckDB engine")
  const sql = () => {
    const e = eventSql(db, ci);
    return `SELECT ${e.key}, ${timeAggregateSql(ci, 'min', e.col(rc))} FROM ${e.from} WHERE ${e.col(rc)} IS NOT NULL GROUP BY 1`;
  };
  await eachRowWhereTheDataIs(db, ci.id, sql, (row) => {
    const [k, t] = row as [string, string | number];
    const time = typeof t === 'number' ? t : timeMs(String(t));
    if (Number.isFinite(time) && !(time >= (registered.get(k) ?? Infinity))) registered.set(k, time);
  });
  return registered;
}

/** The as-of and comparison dates: as given, else the day of the latest purchase and 90 days before it. */
async function dates(db: DB, datasetId: string, asOf?: string, compareTo?: string) {
  const asOfDate = asOf ?? (await latestPurchaseDay(db, datasetId));
  const asOfMs = endOfDay(asOfDate);
  const cmpDate = compareTo ?? dayText(asOfMs - 90 * DAY);
  const cmpMs = endOfDay(cmpDate);
  return { asOfDate, asOfMs, cmpDate, cmpMs };
}

export async function lifecycle(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; compareTo?: string; months: number; config?: LifecycleConfigArgs }, batchDays = BATCH_DAYS): Promise<LifecycleResult> {
  const cfg = config(a.config);
  const d = await dates(db, a.datasetId, a.asOf, a.compareTo);
  const [nowDay, cmpDay] = [dayIndex(d.asOfMs, cfg.utcOffsetMinutes), dayIndex(d.cmpMs, cfg.utcOffsetMinutes)];
  // Trend: month ends from `months − 1` months before the as-of month to the as-of month.
  const asOfD = new Date(d.asOfMs);
  const from = Date.UTC(asOfD.getUTCFullYear(), asOfD.getUTCMonth() - (a.months - 1), 1);
  // each batch of customers is counted and dropped: kept per customer are only its two stage ids (for the transitions)
  const now: (StageId | null)[] = [];
  const then: (StageId | null)[] = [];
  const counts = Object.fromEntries(STAGE_IDS.map((s) => [s, 0])) as Record<StageId, number>;
  const gaps = Object.fromEntries(STAGE_IDS.map((s) => [s, [] as number[]])) as Record<StageId, number[]>;
  const reasons: Record<string, number> = {};
  // the trend's month ends with no customer counted yet; each batch adds its counts
  const trend = packedStageByMonth(historyPacker(cfg.utcOffsetMinutes).done(), from, d.asOfMs, cfg);
  let counted = 0;
  const h = await readHistories(db, a.datasetId, a.customersDataset, cfg, (_keys, packed) => {
    for (let i = 0; i < packed.count; i++) {
      const r = stageOfPacked(packed, i, nowDay, cfg);
      now.push(r?.stage ?? null);
      then.push(stageOfPacked(packed, i, cmpDay, cfg)?.stage ?? null);
      if (!r) continue;
      counted++;
      counts[r.stage]++;
      reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
      if (r.daysSinceLast !== null) gaps[r.stage].push(r.daysSinceLast);
    }
    const m = packedStageByMonth(packed, from, d.asOfMs, cfg);
    for (const s of STAGE_IDS) m.counts[s].forEach((n, k) => (trend.counts[s][k]! += n));
    m.totals.forEach((n, k) => (trend.totals[k]! += n));
  }, batchDays);
  const [t1, t2] = d.cmpMs <= d.asOfMs ? [{ date: d.cmpDate, st: then }, { date: d.asOfDate, st: now }] : [{ date: d.asOfDate, st: now }, { date: d.cmpDate, st: then }];
  const tr = alignedStageTransitions(t1.st, t2.st);
  const stages = STAGE_IDS.map((s) => {
    const n = counts[s];
    return { stage: s, zh: STAGE_LABELS[s].zh, en: STAGE_LABELS[s].en, count: n, share: counted ? n / counted : 0, actionZh: STAGE_ACTIONS[s].zh, actionEn: STAGE_ACTIONS[s].en, priority: STAGE_ACTIONS[s].priority, medianDaysSinceLast: gaps[s].length ? median(gaps[s]) : null };
  });
  return {
    asOf: d.asOfDate,
    compareTo: d.cmpDate,
    customers: counted,
    stages,
    reasons,
    trend: { months: trend.months, counts: trend.counts as Record<Stage, number[]>, totals: trend.totals },
    transitions: {
      from: t1.date,
      to: t2.date,
      states: [...tr.states],
      counts: tr.counts,
      shares: tr.shares,
      nodes: tr.nodes.map((n) => ({ id: n.id, stage: n.stage, side: n.side, zh: n.label.zh, en: n.label.en, value: n.value })),
      links: tr.links,
    },
    skippedRows: h.skipped,
    definitions: h.definitions,
  };
}

/**
 * The stage table as a derived dataset (reused when source, date and thresholds are the same): each
 * batch of histories leaves one row per customer with a stage; the table is written by `write`, in the
 * caller's transaction.
 */
async function stageDataset(db: DB, a: { datasetId: string; customersDataset?: string }, asOfDate: string, cfg: LifecycleConfig, batchDays: number): Promise<{ write: () => DatasetInfo }> {
  const info = getDataset(db, a.datasetId);
  const settings = { analysis: 'lifecycle', source: info.id, customers: a.customersDataset ?? null, asOf: asOfDate, config: cfg };
  const reuse = () => db.prepare("SELECT id FROM datasets WHERE kind = 'derived' AND settings = ?").get(JSON.stringify(settings)) as { id: string } | undefined;
  const made = reuse();
  if (made) return { write: () => getDataset(db, made.id) };
  const day = dayIndex(endOfDay(asOfDate), cfg.utcOffsetMinutes);
  const rows: [string, StageId, string, number | null, number][] = [];
  await readHistories(db, a.datasetId, a.customersDataset, cfg, (keys, packed) => {
    for (let i = 0; i < packed.count; i++) {
      const r = stageOfPacked(packed, i, day, cfg);
      if (r) rows.push([keys[i]!, r.stage, r.reason, r.daysSinceLast, r.purchaseDays]);
    }
  }, batchDays);
  const write = () => {
    const found = reuse();
    if (found) return getDataset(db, found.id);
    const names = customerNames(db);
    const ds = createDerivedDataset(db, {
      name: `生命周期阶段 ${info.name} ${asOfDate}`,
      parentId: info.id,
      columns: [
        ...CUSTOMER_KEY_COLUMNS,
        { name: 'lifecycle_stage', type: 'category', role: null },
        { name: '阶段', type: 'category', role: null },
        { name: 'reason', type: 'category', role: null },
        { name: 'days_since_last', type: 'integer', role: null },
        { name: 'purchase_days', type: 'integer', role: null },
      ],
      rows: (function* () {
        for (const [k, stage, reason, since, purchaseDays] of rows) {
          const nm = names.get(k);
          yield [k, nm?.memberId ?? null, nm?.phone ?? null, stage, STAGE_LABELS[stage].zh, reason, since, purchaseDays];
        }
      })(),
      settings,
    });
    audit(db, 'insights.lifecycle_stages', { objectType: 'dataset', objectId: ds.id, rows: ds.rowCount, details: { source: info.id, asOf: asOfDate } });
    return ds;
  };
  return { write };
}

export async function lifecycleSegment(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; config?: LifecycleConfigArgs; stages: Stage[]; name?: string }, batchDays = BATCH_DAYS): Promise<LifecycleSegmentResult> {
  const cfg = config(a.config);
  const d = await dates(db, a.datasetId, a.asOf);
  const table = await stageDataset(db, a, d.asOfDate, cfg, batchDays);
  return db.transaction(() => {
    const ds = table.write();
    const wanted = [...new Set(a.stages)];
    const rule = wanted.length === 1 ? stageSegmentRule(wanted[0]!) : { kind: 'group' as const, op: 'or' as const, children: wanted.map((s) => stageSegmentRule(s)) };
    const label = wanted.map((s) => STAGE_LABELS[s].zh).join('+');
    const seg = saveRule(db, ds.id, a.name ?? `${label}客户 ${d.asOfDate}`, rule);
    return { segmentation: seg, stageDataset: ds.id, members: seg.segments[0]?.size ?? 0 };
  })();
}
