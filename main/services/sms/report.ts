/**
 * SMS campaign report over imported datasets, by role: sends (phone, campaign, variant,
 * timestamp, sms_status, cost), replies (phone, timestamp, reply_text), clicks on short links
 * (phone, timestamp) and orders (phone or customer id, timestamp, amount). Phones are the typed
 * E.164 values, so '+86 138…' and '138…' match. A reply or a click belongs to the latest send to
 * that phone before it (within 3 days);
 * conversions are orders by the same phone within the window after a send (last touch, see
 * analysis/sms/attribution). Funnel sent → delivered → clicked → replied → converted, unsubscribes
 * by the workspace's editable rules (rules.ts), cost per conversion, ROI = (revenue − cost)/cost, A/B per campaign
 * against its first variant with Holm-adjusted p, and the send-time grid of conversion rates.
 */
import { AppError } from '../../../shared/errors';
import type { CampaignReport, SmsReport, VariantStats } from '../../../shared/api/sms';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { roleColumn, timeMs } from '../segments/source';
import { attribute } from '../../analysis/sms/attribution';
import { detectUnsubscribe } from '../../analysis/sms/unsubscribe';
import { versusControl, verdict, wilson } from '../../analysis/sms/abtest';
import { sendTimeGrid } from '../../analysis/sms/sendtime';
import { countSmsSegments } from '../../analysis/sms/segments';
import { unsubscribeRules } from './rules';

const DAY = 86_400_000;

export function deliveryStatus(raw: string | null): 'delivered' | 'failed' | 'unknown' {
  const s = String(raw ?? '').trim().toLowerCase();
  if (/^(成功|已送达|送达|delivrd|delivered|success|ok|0)$/.test(s)) return 'delivered';
  if (/^(失败|发送失败|undeliv|undelivered|failed|fail|rejected|rejectd|expired|blacklist|黑名单)$/.test(s)) return 'failed';
  return 'unknown';
}

function need(info: ReturnType<typeof getDataset>, role: Parameters<typeof roleColumn>[1], zh: string): string {
  const c = roleColumn(info, role);
  if (!c) throw new AppError('missing_role', `Dataset "${info.name}" has no ${role} column.`, `数据集“${info.name}”没有“${zh}”角色的列。`);
  return c;
}

export interface SmsSources {
  sends: string;
  replies?: string;
  clicks?: string;
  receipts?: string;
  orders?: string;
  windowDays: number;
}

