/**
 * A seeded randomised SMS campaign with PLANTED heterogeneous effects, for the uplift engine.
 *
 * A few thousand customers, each of one hidden type whose history (orders, past sends, replies)
 * leans a certain way — with noise, so the types overlap in every observable feature:
 * - sure things buy anyway (many recent orders; 30 % convert in every arm);
 * - lost causes never buy (old, sparse history; 1 %);
 * - B-persuadables answer SMS often and convert only on variant B (4 % → 22 %);
 * - A-persuadables (higher baskets, north) convert on variant A (4 % → 18 %);
 * - sleeping dogs (many sends, no replies, complaints) are annoyed: conversion falls
 *   (8 % → 3 %) and 30 % of the treated unsubscribe;
 * - the rest are mildly moved by either variant (5 % → 7 %).
 * The campaign randomises control 20 % / A 40 % / B 40 % (control is held out, not sent).
 * Each customer also has a planted active hour (drawn around their region's hour), at which
 * most of their replies and orders happen — the send-time truth.
 * Files are written the messy way (phones in two spellings, orders keyed by member id or by
 * phone only); `truth` holds every customer's type, arm, true probabilities and outcome.
 */
import { createRng, randInt, type Rng } from '../../kernel/random';

export type UpliftType = 'sure_thing' | 'lost_cause' | 'persuadable_b' | 'persuadable_a' | 'sleeping_dog' | 'mild';
export type Arm = 'control' | 'A' | 'B';
export const ARMS: Arm[] = ['control', 'A', 'B'];

export interface UpliftTruth {
  memberId: string;
  phone: string;
  region: string;
  type: UpliftType;
  arm: Arm;
  /** True conversion probability within the window, per arm. */
  pConvert: Record<Arm, number>;
  /** True unsubscribe probability per arm (control is never sent, so 0). */
  pUnsubscribe: Record<Arm, number>;
  converted: boolean;
  unsubscribed: boolean;
  activeHour: number;
}

/** One event of the history or the campaign, keyed by the true customer (for in-memory use) and by what the files show. */
export interface UpliftEvents {
  orders: { customer: string; time: number; amount: number; orderId: string }[];
  sends: { customer: string; time: number; campaign: string; variant: string }[];
  replies: { customer: string; time: number; text: string }[];
  contacts: { customer: string; phone: string; region: string; registered: number }[];
  /** The campaign's send list: every customer with the arm drawn (control rows are held out). */
  assignment: { customer: string; phone: string; arm: Arm; time: number }[];
}

export interface UpliftCampaign {
  campaign: string;
  /** Campaign send time (ms, local wall time as UTC) — features are measured before it. */
  start: number;
  windowDays: number;
  events: UpliftEvents;
  truth: UpliftTruth[];
  files: Record<'contacts' | 'orders' | 'sends' | 'replies' | 'assignment', string>;
}

const DAY = 86_400_000;
const REGIONS = ['广东', '浙江', '江苏', '四川', '北京', '上海'];
/** Each region's typical active hour: the segment pattern the send-time model shrinks towards. */
const REGION_HOUR: Record<string, number> = { 广东: 21, 浙江: 20, 江苏: 12, 四川: 19, 北京: 9, 上海: 12 };
const TYPE_SHARE: [UpliftType, number][] = [
  ['sure_thing', 0.15],
  ['lost_cause', 0.2],
  ['persuadable_b', 0.15],
  ['persuadable_a', 0.1],
  ['sleeping_dog', 0.1],
  ['mild', 0.3],
];
const P_CONVERT: Record<UpliftType, Record<Arm, number>> = {
  sure_thing: { control: 0.3, A: 0.3, B: 0.3 },
  lost_cause: { control: 0.01, A: 0.01, B: 0.01 },
  persuadable_b: { control: 0.04, A: 0.05, B: 0.22 },
  persuadable_a: { control: 0.04, A: 0.18, B: 0.07 },
  sleeping_dog: { control: 0.08, A: 0.03, B: 0.03 },
  mild: { control: 0.05, A: 0.07, B: 0.07 },
};
const P_UNSUB: Record<UpliftType, Record<Arm, number>> = {
  sure_thing: { control: 0, A: 0.005, B: 0.005 },
  lost_cause: { control: 0, A: 0.02, B: 0.02 },
  persuadable_b: { control: 0, A: 0.005, B: 0.005 },
  persuadable_a: { control: 0, A: 0.005, B: 0.005 },
  sleeping_dog: { control: 0, A: 0.3, B: 0.3 },
  mild: { control: 0, A: 0.01, B: 0.01 },
};

