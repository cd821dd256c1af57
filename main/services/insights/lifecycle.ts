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
import { eachRowWhereTheDataIs, eventSql, purchaseSql, timeAggregateSql, type PurchaseSql } from '../identity/events';
import { CUSTOMER_KEY_COLUMNS, customerNames } from '../identity/index';
import type { DefinitionsUsed } from '../definitions/index';
import { saveRule } from '../segments/explore';
import { audit } from '../audit/index';
import { dayIndex, historyPacker, lifecycleConfig, packedStageByMonth, stageOfPacked, STAGE_IDS, STAGE_LABELS, type LifecycleConfig, type PackedHistories, type StageId } from '../../analysis/lifecycle/stages';
import { alignedStageTransitions } from '../../analysis/lifecycle/transitions';
import { STAGE_ACTIONS, stageSegmentRule } from '../../analysis/lifecycle/actions';
import { median } from '../../kernel/stats';
import { customerKey, DAY, endOfDay } from './common';

interface Histories {
  info: DatasetInfo;
  /** Customer keys, in the order of `packed`. */
  keys: string[];
  packed: PackedHistories;
  lastTime: number;
  skipped: number;
  definitions: DefinitionsUsed;
}

function config(c: LifecycleConfigArgs | undefined): LifecycleConfig {
  try {
    return lifecycleConfig(c ?? {});
  } catch (e) {
    if (e instanceof ZodError) throw new AppError('bad_config', `Lifecycle thresholds: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, `生命周期阈值有误：${e.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；')}（流失天数必须大于新客天数）`);
    throw e;
  }
}

export async function readHistories(db: DB, datasetId: string, customersDataset: string | undefined, cfg: LifecycleConfig): Promise<Histories> {
  let s: PurchaseSql | null = null;
  // one row per customer and purchase day (the day's first time and summed amount), in customer and
  // day order, packed into flat typed arrays (no object per customer): memory is a few bytes per
  // purchase day and per customer, whatever the number of order lines. Grouped where the rows are.
  const sql = () => {
    const p = (s = purchaseSql(db, datasetId));
    const day = `substr(${p.time}, 1, 10)`;
    return `SELECT ${p.key}, ${timeAggregateSql(p.info, 'min', p.time)}, sum(${p.amount}), count(*) FROM ${p.from} WHERE ${p.valid} AND ${p.amount} >= 0 GROUP BY 1, ${day} ORDER BY 1, ${day}`;
  };
  const registered = customersDataset ? registrations(db, customersDataset, datasetId) : new Map<string, number>();
  const pack = historyPacker(cfg.utcOffsetMinutes);
  const keys: string[] = [];
  let used = 0;
  let lastTime = -Infinity;
  let cur: string | null = null;
  await eachRowWhereTheDataIs(db, datasetId, sql, (row) => {
    const [c, t, a, n] = row as [string, string | number, number, number];
    const time = typeof t === 'number' ? t : timeMs(String(t));
    if (!Number.isFinite(time)) return;
    used += n;
    if (c !== cur) {
      cur = c;
      keys.push(c);
      pack.customer(registered.get(c) ?? null, true);
      registered.delete(c);
    }
    pack.day(time, a);
    if (time > lastTime) lastTime = time;
  });
  const info = s!.info;
  const skipped = info.rowCount - used;
  if (!keys.length) throw new AppError('no_purchases', `Dataset "${info.name}" has no purchases (rows with a customer, a time and an amount of 0 or more).`, `数据集“${info.name}”没有可用的购买记录（需要客户、时间和不小于 0 的金额）。`);
  // registered customers without a purchase (prospects) come after the buyers
  for (const [k, t] of registered) {
    keys.push(k);
    pack.customer(t, true);
  }
  return { info, keys, packed: pack.done(), lastTime, skipped, definitions: s!.definitions };
}

/** Each customer's registration time on a customer list, matched through the identity keys. */
function registrations(db: DB, customersDataset: string, ordersId: string): Map<string, number> {
  const ci = getDataset(db, customersDataset);
  const name = getDataset(db, ordersId).name;
  if (!customerKey(ci)) throw new AppError('missing_role', `The customer list "${ci.name}" has no customer id, phone or e-mail column to match "${name}".`, `客户数据集“${ci.name}”没有可与“${name}”匹配的客户ID、手机号或邮箱列。`);
  const rc = roleColumn(ci, 'timestamp');
  if (!rc) throw new AppError('missing_role', `The customer list "${ci.name}" has no registration date (timestamp role).`, `客户数据集“${ci.name}”没有注册日期（时间角色）列。`);
  const registered = new Map<string, number>();
  const e = eventSql(db, ci);
  for (const [k, t] of db.prepare(`SELECT ${e.key}, min(${e.col(rc)}) FROM ${e.from} WHERE ${e.col(rc)} IS NOT NULL GROUP BY 1`).raw(true).all() as [string, string][]) {
    const time = timeMs(t);
    if (Number.isFinite(time) && !(time >= (registered.get(k) ?? Infinity))) registered.set(k, time);
  }
  return registered;
}

function dates(h: Histories, asOf?: string, compareTo?: string) {
  const asOfDate = asOf ?? dayText(h.lastTime);
  const asOfMs = endOfDay(asOfDate);
  const cmpDate = compareTo ?? dayText(asOfMs - 90 * DAY);
  const cmpMs = endOfDay(cmpDate);
  return { asOfDate, asOfMs, cmpDate, cmpMs };
}

export async function lifecycle(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; compareTo?: string; months: number; config?: LifecycleConfigArgs }): Promise<LifecycleResult> {
  const cfg = config(a.config);
  const h = await readHistories(db, a.datasetId, a.customersDataset, cfg);
  const d = dates(h, a.asOf, a.compareTo);
  // one pass over the customers: each one's stage now and then, counted as it goes (no result kept per customer beyond its two stage ids)
  const [nowDay, cmpDay] = [dayIndex(d.asOfMs, cfg.utcOffsetMinutes), dayIndex(d.cmpMs, cfg.utcOffsetMinutes)];
  const now = new Array<StageId | null>(h.packed.count);
  const then = new Array<StageId | null>(h.packed.count);
  const counts = Object.fromEntries(STAGE_IDS.map((s) => [s, 0])) as Record<StageId, number>;
  const gaps = Object.fromEntries(STAGE_IDS.map((s) => [s, [] as number[]])) as Record<StageId, number[]>;
  const reasons: Record<string, number> = {};
  let counted = 0;
  for (let i = 0; i < h.packed.count; i++) {
    const r = stageOfPacked(h.packed, i, nowDay, cfg);
    now[i] = r?.stage ?? null;
    then[i] = stageOfPacked(h.packed, i, cmpDay, cfg)?.stage ?? null;
    if (!r) continue;
    counted++;
    counts[r.stage]++;
    reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    if (r.daysSinceLast !== null) gaps[r.stage].push(r.daysSinceLast);
  }
  const [t1, t2] = d.cmpMs <= d.asOfMs ? [{ date: d.cmpDate, st: then }, { date: d.asOfDate, st: now }] : [{ date: d.asOfDate, st: now }, { date: d.cmpDate, st: then }];
  const tr = alignedStageTransitions(t1.st, t2.st);
  const stages = STAGE_IDS.map((s) => {
    const n = counts[s];
    return { stage: s, zh: STAGE_LABELS[s].zh, en: STAGE_LABELS[s].en, count: n, share: counted ? n / counted : 0, actionZh: STAGE_ACTIONS[s].zh, actionEn: STAGE_ACTIONS[s].en, priority: STAGE_ACTIONS[s].priority, medianDaysSinceLast: gaps[s].length ? median(gaps[s]) : null };
  });
  // Trend: month ends from `months − 1` months before the as-of month to the as-of month.
  const asOfD = new Date(d.asOfMs);
  const from = Date.UTC(asOfD.getUTCFullYear(), asOfD.getUTCMonth() - (a.months - 1), 1);
  const trend = packedStageByMonth(h.packed, from, d.asOfMs, cfg);
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

/** The stage table as a derived dataset (reused when source, date and thresholds are the same), written customer by customer. */
function stageDataset(db: DB, h: Histories, asOfDate: string, cfg: LifecycleConfig, settings: Record<string, unknown>): DatasetInfo {
  const json = JSON.stringify(settings);
  const found = db.prepare("SELECT id FROM datasets WHERE kind = 'derived' AND settings = ?").get(json) as { id: string } | undefined;
  if (found) return getDataset(db, found.id);
  const names = customerNames(db);
  const day = dayIndex(endOfDay(asOfDate), cfg.utcOffsetMinutes);
  const ds = createDerivedDataset(db, {
    name: `生命周期阶段 ${h.info.name} ${asOfDate}`,
    parentId: h.info.id,
    columns: [
      ...CUSTOMER_KEY_COLUMNS,
      { name: 'lifecycle_stage', type: 'category', role: null },
      { name: '阶段', type: 'category', role: null },
      { name: 'reason', type: 'category', role: null },
      { name: 'days_since_last', type: 'integer', role: null },
      { name: 'purchase_days', type: 'integer', role: null },
    ],
    rows: (function* () {
      for (let i = 0; i < h.packed.count; i++) {
        const r = stageOfPacked(h.packed, i, day, cfg);
        if (!r) continue;
        const k = h.keys[i]!;
        const nm = names.get(k);
        yield [k, nm?.memberId ?? null, nm?.phone ?? null, r.stage, STAGE_LABELS[r.stage].zh, r.reason, r.daysSinceLast, r.purchaseDays];
      }
    })(),
    settings,
  });
  audit(db, 'insights.lifecycle_stages', { objectType: 'dataset', objectId: ds.id, rows: ds.rowCount, details: { source: h.info.id, asOf: asOfDate } });
  return ds;
}

export async function lifecycleSegment(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; config?: LifecycleConfigArgs; stages: Stage[]; name?: string }): Promise<LifecycleSegmentResult> {
  const cfg = config(a.config);
  const h = await readHistories(db, a.datasetId, a.customersDataset, cfg);
  const d = dates(h, a.asOf);
  return db.transaction(() => {
    const ds = stageDataset(db, h, d.asOfDate, cfg, { analysis: 'lifecycle', source: h.info.id, customers: a.customersDataset ?? null, asOf: d.asOfDate, config: cfg });
    const wanted = [...new Set(a.stages)];
    const rule = wanted.length === 1 ? stageSegmentRule(wanted[0]!) : { kind: 'group' as const, op: 'or' as const, children: wanted.map((s) => stageSegmentRule(s)) };
    const label = wanted.map((s) => STAGE_LABELS[s].zh).join('+');
    const seg = saveRule(db, ds.id, a.name ?? `${label}客户 ${d.asOfDate}`, rule);
    return { segmentation: seg, stageDataset: ds.id, members: seg.segments[0]?.size ?? 0 };
  })();
}