/** Per send: delivery, and whether a click, a reply, an unsubscribe and an order followed it. */
export function sendOutcomes(db: DB, a: SmsSources) {
  const si = getDataset(db, a.sends);
  const phone = need(si, 'phone', '手机号');
  const time = need(si, 'timestamp', '时间');
  const campaign = roleColumn(si, 'campaign');
  const variant = roleColumn(si, 'variant');
  const status = roleColumn(si, 'sms_status');
  const cost = roleColumn(si, 'cost');
  const text = roleColumn(si, 'message_text');
  const sendRows = db
    .prepare(`SELECT ${qid(phone)}, ${qid(time)}, ${campaign ? `CAST(${qid(campaign)} AS TEXT)` : "'—'"}, ${variant ? `CAST(${qid(variant)} AS TEXT)` : "'—'"}, ${status ? qid(status) : 'NULL'}, ${cost ? qid(cost) : '0'}, ${text ? qid(text) : 'NULL'}, _row FROM ${qid(si.id)} WHERE ${qid(phone)} IS NOT NULL AND ${qid(time)} IS NOT NULL`)
    .raw(true)
    .all() as [string, string, string, string, string | null, number | null, string | null, number][];
  const sends = sendRows.map((r) => ({ key: r[0], time: timeMs(r[1]), campaign: r[2] ?? '—', variant: r[3] ?? '—', status: deliveryStatus(r[4]), cost: Number(r[5] ?? 0), text: r[6], row: r[7] }));
  const { rules } = unsubscribeRules(db);
  // Receipts, replies and clicks belong to the latest send to that phone within 3 days before them.
  const toSends = (rows: [string, string, unknown][]) => attribute(sends, rows.map((r) => ({ key: r[0], time: timeMs(r[1]), amount: 0 })), 3 * DAY).converted;
  if (a.receipts) {
    // A receipt's status report (DELIVRD, UNDELIV, 成功 …) replaces the send's own status, which
    // gateways often leave at 'submitted'. Sends without a receipt keep their status.
    const { info, rows } = phoneEvents(db, a.receipts, (i) => roleColumn(i, 'sms_status'));
    if (!info.columns.some((c) => c.role === 'sms_status')) throw new AppError('missing_role', `Receipts "${info.name}" need a status column (role sms_status).`, `回执数据集“${info.name}”需要状态列（“短信状态”角色）。`);
    for (const st of ['failed', 'delivered'] as const) {
      toSends(rows.filter((r) => deliveryStatus(r[2] as string | null) === st)).forEach((c, i) => {
        if (c) sends[i]!.status = st;
      });
    }
  }
  let replied = new Uint8Array(sends.length);
  let clicked = new Uint8Array(sends.length);
  let unsub = new Uint8Array(sends.length);
  let unsubscribed = 0;
  if (a.replies) {
    const { rows } = phoneEvents(db, a.replies, (i) => roleColumn(i, 'reply_text', 'message_text'));
    replied = toSends(rows);
    // Unsubscribes, credited to the same send as the reply.
    const unsubReplies = rows.filter((r) => detectUnsubscribe(String(r[2] ?? ''), rules).matched);
    unsubscribed = unsubReplies.length;
    unsub = toSends(unsubReplies);
  }
  if (a.clicks) clicked = toSends(phoneEvents(db, a.clicks, () => null).rows);
  let conv: ReturnType<typeof attribute> = { converted: new Uint8Array(sends.length), revenue: new Float64Array(sends.length), orders: new Int32Array(sends.length) };
  if (a.orders) {
    const oi = getDataset(db, a.orders);
    const op = roleColumn(oi, 'phone');
    if (!op) throw new AppError('missing_role', `Orders "${oi.name}" need a phone column to match SMS sends.`, `订单数据集“${oi.name}”需要手机号列来匹配短信发送。`);
    const ot = need(oi, 'timestamp', '时间');
    const oa = need(oi, 'amount', '金额');
    const rows = db.prepare(`SELECT ${qid(op)}, ${qid(ot)}, ${qid(oa)} FROM ${qid(oi.id)} WHERE ${qid(op)} IS NOT NULL AND ${qid(ot)} IS NOT NULL AND ${qid(oa)} > 0`).raw(true).all() as [string, string, number][];
    conv = attribute(sends, rows.map((r) => ({ key: r[0], time: timeMs(r[1]), amount: r[2] })), a.windowDays * DAY);
  }
  return { sends, replied, clicked, unsub, unsubscribed, conv };
}

