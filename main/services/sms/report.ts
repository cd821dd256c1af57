/**
 * SMS campaign report over imported datasets, by role: sends (phone, campaign, variant,
 * timestamp, sms_status, cost), receipts, replies (reply_text), clicks and orders (amount, status).
 * Every dataset is read through the customer key (identity layer): a member id, a phone written
 * another way or an e-mail of the same person resolve to one key. Statuses use the definitions in
 * force: delivered = receipt-confirmed only (成功 = accepted, not delivered); a receipt decides.
 * A reply or a click belongs to the latest send to that customer before it (within 3 days);
 * conversions follow analysis/sms/attribution (valid orders in (send, send + window] after a
 * delivered send, refunded ones apart). Each send's outcome is worked out in SQL (./outcomes.ts);
 * the in-memory `sendOutcomesInMemory` below is the reference its tests hold it to. Funnel, unsubscribes by the workspace's rules (rules.ts),
 * cost per conversion, ROI = (revenue − cost)/cost, A/B per campaign against its first variant on
 * delivered denominators with Holm-adjusted p, the weekday × hour grid of delivered sends with its
 * best cell, and the definitions used.
 */
import { AppError } from '../../../shared/errors';
import type { CampaignReport, SmsReport, VariantStats } from '../../../shared/api/sms';
import { qid, type DB } from '../../db/open';
import { getDataset, rowsWhereTheDataIs } from '../datasets';
import { timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { attribute, attributeOrders, type Conversions, type OrderClass } from '../../analysis/sms/attribution';
import { inferSmsStatus, type SmsStatusClass } from '../../analysis/semantics/status';
import { classifySql, definitionsUsed } from '../definitions/index';
import { eachRowWhereTheDataIs, eventSql, numericSql, purchaseSql, type EventSql } from '../identity/events';
import { detectUnsubscribe } from '../../analysis/sms/unsubscribe';
import { versusControl, verdict } from '../../analysis/sms/abtest';
import { wilson } from '../../kernel/intervals';
import { emptyCounts, sendTimeGridOf, type SendGrid } from '../../analysis/sms/sendtime';
import { countIf, lengthOf, withSendOutcomes, type SendOutcomes, type SmsSources } from './outcomes';
import { unsubscribeRules } from './rules';

export type { SmsSources } from './outcomes';

const DAY = 86_400_000;
const WEEKDAY_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const WEEKDAY_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** The class of one raw SMS status word by the default vocabulary (成功 = accepted, not delivered). */
export function deliveryStatus(raw: string | null): SmsStatusClass {
  return inferSmsStatus(raw);
}

type Row = unknown[];

function need(info: ReturnType<typeof getDataset>, role: Parameters<typeof roleColumn>[1], zh: string): string {
  const c = roleColumn(info, role);
  if (!c) throw new AppError('missing_role', `Dataset "${info.name}" has no ${role} column.`, `数据集“${info.name}”没有“${zh}”角色的列。`);
  return c;
}

/**
 * Customer key, time and the chosen expressions of an event dataset, through the identity layer, in
 * row order, read in the engine that holds its rows (the workspace or DuckDB: the same SQL).
 */
async function keyedEvents(db: DB, datasetId: string, extra: (e: EventSql) => string[], add?: (r: Row) => void): Promise<{ rows: Row[] }> {
  const rows: Row[] = [];
  const sql = () => {
    const e = eventSql(db, datasetId);
    if (!e.time) throw new AppError('missing_role', `Dataset "${e.info.name}" has no timestamp column.`, `数据集“${e.info.name}”没有“时间”角色的列。`);
    return `SELECT ${[e.key, e.time, ...extra(e)].join(', ')} FROM ${e.from} WHERE ${e.time} IS NOT NULL ORDER BY t._row`;
  };
  await eachRowWhereTheDataIs(db, datasetId, sql, add ?? ((r) => rows.push(r)));
  return { rows };
}

/** One campaign's message lengths, from the report's GROUP BY. */
interface LengthTally {
  /** How many messages take each number of segments, and the first such message's row. */
  bySegments: Map<number, { n: number; at: number }>;
  encodings: Set<string>;
  segmentsSent: number;
}

/**
 * The usual segment count of a campaign's messages (the most frequent, the smaller on a tie), the
 * counts that spill over it once personalised (a long name pushes 70 → 71 UCS-2 units and doubles
 * the cost), and the row of the first spilled message, the example.
 */
function spillOf(t: LengthTally) {
  const counts = [...t.bySegments].sort((x, y) => y[1].n - x[1].n || x[0] - y[0]);
  const typical = counts[0]![0];
  const spilled = counts.filter(([segments]) => segments > typical);
  return { counts, typical, spilled, exampleAt: spilled.map(([, b]) => b.at).sort((x, y) => x - y)[0] ?? null };
}

function lengthReport(t: LengthTally | undefined, texts: Map<number, string>): CampaignReport['length'] {
  if (!t) return null;
  const { counts, typical, spilled, exampleAt } = spillOf(t);
  return { encoding: t.encodings.size > 1 ? 'mixed' : [...t.encodings][0]! as NonNullable<CampaignReport['length']>['encoding'], typicalSegments: typical, maxSegments: Math.max(...counts.map(([segments]) => segments)), spilled: spilled.reduce((u, [, b]) => u + b.n, 0), segmentsSent: t.segmentsSent, example: exampleAt === null ? null : (texts.get(exampleAt) ?? null) };
}

/** The message texts of some rows of the sends, read where the rows are (only the examples: a few rows). */
async function textsAt(db: DB, sendsId: string, rows: number[]): Promise<Map<number, string>> {
  const info = getDataset(db, sendsId);
  const text = roleColumn(info, 'message_text');
  if (!text || !rows.length) return new Map();
  return new Map((await rowsWhereTheDataIs(db, info, `SELECT _row, ${qid(text)} FROM ${qid(info.id)} WHERE _row IN (${rows.join(', ')})`)) as [number, string][]);
}

/**
 * Per send, in memory: delivery class, and whether a click, a reply, an unsubscribe and an order
 * followed it. Every dataset is read through the customer key (member ids, phones written
 * differently and e-mails of one person resolve to one key) and its status mapping in force
 * (definitions). One small entry per send: the reports run on `withSendOutcomes` (SQL, ./outcomes.ts);
 * this is the reference their tests hold them to.
 */
export async function sendOutcomesInMemory(db: DB, a: SmsSources) {
  // one small entry per send, made as its row streams in
  const sends: { key: string; time: number; campaign: string; variant: string; status: SmsStatusClass; cost: number; row: number }[] = [];
  await keyedEvents(
    db,
    a.sends,
    (e) => {
      const r = (role: Parameters<typeof roleColumn>[1]) => roleColumn(e.info, role);
      const [campaign, variant, cost] = [r('campaign'), r('variant'), r('cost')];
      return [campaign ? `CAST(${e.col(campaign)} AS TEXT)` : "'—'", variant ? `CAST(${e.col(variant)} AS TEXT)` : "'—'", e.info.columns.some((c) => c.role === 'sms_status') ? classifySql(db, a.sends, 'sms', 't') : "'delivered'", cost ? e.col(cost) : '0', 't._row'];
    },
    (r) => {
      sends.push({ key: String(r[0]), time: timeMs(r[1] as string), campaign: (r[2] as string | null) ?? '—', variant: (r[3] as string | null) ?? '—', status: r[4] as SmsStatusClass, cost: Number(r[5] ?? 0) || 0, row: r[6] as number });
    },
  );
  const { rules } = unsubscribeRules(db);
  // Receipts, replies and clicks belong to the latest send to that customer within 3 days before them.
  const toSends = (rows: Row[]) => attribute(sends, rows.map((r) => ({ key: String(r[0]), time: timeMs(r[1] as string), amount: 0 })), 3 * DAY).converted;
  if (a.receipts) {
    // A receipt decides delivery: its class (DELIVRD → delivered, UNDELIV → failed) replaces the
    // send's own status, which gateways often leave at 成功/submitted (accepted, not delivered).
    const ri = getDataset(db, a.receipts);
    if (!ri.columns.some((c) => c.role === 'sms_status')) throw new AppError('missing_role', `Receipts "${ri.name}" need a status column (role sms_status).`, `回执数据集“${ri.name}”需要状态列（“短信状态”角色）。`);
    const { rows } = await keyedEvents(db, a.receipts, () => [classifySql(db, a.receipts!, 'sms', 't')]);
    for (const st of ['failed', 'delivered'] as const) {
      toSends(rows.filter((r) => r[2] === st)).forEach((c, i) => {
        if (c) sends[i]!.status = st;
      });
    }
  }
  let replied = new Uint8Array(sends.length);
  let clicked = new Uint8Array(sends.length);
  let unsub = new Uint8Array(sends.length);
  let unsubscribed = 0;
  if (a.replies) {
    const { rows } = await keyedEvents(db, a.replies, (e) => {
      const c = roleColumn(e.info, 'reply_text', 'message_text');
      return [c ? e.col(c) : 'NULL'];
    });
    replied = toSends(rows);
    // Unsubscribes, credited to the same send as the reply.
    const unsubReplies = rows.filter((r) => detectUnsubscribe(String(r[2] ?? ''), rules).matched);
    unsubscribed = unsubReplies.length;
    unsub = toSends(unsubReplies);
  }
  if (a.clicks) clicked = toSends((await keyedEvents(db, a.clicks, () => [])).rows);
  let conv: Conversions = { converted: new Uint8Array(sends.length), revenue: new Float64Array(sends.length), orders: new Int32Array(sends.length), refunded: new Int32Array(sends.length), refundedRevenue: new Float64Array(sends.length) };
  if (a.orders) {
    // Every order with a time and an amount, with its class: valid ones convert, refunded ones are shown apart.
    const rows: [string, string, number, OrderClass][] = [];
    const orders = () => {
      const p = purchaseSql(db, a.orders!);
      return `SELECT ${p.key}, ${p.time}, ${p.amount}, ${p.status} FROM ${p.from} WHERE ${p.time} IS NOT NULL AND ${numericSql(p.info, p.amount)} AND ${p.amount} <> 0`;
    };
    await eachRowWhereTheDataIs(db, a.orders, orders, (r) => rows.push(r as [string, string, number, OrderClass]));
    conv = attributeOrders(
      sends,
      sends.map((s) => (s.status === 'delivered' ? 1 : 0)),
      // A refund line may carry a negative amount: its size is what was refunded. A non-positive valid line is not a purchase.
      rows.filter((r) => r[3] === 'refunded' || r[2] > 0).map((r) => ({ key: String(r[0]), time: timeMs(r[1]), amount: r[3] === 'refunded' ? Math.abs(r[2]) : r[2], cls: r[3] })),
      a.windowDays * DAY,
    );
  }
  return { sends, replied, clicked, unsub, unsubscribed, conv };
}

/** Sums per campaign and variant, as the report's aggregate gives them (see aggregate). */
const SUMS = ['sent', 'delivered', 'failed', 'unknown', 'accepted', 'clicked', 'replied', 'unsubscribed', 'converted', 'revenue', 'refunded', 'refundedRevenue', 'cost'] as const;
type Sums = Record<(typeof SUMS)[number], number>;

/**
 * One GROUP BY over the sends (SQLite sorts once): per campaign, variant, weekday, hour and message
 * length — a few thousand cells, folded here into sums per campaign and per variant, the grid's
 * counts of delivered sends and their conversions (wall time of the data; 0 = Monday), and the lengths.
 */
async function aggregate(o: SendOutcomes) {
  // cells in one order, nulls first, as SQLite groups them
  const cells = await o.all(`SELECT campaign, variant, wd, hr, length, count(*), ${countIf("status = 'delivered'")}, ${countIf("status = 'failed'")}, ${countIf("status = 'unknown'")}, ${countIf("status = 'accepted'")}, sum(clicked), sum(replied), sum(unsub), sum(converted), sum(revenue), sum(refunded), sum(refunded_revenue), sum(cost), ${countIf("status = 'delivered' AND converted = 1")}, min(row)
    FROM (SELECT *, (${o.int(`ts / ${DAY}`)} + 3) % 7 AS wd, ${o.int('ts / 3600000')} % 24 AS hr FROM sms_sends) GROUP BY 1, 2, 3, 4, 5 ORDER BY 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST, 4 NULLS FIRST, 5 NULLS FIRST`);
  const zero = (): Sums => Object.fromEntries(SUMS.map((k) => [k, 0])) as Sums;
  const byVariant = new Map<string, Map<string, Sums>>();
  const byCampaign = new Map<string, Sums>();
  const counts = emptyCounts();
  const lengths = new Map<string, LengthTally>();
  for (const r of cells) {
    const [c, v, wd, hr, len] = r as [string, string, number | null, number | null, number | null];
    const sums = r.slice(5, 5 + SUMS.length).map((x) => Number(x ?? 0));
    const [sent, delivered] = sums as [number, number];
    const vs = byVariant.get(c) ?? byVariant.set(c, new Map()).get(c)!;
    for (const target of [vs.get(v) ?? vs.set(v, zero()).get(v)!, byCampaign.get(c) ?? byCampaign.set(c, zero()).get(c)!]) SUMS.forEach((k, j) => (target[k] += sums[j]!));
    if (wd !== null && hr !== null) {
      counts.n[wd]![hr]! += delivered;
      counts.x[wd]![hr]! += Number(r[5 + SUMS.length] ?? 0);
    }
    if (len !== null) {
      const { segments, encoding } = lengthOf(len);
      const at = Number(r[6 + SUMS.length]);
      const t = lengths.get(c) ?? lengths.set(c, { bySegments: new Map(), encodings: new Set(), segmentsSent: 0 }).get(c)!;
      const b = t.bySegments.get(segments);
      if (b) (b.n += sent), (b.at = Math.min(b.at, at));
      else t.bySegments.set(segments, { n: sent, at });
      t.encodings.add(encoding);
      t.segmentsSent += segments * sent;
    }
  }
  return { byVariant, byCampaign, counts, lengths, unsubscribed: o.unsubscribed };
}

const cents = (v: number) => Math.round(v * 100) / 100;

function campaignReport(c: string, t: Sums, variants: Map<string, Sums>, length: CampaignReport['length']): CampaignReport {
  const [revenue, cost] = [cents(t.revenue), cents(t.cost)];
  const vs: VariantStats[] = [...variants]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    // rates on delivered sends: only a delivered send can convert
    .map(([variant, s]) => ({ variant, sent: s.sent, delivered: s.delivered, clicked: s.clicked, replied: s.replied, converted: s.converted, rate: s.delivered ? s.converted / s.delivered : 0, ci: wilson(s.converted, s.delivered) }));
  let abTest: CampaignReport['abTest'] = null;
  if (vs.length >= 2 && vs.every((v) => v.delivered > 0)) {
    const tests = versusControl(vs.map((v) => ({ name: v.variant, x: v.converted, n: v.delivered })), 0);
    abTest = {
      control: vs[0]!.variant,
      tests: tests.map((x) => ({
        variant: x.name,
        diff: x.diff,
        z: x.z,
        p: x.p,
        pHolm: x.pHolm,
        ci: x.ci,
        verdictZh: verdict({ ...x, p: x.pHolm }, [x.name, vs[0]!.variant], 'zh'),
        verdictEn: verdict({ ...x, p: x.pHolm }, [x.name, vs[0]!.variant], 'en'),
      })),
    };
  }
  return {
    campaign: c,
    length,
    sent: t.sent,
    delivered: t.delivered,
    failed: t.failed,
    unknown: t.unknown,
    accepted: t.accepted,
    clicked: t.clicked,
    replied: t.replied,
    unsubscribed: t.unsubscribed,
    converted: t.converted,
    revenue,
    refunded: t.refunded,
    refundedRevenue: cents(t.refundedRevenue),
    cost,
    // from the figures shown, in cents: a million costs summed in another order (DuckDB's parallel sum) differ in the
    // last bits, the cents do not
    costPerConversion: t.converted ? cost / t.converted : null,
    roi: cost ? (revenue - cost) / cost : null,
    variants: vs,
    abTest,
  };
}

export async function smsReport(db: DB, a: SmsSources & { minCount: number }): Promise<SmsReport> {
  const g = await withSendOutcomes(db, a, aggregate, { lengths: true });
  // each campaign's example message is read by its row: the only texts the report needs
  const texts = await textsAt(db, a.sends, [...g.lengths.values()].flatMap((t) => spillOf(t).exampleAt ?? []));
  const reports = [...g.byCampaign.keys()].sort().map((c) => campaignReport(c, g.byCampaign.get(c)!, g.byVariant.get(c)!, lengthReport(g.lengths.get(c), texts)));
  return reportOf(db, a, reports, sendTimeGridOf(g.counts, { minCount: a.minCount }), g.unsubscribed);
}

function reportOf(db: DB, a: SmsSources, reports: CampaignReport[], grid: SendGrid, unsubscribed: number): SmsReport {
  const tot = (k: 'sent' | 'delivered' | 'clicked' | 'replied' | 'unsubscribed' | 'converted' | 'revenue' | 'refunded' | 'refundedRevenue' | 'cost') => reports.reduce((s, r) => s + r[k], 0);
  const used = definitionsUsed(db, [a.sends, ...(a.receipts ? [a.receipts] : []), ...(a.orders ? [a.orders] : [])]);
  const bc = grid.bestCell;
  const pc = (v: number) => (v * 100).toFixed(1);
  return {
    windowDays: a.windowDays,
    campaigns: reports,
    totals: { sent: tot('sent'), delivered: tot('delivered'), clicked: tot('clicked'), replied: tot('replied'), unsubscribed: a.replies ? unsubscribed : 0, converted: tot('converted'), revenue: cents(tot('revenue')), refunded: tot('refunded'), refundedRevenue: cents(tot('refundedRevenue')), cost: cents(tot('cost')) },
    grid: grid.cells,
    bestSlot: grid.best,
    bestCell: bc && {
      ...bc,
      recommendationEn: `Send on ${WEEKDAY_EN[bc.weekday]} at ${bc.hour}:00: ${bc.x} of ${bc.n} delivered sends converted (${pc(bc.rate)}%, 95% Wilson interval ${pc(bc.lower)}–${pc(bc.upper)}%).`,
      recommendationZh: `建议在${WEEKDAY_ZH[bc.weekday]} ${bc.hour}:00 发送：${bc.n} 条已送达短信中 ${bc.x} 条转化（${pc(bc.rate)}%，95% Wilson 区间 ${pc(bc.lower)}–${pc(bc.upper)}%）。`,
    },
    definitions: {
      windowDays: a.windowDays,
      asOf: used.asOf,
      revision: used.revision,
      statuses: used.statuses,
      attributionEn: `A conversion is a valid order of the same customer (customer key) within (send, send + ${a.windowDays} days] after a delivered (receipt-confirmed) send, credited to the latest such send; cancelled and pending orders never convert; refunded orders are shown apart; each order credits one send and a send converts once.`,
      attributionZh: `转化 = 同一客户（客户键）在已送达（有回执确认）短信发出后 (发送, 发送 + ${a.windowDays} 天] 内的有效订单，记给最近的一条此类短信；已取消和待付款订单不计；已退款订单单独列出；每笔订单只记一条短信，每条短信最多算一次转化。`,
    },
  };
}

export function unsubscribes(db: DB, repliesId: string) {
  const { info, rows } = phoneEvents(db, repliesId, (i) => roleColumn(i, 'reply_text', 'message_text'), false);
  if (!roleColumn(info, 'reply_text', 'message_text')) throw new AppError('missing_role', `Dataset "${info.name}" has no reply text column.`, `数据集“${info.name}”没有回复内容列。`);
  const { rules } = unsubscribeRules(db);
  return {
    rows: rows
      .map((r) => ({ phone: r[0], time: r[1], text: String(r[2] ?? ''), hit: detectUnsubscribe(String(r[2] ?? ''), rules) }))
      .filter((r) => r.hit.matched)
      .map((r) => ({ phone: r.phone, time: r.time, text: r.text, rule: r.hit.rule! })),
  };
}

/**
 * Phone, time and one more column (chosen by `extra`, or none) of an event dataset, in row order.
 * `complete`: only rows with both phone and time (what attribution needs).
 */
function phoneEvents(db: DB, id: string, extra: (info: ReturnType<typeof getDataset>) => string | null, complete = true) {
  const info = getDataset(db, id);
  const p = need(info, 'phone', '手机号');
  const t = need(info, 'timestamp', '时间');
  const x = extra(info);
  const where = complete ? ` WHERE ${qid(p)} IS NOT NULL AND ${qid(t)} IS NOT NULL` : '';
  const rows = db.prepare(`SELECT ${qid(p)}, ${qid(t)}, ${x ? qid(x) : 'NULL'} FROM ${qid(info.id)}${where} ORDER BY _row`).raw(true).all() as [string, string, unknown][];
  return { info, rows };
}
