/**
 * Uplift targeting on the workspace's data: a randomised campaign (a send list whose variant
 * column also names the control group) read through the identity layer, with the customers'
 * orders (valid ones, by the definitions in force), replies, earlier sends and profiles. `fit`
 * evaluates on a held-out split; `plan` fits on the whole campaign, ranks the same customers for
 * the next one and saves the send list — variant, send hour, expected gain, send or control —
 * as a derived dataset (audited).
 */
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { UpliftFitResult, UpliftMeasureResult, UpliftPlanResult, upliftSchemas } from '../../../shared/api/uplift';
import type { DB } from '../../db/open';
import { createDerivedDataset, getDataset, rowsWhereTheDataIs, streamRowsWhereTheDataIs } from '../datasets';
import { eventSql, purchaseSql, type EventSql } from '../identity/events';
import { duckTempTexts } from '../../db/duckdb';
import { insertRows } from '../../db/batch';
import type { DatasetInfo } from '../../../shared/types';
import { customerNames, ensureDuckIdentity } from '../identity/index';
import { timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { unsubscribeRules } from '../sms/rules';
import { audit } from '../audit/index';
import { saveRule } from '../segments/explore';
import { buildFeatures, campaignOutcomes, type KeyedOrder, type KeyedReply, type KeyedTime } from '../../analysis/uplift/features';
import { fitUpliftModel, type Learner, type BaseModel } from '../../analysis/uplift/learners';
import { bootstrap, qiniCurve, qiniOf } from '../../analysis/uplift/evaluate';
import { planCampaign } from '../../analysis/uplift/plan';
import { fitSendTimeOn, type HourHistory } from '../../analysis/uplift/sendtime';
import { createRng } from '../../kernel/random';
import type { JobContext } from '../../jobs/types';

type FitArgs = z.infer<(typeof upliftSchemas)['uplift/fit']>;
/** What both calls share: the campaign and its history. */
type Sources = Omit<FitArgs, 'testShare'>;
type PlanArgs = z.infer<(typeof upliftSchemas)['uplift/plan']>;

const CONTROL = /对照|空白|control|holdout|hold-out|ctrl|不发/i;

interface Campaign {
  keys: string[];
  arm: string[];
  start: number;
  control: string;
  variants: string[];
  /** The campaign's customers' orders, replies and earlier sends (no one else's rows are read). */
  orders: KeyedOrder[];
  replies: KeyedReply[];
  sends: KeyedTime[];
  profiles: { key: string; region: string | null; registered: number | null }[];
}

/** DuckDB datasets' keys read and the identity maps copied there, before any SQL naming them is built (each query then runs where its rows are). */
async function identityEverywhere(db: DB, ids: (string | undefined)[]): Promise<void> {
  if (ids.some((id) => id && getDataset(db, id).engine === 'duckdb')) await ensureDuckIdentity(db);
}

/**
 * Rows of queries over datasets, limited to the campaign's customers: their keys are a temporary
 * table `uplift_keys` where the rows are (made once in the workspace; on each DuckDB connection), so
 * a campaign of 4,000 beside a million other customers' orders reads 4,000 customers' rows (memory
 * follows the campaign, not the history).
 */
function campaignRows(db: DB, keys: readonly string[]): (info: DatasetInfo, sql: string) => Promise<unknown[][]> {
  let inWorkspace = false;
  return async (info, sql) => {
    if (info.engine !== 'duckdb' && !inWorkspace) {
      db.exec('DROP TABLE IF EXISTS temp.uplift_keys; CREATE TEMP TABLE uplift_keys (key TEXT PRIMARY KEY)');
      insertRows(db, 'uplift_keys', 1, keys.map((k) => [k]), { orIgnore: true });
      inWorkspace = true;
    }
    const out: unknown[][] = [];
    for await (const r of streamRowsWhereTheDataIs(db, info, sql, [], (c) => duckTempTexts(c, 'uplift_keys', ['key'], keys.map((k) => [k])))) out.push(r);
    return out;
  };
}
const ofCampaign = (key: string) => `${key} IN (SELECT key FROM uplift_keys)`;

async function readCampaign(db: DB, a: Sources): Promise<Campaign> {
  await identityEverywhere(db, [a.assignment, a.orders, a.replies, a.sends, a.profiles]);
  const e = eventSql(db, a.assignment);
  const variant = roleColumn(e.info, 'variant');
  if (!variant || !e.time)
    throw new AppError('missing_role', `The send list "${e.info.name}" needs a variant (arm) column and a time.`, `发送名单“${e.info.name}”需要分组（版本）列和时间列。`);
  const seen = new Map<string, string>();
  let start = Infinity;
  for (const [k, t, v] of (await rowsWhereTheDataIs(db, e.info, `SELECT ${e.key}, ${e.time}, CAST(${e.col(variant)} AS TEXT) FROM ${e.from} WHERE ${e.time} IS NOT NULL ORDER BY t._row`)) as [string, string, string | null][]) {
    const ms = timeMs(String(t));
    if (Number.isFinite(ms) && ms < start) start = ms;
    if (!seen.has(k)) seen.set(k, (v ?? '').trim() || '(blank)');
  }
  const arms = [...new Set(seen.values())].sort();
  const control = a.control ?? arms.find((x) => CONTROL.test(x));
  if (!control || !arms.includes(control))
    throw new AppError('no_control', `No control group in "${e.info.name}" (arms: ${arms.join(', ')}): uplift needs customers who were randomly not sent; name it with --control.`, `“${e.info.name}”中没有对照组（分组：${arms.join('、')}）：增量模型需要随机未发送的客户，请用 --control 指定。`);
  const variants = arms.filter((x) => x !== control);
  if (!variants.length) throw new AppError('no_variant', `Only the control group "${control}" is in "${e.info.name}".`, `“${e.info.name}”中只有对照组“${control}”。`);
  const keys = [...seen.keys()];
  const rowsOf = campaignRows(db, keys);
  const p = purchaseSql(db, a.orders);
  const orders = ((await rowsOf(p.info, `SELECT ${p.key}, ${p.time}, ${p.amount} FROM ${p.from} WHERE ${p.valid} AND ${ofCampaign(p.key)} ORDER BY t._row`)) as [string, string, number][]).map(([key, t, amount]) => ({ key, time: timeMs(String(t)), amount }));
  const replies: KeyedReply[] = [];
  if (a.replies) {
    const r = repliesSql(db, a.replies);
    for (const [key, t, x] of (await rowsOf(r.info, `SELECT ${r.key}, ${r.time}, CAST(${r.col(r.text)} AS TEXT) FROM ${r.from} WHERE ${r.time} IS NOT NULL AND ${ofCampaign(r.key)} ORDER BY t._row`)) as [string, string, string | null][]) replies.push({ key, time: timeMs(String(t)), text: x ?? '' });
  }
  const sends: KeyedTime[] = [];
  if (a.sends) {
    const s = eventSql(db, a.sends);
    if (!s.time) throw new AppError('missing_role', `Sends "${s.info.name}" need a time column.`, `发送数据集“${s.info.name}”需要时间列。`);
    for (const [key, t] of (await rowsOf(s.info, `SELECT ${s.key}, ${s.time} FROM ${s.from} WHERE ${s.time} IS NOT NULL AND ${ofCampaign(s.key)} ORDER BY t._row`)) as [string, string][]) sends.push({ key, time: timeMs(String(t)) });
  }
  const profiles: Campaign['profiles'] = [];
  if (a.profiles) {
    const pr = eventSql(db, a.profiles);
    const region = roleColumn(pr.info, 'region', 'city');
    for (const [key, reg, t] of (await rowsWhereTheDataIs(db, pr.info, `SELECT ${pr.key}, ${region ? `CAST(${pr.col(region)} AS TEXT)` : 'NULL'}, ${pr.time ?? 'NULL'} FROM ${pr.from} ORDER BY t._row`)) as [string, string | null, string | null][])
      profiles.push({ key, region: reg, registered: t ? timeMs(String(t)) : null });
  }
  return { keys, arm: [...seen.values()], start, control, variants, orders, replies, sends, profiles };
}

/** The replies dataset's event SQL and its text column. */
function repliesSql(db: DB, datasetId: string): EventSql & { time: string; text: string } {
  const r = eventSql(db, datasetId);
  const text = roleColumn(r.info, 'reply_text', 'message_text');
  if (!r.time || !text) throw new AppError('missing_role', `Replies "${r.info.name}" need a time and a reply text column.`, `回复数据集“${r.info.name}”需要时间列和回复内容列。`);
  return { ...r, time: r.time, text };
}

/**
 * Everyone's responses (replies, valid orders) by hour of day, counted where the rows are: the send-time
 * model learns its base and regional profiles from every customer, but needs only one row per customer
 * and hour of each (and the hour of each one's latest response), not every row. Hours are those `timeMs`
 * gives the time text (its clock, read as UTC; a date alone is hour 0).
 */
async function responseHours(db: DB, a: Sources): Promise<{ histories: Map<string, HourHistory>; lastOrder: number }> {
  const out = new Map<string, HourHistory & { last: number }>();
  // the latest valid order of anyone (the plan's "now"), from the same grouping: no second scan of the orders
  let lastOrder = -Infinity;
  const sources: { info: DatasetInfo; from: string; key: string; time: string; where: string }[] = [];
  const p = purchaseSql(db, a.orders);
  sources.push({ info: p.info, from: p.from, key: p.key, time: p.time, where: p.valid });
  if (a.replies) {
    const r = repliesSql(db, a.replies);
    sources.push({ info: r.info, from: r.from, key: r.key, time: r.time, where: `${r.time} IS NOT NULL` });
  }
  for (const s of sources) {
    const isOrders = s === sources[0];
    const hour = `coalesce(${s.info.engine === 'duckdb' ? 'TRY_CAST' : 'CAST'}(substr(CAST(${s.time} AS TEXT), 12, 2) AS INTEGER), 0)`;
    // per customer and hour: how many, and the latest time among them (the customer's latest is the latest of those)
    for (const [key, h, n, last] of (await rowsWhereTheDataIs(db, s.info, `SELECT ${s.key}, ${hour}, count(*), max(${s.time}) FROM ${s.from} WHERE ${s.where} GROUP BY 1, 2 ORDER BY 1, 2`)) as [string, number, number, string][]) {
      const ms = timeMs(String(last));
      if (!Number.isFinite(ms)) continue;
      if (isOrders && ms > lastOrder) lastOrder = ms;
      let x = out.get(key);
      if (!x) out.set(key, (x = { counts: new Float64Array(24), lastHour: 0, last: -Infinity }));
      x.counts[Number(h)]! += Number(n);
      if (ms > x.last) {
        x.last = ms;
        x.lastHour = Number(h);
      }
    }
  }
  return { histories: out, lastOrder };
}

function prepared(db: DB, c: Campaign, a: Sources, asOf: number) {
  const features = buildFeatures({ keys: c.keys, profiles: c.profiles, orders: c.orders, sends: c.sends, replies: c.replies, asOf });
  const outcome = campaignOutcomes(c.keys, c.orders, c.replies, c.start, a.windowDays, unsubscribeRules(db).rules);
  return { features, outcome };
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export async function upliftFit(db: DB, a: FitArgs, job?: JobContext): Promise<UpliftFitResult> {
  const c = await readCampaign(db, a);
  job?.progress(1, 4, 'features');
  const { features, outcome } = prepared(db, c, a, c.start);
  const rng = createRng(a.seed);
  const train: number[] = [];
  const test: number[] = [];
  c.keys.forEach((_, i) => (rng() < 1 - a.testShare ? train : test).push(i));
  job?.progress(2, 4, 'fit');
  const model = fitUpliftModel({ features, arm: c.arm, converted: outcome.converted, unsubscribed: outcome.unsubscribed }, train, { learner: a.learner as Learner, base: a.base as BaseModel, control: c.control, variants: c.variants, seed: a.seed });
  const s = model.predict(features);
  job?.progress(3, 4, 'evaluate');
  const evaluation = c.variants.map((v, k) => {
    const rowsV = test.filter((i) => c.arm[i] === v || c.arm[i] === c.control);
    const treated = Uint8Array.from(c.arm, (x) => (x === v ? 1 : 0));
    const q = qiniCurve(rowsV.map((i) => s.upliftConvert[k]![i]!), rowsV.map((i) => treated[i]!), rowsV.map((i) => outcome.converted[i]!));
    const resp = qiniCurve(rowsV.map((i) => s.pConvert[k + 1]![i]!), rowsV.map((i) => treated[i]!), rowsV.map((i) => outcome.converted[i]!));
    const interval = bootstrap(rowsV.length, (r) => qiniOf(Array.from(r, (j) => rowsV[j]!), s.upliftConvert[k]!, treated, outcome.converted), { replicates: 200, seed: a.seed });
    return { variant: v, rows: rowsV.length, qini: q.qini, qiniInterval: interval, auuc: q.auuc, all: q.all, responseQini: resp.qini, points: q.points };
  });
  const best = evaluation.slice().sort((x, y) => y.qiniInterval[0] - x.qiniInterval[0])[0]!;
  const beats = best.qiniInterval[0] > 0;
  const r2 = (x: number) => x.toFixed(2);
  const verdictEn = beats
    ? `Targeting beats sending to everyone: ranking by the model's uplift puts the customers a message changes first (variant ${best.variant}: Qini ${r2(best.qini)}, 95% interval ${r2(best.qiniInterval[0])}–${r2(best.qiniInterval[1])}; ranking by response probability alone: ${r2(best.responseQini)}).`
    : `No evidence that targeting beats sending to everyone yet (best: variant ${best.variant}, Qini ${r2(best.qini)}, 95% interval ${r2(best.qiniInterval[0])}–${r2(best.qiniInterval[1])} includes 0): a larger randomised campaign would tell.`;
  const verdictZh = beats
    ? `定向发送优于全量发送：按模型的增量排序能把“发了才会买”的客户排在前面（版本 ${best.variant}：Qini ${r2(best.qini)}，95% 区间 ${r2(best.qiniInterval[0])}–${r2(best.qiniInterval[1])}；只按响应概率排序：${r2(best.responseQini)}）。`
    : `暂无证据表明定向发送优于全量发送（最佳：版本 ${best.variant}，Qini ${r2(best.qini)}，95% 区间 ${r2(best.qiniInterval[0])}–${r2(best.qiniInterval[1])} 含 0）：需要更大的随机对照活动。`;
  job?.progress(4, 4, 'done');
  const armStats = [c.control, ...c.variants].map((arm) => {
    const idx = c.arm.map((x, i) => (x === arm ? i : -1)).filter((i) => i >= 0);
    return { arm, customers: idx.length, converted: idx.reduce((s2, i) => s2 + outcome.converted[i]!, 0), unsubscribed: idx.reduce((s2, i) => s2 + outcome.unsubscribed[i]!, 0) };
  });
  return { campaignStart: iso(c.start), windowDays: a.windowDays, customers: c.keys.length, control: c.control, variants: c.variants, arms: armStats, learner: a.learner, base: a.base, trainRows: train.length, testRows: test.length, evaluation, verdictZh, verdictEn };
}

export async function upliftPlan(db: DB, a: PlanArgs, job?: JobContext): Promise<UpliftPlanResult> {
  const c = await readCampaign(db, a);
  job?.progress(1, 4, 'features');
  const { features, outcome } = prepared(db, c, a, c.start);
  const all = c.keys.map((_, i) => i);
  job?.progress(2, 4, 'fit');
  const model = fitUpliftModel({ features, arm: c.arm, converted: outcome.converted, unsubscribed: outcome.unsubscribed }, all, { learner: a.learner as Learner, base: a.base as BaseModel, control: c.control, variants: c.variants, seed: a.seed });
  // the next campaign: the same customers described as of now (everything seen so far: the latest valid order of anyone)
  const responses = await responseHours(db, a);
  const now = Math.max(c.start + a.windowDays * 86_400_000, responses.lastOrder) + 1;
  const current = buildFeatures({ keys: c.keys, profiles: c.profiles, orders: c.orders, sends: c.sends, replies: c.replies, asOf: now });
  const s = model.predict(current);
  job?.progress(3, 4, 'plan');
  const plan = planCampaign(s, { conversionValue: a.conversionValue, costPerSend: a.costPerSend, unsubscribeCost: a.unsubscribeCost }, { budget: a.budget, size: a.size, controlShare: a.controlShare, seed: a.seed });
  const region = new Map(c.profiles.map((p) => [p.key, p.region ?? '(missing)']));
  const st = fitSendTimeOn(responses.histories, (k) => region.get(k) ?? '(missing)');
  const names = customerNames(db);
  const byVariant: Record<string, number> = {};
  const out = plan.rows.map((r) => {
    const key = c.keys[r.index]!;
    const variant = c.variants[r.variant]!;
    if (!r.control) byVariant[variant] = (byVariant[variant] ?? 0) + 1;
    return [key, names.get(key)?.memberId ?? null, names.get(key)?.phone ?? null, variant, st.bestHour(key), Math.round(r.gain * 100) / 100, Math.round(r.upliftConvert * 10_000) / 10_000, r.control ? 'control' : 'send'];
  });
  const info = getDataset(db, a.assignment);
  const ds = createDerivedDataset(db, {
    name: a.name ?? `增量发送名单 ${info.name}`,
    parentId: info.id,
    columns: [
      { name: 'customer_id', type: 'id', role: 'customer_id' },
      { name: 'member_id', type: 'id', role: null },
      { name: 'phone', type: 'phone', role: 'phone' },
      { name: 'variant', type: 'category', role: 'variant' },
      { name: 'send_hour', type: 'integer', role: null },
      { name: 'expected_gain', type: 'decimal', role: null },
      { name: 'uplift', type: 'decimal', role: null },
      { name: 'group', type: 'category', role: null },
    ],
    rows: out,
    settings: { analysis: 'uplift/plan', assignment: a.assignment, budget: a.budget ?? null, size: a.size ?? null, controlShare: a.controlShare, economics: { conversionValue: a.conversionValue, costPerSend: a.costPerSend, unsubscribeCost: a.unsubscribeCost }, learner: a.learner, base: a.base, seed: a.seed, expected: plan.expected },
  });
  // the send group as a segment, so it exports like any segment (suppression, masks, templates)
  const seg = saveRule(db, ds.id, ds.name, { kind: 'cond', column: 'group', op: 'eq', value: 'send' });
  audit(db, 'uplift.plan', { objectType: 'dataset', objectId: ds.id, rows: out.length, details: { send: plan.send, control: plan.control, expected: plan.expected } });
  job?.progress(4, 4, 'done');
  return {
    datasetId: ds.id,
    segmentationId: seg.id,
    customers: c.keys.length,
    send: plan.send,
    control: plan.control,
    positive: plan.positive,
    byVariant,
    expected: plan.expected,
    sendTime: { alpha: st.alpha, customersWithHistory: c.keys.filter((k) => st.events(k) > 0).length },
  };
}

/**
 * Closing the loop: the planned campaign's realised conversions in (start, start + window] for the
 * customers sent and for the held-out control, the incremental conversions that follow, and the
 * plan's expectation beside them.
 */
export async function upliftMeasure(db: DB, a: z.infer<(typeof upliftSchemas)['uplift/measure']>): Promise<UpliftMeasureResult> {
  const info = getDataset(db, a.plan);
  const st = (info.settings ?? {}) as { analysis?: string; expected?: UpliftPlanResult['expected'] };
  if (st.analysis !== 'uplift/plan') throw new AppError('not_a_plan', `"${info.name}" is not an uplift plan (made by segmint plan).`, `“${info.name}”不是增量发送计划（由 segmint plan 生成）。`);
  const start = timeMs(a.start.replace('T', ' '));
  if (!Number.isFinite(start)) throw new AppError('bad_date', `Cannot read the start time "${a.start}".`, `无法识别开始时间“${a.start}”。`);
  const end = start + a.windowDays * 86_400_000;
  await identityEverywhere(db, [a.orders]);
  const p = purchaseSql(db, a.orders);
  const bought = new Set<string>();
  for (const [k, t] of (await rowsWhereTheDataIs(db, p.info, `SELECT ${p.key}, ${p.time} FROM ${p.from} WHERE ${p.valid}`)) as [string, string][]) {
    const ms = timeMs(String(t));
    if (ms > start && ms <= end) bought.add(k);
  }
  const groups = { send: { customers: 0, converted: 0, rate: 0 }, control: { customers: 0, converted: 0, rate: 0 } };
  for (const [k, g] of (await rowsWhereTheDataIs(db, info, `SELECT customer_id, "group" FROM "${info.id}"`)) as [string, 'send' | 'control'][]) {
    const x = groups[g];
    if (!x) continue;
    x.customers++;
    if (bought.has(k)) x.converted++;
  }
  for (const x of Object.values(groups)) x.rate = x.customers ? x.converted / x.customers : 0;
  const { send, control } = groups;
  if (!control.customers) throw new AppError('no_control', 'The plan held out no control group, so its effect cannot be measured.', '该计划没有留出对照组，无法衡量效果。');
  const diff = send.rate - control.rate;
  const se = Math.sqrt((send.rate * (1 - send.rate)) / Math.max(1, send.customers) + (control.rate * (1 - control.rate)) / control.customers);
  const incremental = diff * send.customers;
  const interval: [number, number] = [(diff - 1.96 * se) * send.customers, (diff + 1.96 * se) * send.customers];
  const expected = st.expected ? { incrementalConversions: st.expected.incrementalConversions, interval: st.expected.interval } : null;
  const f = (x: number) => x.toFixed(1);
  const within = expected ? expected.incrementalConversions >= interval[0] && expected.incrementalConversions <= interval[1] : null;
  const verdictEn = `${f(incremental)} incremental conversions (95% ${f(interval[0])}–${f(interval[1])}): ${send.converted} of ${send.customers} sent converted against ${control.converted} of ${control.customers} held out.${expected ? ` The plan expected ${f(expected.incrementalConversions)}${within ? ', inside the realised interval' : ', outside the realised interval: the model over- or under-estimated'}.` : ''}`;
  const verdictZh = `增量转化 ${f(incremental)}（95% ${f(interval[0])}–${f(interval[1])}）：发送组 ${send.customers} 人中 ${send.converted} 人转化，对照组 ${control.customers} 人中 ${control.converted} 人转化。${expected ? `计划预期 ${f(expected.incrementalConversions)}${within ? '，在实际区间内' : '，不在实际区间内：模型高估或低估了效果'}。` : ''}`;
  audit(db, 'uplift.measured', { objectType: 'dataset', objectId: info.id, details: { start: a.start, windowDays: a.windowDays, incremental, expected: expected?.incrementalConversions ?? null } });
  return { plan: info.id, start: a.start, windowDays: a.windowDays, send, control, incremental, interval, expected, verdictZh, verdictEn };
}