export function smsReport(db: DB, a: SmsSources & { minCount: number }): SmsReport {
  const { sends, replied, clicked, unsub, unsubscribed, conv } = sendOutcomes(db, a);
  const campaigns = [...new Set(sends.map((s) => s.campaign))].sort();
  const reports: CampaignReport[] = campaigns.map((c) => {
    const idx = sends.map((s, i) => (s.campaign === c ? i : -1)).filter((i) => i >= 0);
    const sum = (f: (i: number) => number) => idx.reduce((acc, i) => acc + f(i), 0);
    const variants = [...new Set(idx.map((i) => sends[i]!.variant))].sort();
    const vs: VariantStats[] = variants.map((v) => {
      const vi = idx.filter((i) => sends[i]!.variant === v);
      const x = vi.filter((i) => conv.converted[i]).length;
      return { variant: v, sent: vi.length, delivered: vi.filter((i) => sends[i]!.status === 'delivered').length, clicked: vi.filter((i) => clicked[i]).length, replied: vi.filter((i) => replied[i]).length, converted: x, rate: x / vi.length, ci: wilson(x, vi.length) };
    });
    const revenue = sum((i) => conv.revenue[i]!);
    const costSum = sum((i) => sends[i]!.cost);
    const converted = sum((i) => conv.converted[i]!);
    let abTest: CampaignReport['abTest'] = null;
    if (vs.length >= 2) {
      const tests = versusControl(vs.map((v) => ({ name: v.variant, x: v.converted, n: v.sent })), 0);
      abTest = {
        control: vs[0]!.variant,
        tests: tests.map((t) => ({
          variant: t.name,
          diff: t.diff,
          z: t.z,
          p: t.p,
          pHolm: t.pHolm,
          ci: t.ci,
          verdictZh: verdict({ ...t, p: t.pHolm }, [t.name, vs[0]!.variant], 'zh'),
          verdictEn: verdict({ ...t, p: t.pHolm }, [t.name, vs[0]!.variant], 'en'),
        })),
      };
    }
    // Length: the usual segment count of this campaign's messages, and the ones that spill over
    // it once personalised (a long name pushes 70 → 71 UCS-2 units and doubles the cost).
    let length: CampaignReport['length'] = null;
    const texts = idx.map((i) => sends[i]!.text).filter((x): x is string => !!x);
    if (texts.length) {
      const counts = texts.map((x) => countSmsSegments(x));
      const freq = new Map<number, number>();
      for (const k of counts) freq.set(k.segments, (freq.get(k.segments) ?? 0) + 1);
      const typical = [...freq].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]![0];
      const spilledIdx = counts.map((k, j) => (k.segments > typical ? j : -1)).filter((j) => j >= 0);
      const encs = new Set(counts.map((k) => k.encoding));
      length = { encoding: encs.size > 1 ? 'mixed' : [...encs][0]!, typicalSegments: typical, maxSegments: Math.max(...counts.map((k) => k.segments)), spilled: spilledIdx.length, segmentsSent: counts.reduce((u, k) => u + k.segments, 0), example: spilledIdx.length ? texts[spilledIdx[0]!]! : null };
    }
    return {
      campaign: c,
      length,
      sent: idx.length,
      delivered: sum((i) => (sends[i]!.status === 'delivered' ? 1 : 0)),
      failed: sum((i) => (sends[i]!.status === 'failed' ? 1 : 0)),
      unknown: sum((i) => (sends[i]!.status === 'unknown' ? 1 : 0)),
      clicked: sum((i) => clicked[i]!),
      replied: sum((i) => replied[i]!),
      unsubscribed: sum((i) => unsub[i]!),
      converted,
      revenue: Math.round(revenue * 100) / 100,
      cost: Math.round(costSum * 100) / 100,
      costPerConversion: converted ? costSum / converted : null,
      roi: costSum ? (revenue - costSum) / costSum : null,
      variants: vs,
      abTest,
    };
  });
  const grid = sendTimeGrid(
    sends.map((s, i) => {
      const d = new Date(s.time);
      return { weekday: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours(), success: conv.converted[i] === 1 };
    }),
    { minCount: a.minCount },
  );
  const tot = (k: 'sent' | 'delivered' | 'clicked' | 'replied' | 'unsubscribed' | 'converted' | 'revenue' | 'cost') => reports.reduce((s, r) => s + r[k], 0);
  return {
    windowDays: a.windowDays,
    campaigns: reports,
    totals: { sent: tot('sent'), delivered: tot('delivered'), clicked: tot('clicked'), replied: tot('replied'), unsubscribed: a.replies ? unsubscribed : 0, converted: tot('converted'), revenue: Math.round(tot('revenue') * 100) / 100, cost: Math.round(tot('cost') * 100) / 100 },
    grid: grid.cells,
    bestSlot: grid.best,
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