function poisson(rng: Rng, lambda: number): number {
  const L = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng();
  } while (p > L);
  return k - 1;
}

const pad = (n: number) => String(n).padStart(2, '0');
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
}

function csv(header: string[], rows: unknown[][]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export function generateUpliftCampaign(opts: { seed?: number; customers?: number } = {}): UpliftCampaign {
  const rng = createRng(opts.seed ?? 20);
  const n = opts.customers ?? 4000;
  const start = Date.UTC(2024, 5, 3, 10, 0); // Monday 3 June 2024, 10:00
  const windowDays = 7;
  const campaign = '6月新品';
  const ev: UpliftEvents = { orders: [], sends: [], replies: [], contacts: [], assignment: [] };
  const truth: UpliftTruth[] = [];
  const pick = <T>(xs: T[]) => xs[randInt(rng, xs.length)]!;
  let orderNo = 1;
  // A time on a given day at the customer's active hour (most of the time) or any waking hour.
  const atHour = (day: number, active: number) => {
    const hour = rng() < 0.65 ? active : 8 + randInt(rng, 15);
    return day + hour * 3_600_000 + randInt(rng, 60) * 60_000;
  };
  const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
  const pastCampaigns = Array.from({ length: 14 }, (_, k) => ({ name: `往期活动${k + 1}`, time: start - (k + 1) * 26 * DAY + (8 + randInt(rng, 12)) * 3_600_000 }));

  for (let i = 0; i < n; i++) {
    const memberId = `M${String(100000 + i)}`;
    const phone = `13${String(800000000 + Math.floor(rng() * 199999999)).padStart(9, '0')}`;
    let u = rng();
    let type: UpliftType = 'mild';
    for (const [t, s] of TYPE_SHARE) {
      if (u < s) {
        type = t;
        break;
      }
      u -= s;
    }
    // Region leans by type (A-persuadables north, B-persuadables south) but every type is everywhere.
    const region = type === 'persuadable_a' && rng() < 0.6 ? pick(['北京', '上海']) : type === 'persuadable_b' && rng() < 0.6 ? pick(['广东', '浙江']) : pick(REGIONS);
    const activeHour = rng() < 0.7 ? REGION_HOUR[region]! : pick([9, 12, 19, 21, 22]);
    const tenureDays = type === 'lost_cause' ? 400 + randInt(rng, 600) : 60 + randInt(rng, 900);
    const registered = dayOf(start - tenureDays * DAY) + 10 * 3_600_000;
    ev.contacts.push({ customer: memberId, phone, region, registered });

    // Orders before the campaign.
    const orderRate = { sure_thing: 6, lost_cause: 0.6, persuadable_b: 1.8, persuadable_a: 2.2, sleeping_dog: 1.5, mild: 2 }[type];
    const k = poisson(rng, orderRate);
    const recentSpan = type === 'sure_thing' ? 150 : type === 'lost_cause' ? tenureDays : Math.min(tenureDays, 500);
    const basket = type === 'persuadable_a' ? 320 : 150;
    for (let j = 0; j < k; j++) {
      const ago = type === 'lost_cause' ? Math.min(tenureDays, 300 + randInt(rng, Math.max(1, tenureDays - 299))) : 1 + randInt(rng, Math.max(1, Math.min(recentSpan, tenureDays)));
      ev.orders.push({ customer: memberId, time: atHour(dayOf(start - ago * DAY), activeHour), amount: Math.round(basket * (0.4 + 1.2 * rng())), orderId: `O${orderNo++}` });
    }
    // Past sends and replies: B-persuadables answer SMS, sleeping dogs complain.
    const replyRate = { sure_thing: 0.08, lost_cause: 0.01, persuadable_b: 0.3, persuadable_a: 0.06, sleeping_dog: 0.02, mild: 0.08 }[type];
    for (const c of pastCampaigns) {
      if (c.time < registered || rng() < (type === 'sleeping_dog' ? 0.1 : 0.45)) continue;
      ev.sends.push({ customer: memberId, time: c.time, campaign: c.name, variant: '' });
      if (rng() < replyRate) ev.replies.push({ customer: memberId, time: atHour(dayOf(c.time + (1 + randInt(rng, 2)) * DAY), activeHour), text: pick(['好的', '谢谢', '收到', '1', '有优惠吗']) });
      else if (type === 'sleeping_dog' && rng() < 0.15) ev.replies.push({ customer: memberId, time: atHour(dayOf(c.time), activeHour), text: pick(['别再发了', '烦不烦', '太多短信了']) });
      else if (type !== 'sleeping_dog' && rng() < 0.01) ev.replies.push({ customer: memberId, time: atHour(dayOf(c.time), activeHour), text: '烦' });
    }

    // The campaign.
    const r = rng();
    const arm: Arm = r < 0.2 ? 'control' : r < 0.6 ? 'A' : 'B';
    const pC = P_CONVERT[type];
    const pU = P_UNSUB[type];
    const converted = rng() < pC[arm];
    const unsubscribed = arm !== 'control' && rng() < pU[arm];
    ev.assignment.push({ customer: memberId, phone, arm, time: start });
    if (arm !== 'control') ev.sends.push({ customer: memberId, time: start, campaign, variant: arm });
    if (converted) ev.orders.push({ customer: memberId, time: start + (1 + randInt(rng, (windowDays - 1) * 24 - 2)) * 3_600_000, amount: Math.round(basket * (0.4 + 1.2 * rng())), orderId: `O${orderNo++}` });
    if (unsubscribed) ev.replies.push({ customer: memberId, time: start + (1 + randInt(rng, 20)) * 3_600_000, text: pick(['TD', '退订', 'T']) });
    truth.push({ memberId, phone, region, type, arm, pConvert: { ...pC }, pUnsubscribe: { ...pU }, converted, unsubscribed, activeHour });
  }
  ev.orders.sort((a, b) => a.time - b.time);
  ev.sends.sort((a, b) => a.time - b.time);
  ev.replies.sort((a, b) => a.time - b.time);

  // The files, the messy way: phones as 138-xxxx-xxxx in replies, a third of orders keyed by phone only.
  const phoneOf = new Map(ev.contacts.map((c) => [c.customer, c.phone]));
  const dashed = (p: string) => `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`;
  const files = {
    contacts: csv(['会员ID', '手机号', '省份', '注册时间'], ev.contacts.map((c) => [c.customer, c.phone, c.region, formatTime(c.registered)])),
    orders: csv(['订单号', '会员ID', '手机号', '下单时间', '金额', '订单状态'], ev.orders.map((o, j) => (j % 3 === 0 ? [o.orderId, '', phoneOf.get(o.customer), formatTime(o.time), o.amount, '已完成'] : [o.orderId, o.customer, '', formatTime(o.time), o.amount, '已完成']))),
    sends: csv(['活动名称', '手机号', '发送时间', '版本'], ev.sends.map((s) => [s.campaign, phoneOf.get(s.customer), formatTime(s.time), s.variant])),
    replies: csv(['手机号', '回复时间', '回复内容'], ev.replies.map((r) => [dashed(phoneOf.get(r.customer)!), formatTime(r.time), r.text])),
    assignment: csv(['活动名称', '会员ID', '手机号', '分组', '计划时间'], ev.assignment.map((a) => [campaign, a.customer, a.phone, a.arm === 'control' ? '对照组' : a.arm, formatTime(a.time)])),
  };
  return { campaign, start, windowDays, events: ev, truth, files };
}
