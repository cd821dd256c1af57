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
import { timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { eachRowWhereTheDataIs, eventSql, purchaseSql, timeAggregateSql, type PurchaseSql } from '../identity/events';
import { CUSTOMER_KEY_COLUMNS, customerNames } from '../identity/index';
import type { DefinitionsUsed } from '../definitions/index';
import { saveRule } from '../segments/explore';
import { audit } from '../audit/index';
import { assignStages, lifecycleConfig, stageByMonth, STAGE_IDS, STAGE_LABELS, type CustomerHistory, type LifecycleConfig, type StageResult } from '../../analysis/lifecycle/stages';
import { stageTransitions } from '../../analysis/lifecycle/transitions';
import { STAGE_ACTIONS, stageSegmentRule } from '../../analysis/lifecycle/actions';
import { median } from '../../kernel/stats';
import { customerKey, DAY, endOfDay, isoDate } from './common';

interface Histories {
  info: DatasetInfo;
  keys: string[];
  histories: CustomerHistory[];
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

export async function readHistories(db: DB, datasetId: string, customersDataset?: string): Promise<Histories> {
  let s: PurchaseSql | null = null;
  // one row per customer and purchase day (the day's first time and summed amount), in customer
  // order, into two flat typed arrays: each history is a view of its slice, so memory stays a few
  // bytes per purchase day instead of two JS arrays per customer. Grouped where the rows are.
  const sql = () => {
    const p = (s = purchaseSql(db, datasetId));
    return `SELECT ${p.key}, ${timeAggregateSql(p.info, 'min', p.time)}, sum(${p.amount}), count(*) FROM ${p.from} WHERE ${p.valid} AND ${p.amount} >= 0 GROUP BY 1, substr(${p.time}, 1, 10) ORDER BY 1`;
  };
  let times = new Float64Array(1 << 16);
  let amounts = new Float64Array(1 << 16);
  const spans = new Map<string, [number, number]>();
  let len = 0;
  let used = 0;
  let lastTime = -Infinity;
  let cur: string | null = null;
  let start = 0;
  await eachRowWhereTheDataIs(db, datasetId, sql, (row) => {
    const [c, t, a, n] = row as [string, string | number, number, number];
    const time = typeof t === 'number' ? t : timeMs(String(t));
    if (!Number.isFinite(time)) return;
    used += n;
    if (c !== cur) {
      if (cur !== null) spans.set(cur, [start, len]);
      cur = c;
      start = len;
    }
    if (len === times.length) {
      const grow = (x: Float64Array) => { const y = new Float64Array(x.length * 2); y.set(x); return y; };
      times = grow(times);
      amounts = grow(amounts);
    }
    times[len] = time;
    amounts[len++] = a;
    if (time > lastTime) lastTime = time;
  });
  const info = s!.info;
  if (cur !== null) spans.set(cur, [start, len]);
  const skipped = info.rowCount - used;
  if (!spans.size) throw new AppError('no_purchases', `Dataset "${info.name}" has no purchases (rows with a customer, a time and an amount of 0 or more).`, `数据集“${info.name}”没有可用的购买记录（需要客户、时间和不小于 0 的金额）。`);
  const registered = new Map<string, number>();
  if (customersDataset) {
    const ci = getDataset(db, customersDataset);
    if (!customerKey(ci)) throw new AppError('missing_role', `The customer list "${ci.name}" has no customer id, phone or e-mail column to match "${info.name}".`, `客户数据集“${ci.name}”没有可与“${info.name}”匹配的客户ID、手机号或邮箱列。`);
    const rc = roleColumn(ci, 'timestamp');
    if (!rc) throw new AppError('missing_role', `The customer list "${ci.name}" has no registration date (timestamp role).`, `客户数据集“${ci.name}”没有注册日期（时间角色）列。`);
    const e = eventSql(db, ci);
    for (const [k, t] of db.prepare(`SELECT ${e.key}, min(${e.col(rc)}) FROM ${e.from} WHERE ${e.col(rc)} IS NOT NULL GROUP BY 1`).raw(true).all() as [string, string][]) {
      const time = timeMs(t);
      if (Number.isFinite(time) && !(time >= (registered.get(k) ?? Infinity))) registered.set(k, time);
    }
  }
  const keys = [...new Set([...spans.keys(), ...registered.keys()])];
  const histories = keys.map((k) => {
    const [from, to] = spans.get(k) ?? [0, 0];
    return { registeredAt: registered.get(k) ?? null, purchaseTimes: times.subarray(from, to), amounts: amounts.subarray(from, to) };
  });
  return { info, keys, histories, lastTime, skipped, definitions: s!.definitions };
}

function dates(h: Histories, asOf?: string, compareTo?: string) {
  const asOfDate = asOf ?? isoDate(h.lastTime);
  const asOfMs = endOfDay(asOfDate);
  const cmpDate = compareTo ?? isoDate(asOfMs - 90 * DAY);
  const cmpMs = endOfDay(cmpDate);
  return { asOfDate, asOfMs, cmpDate, cmpMs };
}

export async function lifecycle(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; compareTo?: string; months: number; config?: LifecycleConfigArgs }): Promise<LifecycleResult> {
  const cfg = config(a.config);
  const h = await readHistories(db, a.datasetId, a.customersDataset);
  const d = dates(h, a.asOf, a.compareTo);
  const now = assignStages(h.histories, d.asOfMs, cfg);
  const then = assignStages(h.histories, d.cmpMs, cfg);
  const [t1, t2] = d.cmpMs <= d.asOfMs ? [{ date: d.cmpDate, st: then }, { date: d.asOfDate, st: now }] : [{ date: d.asOfDate, st: now }, { date: d.cmpDate, st: then }];
  const toMap = (st: (StageResult | null)[]) => new Map(h.keys.map((k, i) => [k, st[i]?.stage ?? null]));
  const tr = stageTransitions(toMap(t1.st), toMap(t2.st));
  const counted = now.filter((r): r is StageResult => !!r);
  const reasons: Record<string, number> = {};
  for (const r of counted) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  const stages = STAGE_IDS.map((s) => {
    const rs = counted.filter((r) => r.stage === s);
    const gaps = rs.map((r) => r.daysSinceLast).filter((x): x is number => x !== null);
    return { stage: s, zh: STAGE_LABELS[s].zh, en: STAGE_LABELS[s].en, count: rs.length, share: counted.length ? rs.length / counted.length : 0, actionZh: STAGE_ACTIONS[s].zh, actionEn: STAGE_ACTIONS[s].en, priority: STAGE_ACTIONS[s].priority, medianDaysSinceLast: gaps.length ? median(gaps) : null };
  });
  // Trend: month ends from `months − 1` months before the as-of month to the as-of month.
  const asOfD = new Date(d.asOfMs);
  const from = Date.UTC(asOfD.getUTCFullYear(), asOfD.getUTCMonth() - (a.months - 1), 1);
  const trend = stageByMonth(h.histories, from, d.asOfMs, cfg);
  return {
    asOf: d.asOfDate,
    compareTo: d.cmpDate,
    customers: counted.length,
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

/** The stage table as a derived dataset (reused when source, date and thresholds are the same). */
function stageDataset(db: DB, h: Histories, asOfDate: string, stages: (StageResult | null)[], settings: Record<string, unknown>): DatasetInfo {
  const json = JSON.stringify(settings);
  const found = db.prepare("SELECT id FROM datasets WHERE kind = 'derived' AND settings = ?").get(json) as { id: string } | undefined;
  if (found) return getDataset(db, found.id);
  const names = customerNames(db);
  const rows: unknown[][] = [];
  h.keys.forEach((k, i) => {
    const r = stages[i];
    if (r) rows.push([k, names.get(k)?.memberId ?? null, names.get(k)?.phone ?? null, r.stage, STAGE_LABELS[r.stage].zh, r.reason, r.daysSinceLast, r.purchaseDays]);
  });
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
    rows,
    settings,
  });
  audit(db, 'insights.lifecycle_stages', { objectType: 'dataset', objectId: ds.id, rows: rows.length, details: { source: h.info.id, asOf: asOfDate } });
  return ds;
}

export async function lifecycleSegment(db: DB, a: { datasetId: string; customersDataset?: string; asOf?: string; config?: LifecycleConfigArgs; stages: Stage[]; name?: string }): Promise<LifecycleSegmentResult> {
  const cfg = config(a.config);
  const h = await readHistories(db, a.datasetId, a.customersDataset);
  const d = dates(h, a.asOf);
  const st = assignStages(h.histories, d.asOfMs, cfg);
  return db.transaction(() => {
    const ds = stageDataset(db, h, d.asOfDate, st, { analysis: 'lifecycle', source: h.info.id, customers: a.customersDataset ?? null, asOf: d.asOfDate, config: cfg });
    const wanted = [...new Set(a.stages)];
    const rule = wanted.length === 1 ? stageSegmentRule(wanted[0]!) : { kind: 'group' as const, op: 'or' as const, children: wanted.map((s) => stageSegmentRule(s)) };
    const label = wanted.map((s) => STAGE_LABELS[s].zh).join('+');
    const seg = saveRule(db, ds.id, a.name ?? `${label}客户 ${d.asOfDate}`, rule);
    return { segmentation: seg, stageDataset: ds.id, members: seg.segments[0]?.size ?? 0 };
  })();
}
