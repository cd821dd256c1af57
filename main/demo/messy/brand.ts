/**
 * The messy-brand generator: a seeded export of one brand as an analyst really receives it, with
 * the truth it planted, so tests can show every analysis recovers it through the normal import
 * and identity path (no tidy keys anywhere):
 * - CRM (GBK): ~10 % of people registered twice under a second member id (phone written another
 *   way, sometimes the name in traditional characters); phones as +86/0086/86/(+86), spaces,
 *   dashes, full-width digits and a few Excel `1.38E+10`; families (parent and child) sharing one
 *   phone; same-name strangers (same name, other birthday, phone and city);
 * - orders keyed by member id, by the duplicate's id, or only by a phone written differently,
 *   with 已完成/已发货 (valid), 已取消, 已退款 and 待付款 lines; six planted R/F/M segments far apart;
 * - SMS sends (GBK) over four campaigns with A/B variants, 已送达/DELIVRD (delivered), 成功
 *   (accepted, no receipt), 未知 and 失败; personalised texts whose cost is parts × price as
 *   the product counts parts; a planted best weekday × hour cell and a better variant B;
 * - replies from `+86…`/`86…`/`138…` numbers: opt-outs written many ways and traps (T恤, N95,
 *   退货, 取消订单, refund questions, negations, English thanks, quoted marketing text), each
 *   labelled.
 * Truth (`truthOf`) is the definitions applied to the TRUE people: a conversion is a valid order
 * of the same person in (send, send + window] after a delivered send, latest such send, each
 * send once; refunded orders apart. Pure: the same seed gives byte-identical files.
 */
import { createRng, randInt, shuffle, type Rng } from '../../kernel/random';
import { countSmsSegments } from '../../analysis/sms/segments';
import { wilson } from '../../kernel/intervals';
import { generateReplies } from './replies';

export interface MessyOptions {
  seed: number;
  people: number;
  /** As-of date of the export (YYYY-MM-DD); every order lies before it. */
  asOf?: string;
}

const DAY = 86_400_000;
const H = 3_600_000;
export const MESSY_WINDOW_DAYS = 7;
export const MESSY_PRICE_PER_PART = 0.05;
/** Conversions of delivered sends at this weekday (0 = Monday) and hour are planted 5× as likely. */
export const MESSY_BEST_CELL = { weekday: 3, hour: 20 };

/** recency days, valid orders, amount per order (ranges): six segments far apart on log scales. */
export const MESSY_SEGMENTS: { r: [number, number]; f: [number, number]; m: [number, number] }[] = [
  { r: [1, 10], f: [15, 22], m: [400, 600] },
  { r: [1, 10], f: [1, 2], m: [30, 60] },
  { r: [250, 350], f: [15, 22], m: [400, 600] },
  { r: [250, 350], f: [1, 2], m: [30, 60] },
  { r: [90, 140], f: [6, 9], m: [1500, 2500] },
  { r: [1, 10], f: [6, 9], m: [30, 60] },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
const LONG_SURNAMES = ['欧阳', '司马', '诸葛', '上官'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚晓东子涵浩然雨萱梓轩思远欣怡建国海燕志佳俊婷秀英玉兰桂华慧琳博文宇航嘉乐诗琪若一鸣天佑心悦'];
/** Traditional forms for a duplicate registration typed on a Hong Kong/Taiwan keyboard. */
const TRAD: Record<string, string> = { 张: '張', 刘: '劉', 陈: '陳', 杨: '楊', 黄: '黃', 赵: '趙', 吴: '吳', 孙: '孫', 马: '馬', 郑: '鄭', 谢: '謝', 许: '許', 韩: '韓', 冯: '馮', 邓: '鄧', 伟: '偉', 丽: '麗', 强: '強', 军: '軍', 杰: '傑', 涛: '濤', 艳: '豔', 东: '東', 国: '國', 华: '華', 兰: '蘭', 鸣: '鳴', 乐: '樂', 诗: '詩', 轩: '軒', 远: '遠', 欧: '歐', 阳: '陽', 诸: '諸', 马司: '司馬' };
const REGIONS: { province: string; cities: string[] }[] = [
  { province: '广东省', cities: ['广州市', '深圳市', '东莞市', '佛山市'] },
  { province: '浙江省', cities: ['杭州市', '宁波市', '温州市'] },
  { province: '江苏省', cities: ['南京市', '苏州市', '无锡市'] },
  { province: '北京市', cities: ['北京市'] },
  { province: '上海市', cities: ['上海市'] },
  { province: '四川省', cities: ['成都市', '绵阳市'] },
  { province: '山东省', cities: ['济南市', '青岛市', '烟台市'] },
  { province: '湖北省', cities: ['武汉市', '宜昌市'] },
];
// Valid Chinese mobile prefixes only (140–144, 154, 160–164 are not mobiles).
const MOBILE_PREFIXES = ['134', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '199', '177'];
const FULLWIDTH = '０１２３４５６７８９';

export const MESSY_CAMPAIGNS = [
  { name: '夏季新品', startDay: 470, text: { A: '【优品汇】{姓名}您好，夏季新品已上市，会员专享满299减50，详情见小程序首页，回T退订', B: '【优品汇】{姓名}，您有一张50元夏季新品券待领取，今晚24点前使用有效，回T退订' } },
  { name: '会员日', startDay: 445, text: { A: '【优品汇】{姓名}您好，本周会员日全场双倍积分，到店再享免费咖啡一杯，回TD退订', B: '【优品汇】{姓名}，会员日专属礼：满199送保温杯，仅限本周，回TD退订' } },
  { name: '周年庆', startDay: 420, text: { A: '【优品汇】{姓名}您好，周年庆全场8折起，部分商品买一送一，详情见门店公告，回T退订', B: '【优品汇】{姓名}，周年庆老客专享：100元无门槛券已到账，3天内有效，回T退订' } },
  { name: '中秋礼盒', startDay: 395, text: { A: '【优品汇】{姓名}您好，中秋礼盒现已开订，提前预订享9折并包邮到家，回T退订', B: '【优品汇】{姓名}，中秋礼盒老客价直降80元，今日下单次日达，回T退订' } },
] as const;

/** Replies come from the labelled corpus (main/demo/messy/replies.ts): opt-outs written many ways, traps and chatter. */
/** The labelled reply pool, made on first use (not when the module loads: every CLI command would pay for it). */
let replyTexts: { optOuts: string[]; traps: string[]; neutral: string[] } | null = null;
function replyPool() {
  if (!replyTexts) {
    const pool = generateReplies(0x7e91, 6000);
    replyTexts = {
      optOuts: pool.filter((r) => r.isUnsubscribe).map((r) => r.text),
      traps: pool.filter((r) => !r.isUnsubscribe && r.kind !== 'chatter').map((r) => r.text),
      neutral: pool.filter((r) => r.kind === 'chatter').map((r) => r.text),
    };
  }
  return replyTexts;
}

export interface MessyPerson {
  /** Index = truth key. */
  index: number;
  memberId: string;
  /** Second member id of the same person (a re-registration), or null. */
  dupId: string | null;
  name: string;
  birthday: string;
  /** 11 digits. A child shares the parent's phone. */
  phone: string;
  province: string;
  city: string;
  segment: number;
  /** Index of the parent when this person is the child of a family sharing one phone. */
  childOf: number | null;
  /** Index of the earlier person with exactly this name (a same-name stranger). */
  namesakeOf: number | null;
  /** The CRM wrote the phone as Excel's `1.38E+10` (flagged, not guessable). */
  excelPhone: boolean;
  /** CRM data rows (1-based) of the person's record(s). */
  crmRows: number[];
}

export interface MessyOrder { person: number; orderId: string; time: number; amount: number; status: string }
export interface MessySend { person: number; campaign: string; variant: 'A' | 'B'; time: number; status: string; cls: 'delivered' | 'accepted' | 'unknown' | 'failed'; segments: number; cost: number }
export interface MessyReply { person: number; time: number; text: string; unsubscribe: boolean; trap: boolean }

export interface MessyEvents {
  asOf: string;
  people: MessyPerson[];
  orders: MessyOrder[];
  sends: MessySend[];
  replies: MessyReply[];
}

export interface CampaignTruth {
  campaign: string;
  sent: number;
  delivered: number;
  converted: number;
  revenue: number;
  refunded: number;
  refundedRevenue: number;
  unsubscribed: number;
  cost: number;
  segments: number;
  variants: Record<'A' | 'B', { sent: number; delivered: number; converted: number }>;
}

export interface MessyTruth {
  seed: number;
  people: number;
  asOf: string;
  windowDays: number;
  definitions: { valid: string[]; delivered: string[] };
  /** Per person: ids, planted segment and R/F/M over valid orders (recency in days to as-of). */
  persons: { index: number; memberId: string; dupId: string | null; phone: string; province: string; segment: number; recency: number | null; frequency: number; monetary: number; crmRows: number[] }[];
  campaigns: CampaignTruth[];
  /** Delivered sends and their conversions per weekday (0 = Monday) × hour. */
  cells: { weekday: number; hour: number; n: number; x: number }[];
  plantedBestCell: { weekday: number; hour: number };
  /** The cell with the highest Wilson lower bound among cells with ≥ 30 delivered sends. */
  bestCell: { weekday: number; hour: number; n: number; x: number };
  /** CRM data-row pairs that are one person (dedupe truth), same-name strangers, and families sharing a phone. */
  duplicatePairs: [number, number][];
  strangerPairs: [number, number][];
  familyPairs: [number, number][];
  orderLines: number;
  validLines: number;
  replies: { row: number; text: string; unsubscribe: boolean; trap: boolean }[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fmtDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const fmtTime = (ms: number) => {
  const d = new Date(ms);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
/** Orders come from another system that writes 2024/6/3 9:05. */
const fmtSlash = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} ${d.getUTCHours()}:${pad(d.getUTCMinutes())}`;
};
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randInt(rng, xs.length)]!;
const between = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + randInt(rng, hi - lo + 1);
const csvCell = (v: string | number | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const toCsv = (header: string[], rows: (string | number | null)[][], eol = '\r\n') => [header, ...rows].map((r) => r.map(csvCell).join(',')).join(eol) + eol;

/** A phone as some system wrote it (never Excel's form: that one is planted on purpose). */
export function phoneSpelling(phone: string, style: number): string {
  const [a, b, c] = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)];
  switch (style % 9) {
    case 0: return phone;
    case 1: return `+86 ${a} ${b} ${c}`;
    case 2: return `0086${phone}`;
    case 3: return `86${phone}`;
    case 4: return `(+86)${a}-${b}-${c}`;
    case 5: return `${a} ${b} ${c}`;
    case 6: return `${a}-${b}-${c}`;
    case 7: return [...phone].map((d) => FULLWIDTH[Number(d)]).join('');
    default: return `+86${phone}`;
  }
}
/** What Excel shows for an 11-digit number in a General cell: 13812345678 → 1.38E+10. */
const excelForm = (phone: string) => `${phone[0]}.${phone.slice(1, 3)}E+10`;

/** Draw the people and every event, as true facts (the files are written from these). */
export function generateEvents(opts: MessyOptions): MessyEvents {
  const rng = createRng(opts.seed);
  const asOf = opts.asOf ?? '2024-06-30';
  const asOfMs = Date.parse(asOf + 'T00:00:00Z');
  const n = Math.max(50, opts.people);
  const people: MessyPerson[] = [];
  const usedNames = new Set<string>();
  const usedPhones = new Set<string>();
  const newName = (surname?: string) => {
    for (;;) {
      const sn = surname ?? (rng() < 0.05 ? pick(rng, LONG_SURNAMES) : pick(rng, SURNAMES));
      const name = sn + pick(rng, GIVEN) + (rng() < 0.7 ? pick(rng, GIVEN) : '');
      if (!usedNames.has(name)) return name;
    }
  };
  const newPhone = () => {
    for (;;) {
      const p = pick(rng, MOBILE_PREFIXES) + String(randInt(rng, 1e8)).padStart(8, '0');
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };
  const birthday = (from: number, span: number) => fmtDate(Date.UTC(from + randInt(rng, span), randInt(rng, 12), 1 + randInt(rng, 28)));
  for (let i = 0; i < n; i++) {
    const region = pick(rng, REGIONS);
    const parent = i % 25 === 24 ? people[i - 1]! : null;
    const namesake = !parent && i % 40 === 7 && i >= 5 && people[i - 5]!.childOf === null && people[i - 5]!.namesakeOf === null ? people[i - 5]! : null;
    let name = parent ? newName([...parent.name][0] === [...parent.name][1] ? undefined : parent.name.startsWith('欧阳') || parent.name.startsWith('司马') || parent.name.startsWith('诸葛') || parent.name.startsWith('上官') ? parent.name.slice(0, 2) : parent.name[0]) : namesake ? namesake.name : newName();
    usedNames.add(name);
    let bd = parent ? birthday(1998, 10) : birthday(1960, 38);
    if (namesake) while (bd === namesake.birthday) bd = birthday(1960, 38);
    let city = parent ? parent.city : pick(rng, region.cities);
    let province = parent ? parent.province : region.province;
    if (namesake) {
      const other = REGIONS.filter((r) => r.province !== namesake.province);
      const r = pick(rng, other);
      province = r.province;
      city = pick(rng, r.cities);
    }
    const p: MessyPerson = {
      index: i,
      memberId: `M${String(200001 + i)}`,
      dupId: null,
      name,
      birthday: bd,
      phone: parent ? parent.phone : newPhone(),
      province,
      city,
      segment: randInt(rng, MESSY_SEGMENTS.length),
      childOf: parent ? parent.index : null,
      namesakeOf: namesake ? namesake.index : null,
      excelPhone: false,
      crmRows: [],
    };
    // a family's parent, a namesake and an Excel-damaged phone stay single-id people (what makes them hard is enough)
    const plain = !parent && i % 25 !== 23 && !namesake;
    if (plain && i % 10 === 3) p.dupId = `M${String(800001 + i)}`;
    else if (plain && i % 53 === 11) p.excelPhone = true;
    if (!parent) name = p.name;
    people.push(p);
  }

  // Orders: planned valid orders per segment, noise lines that never count, keyed as the systems did.
  interface Line extends MessyOrder { how: 'id' | 'dup' | 'phone' | 'idphone'; last: boolean; movable: boolean; phoneText: string }
  const lines: Line[] = [];
  for (const p of people) {
    const seg = MESSY_SEGMENTS[p.segment]!;
    const f = between(rng, seg.f);
    const lastDay = between(rng, seg.r);
    const days = [lastDay];
    for (let k = 1; k < f; k++) days.push(lastDay + 1 + randInt(rng, 330));
    const mine: Line[] = [];
    const timeOf = (day: number) => asOfMs - day * DAY + (9 + randInt(rng, 13)) * H + randInt(rng, 60) * 60_000;
    days.forEach((d, k) => mine.push({ person: p.index, orderId: '', time: timeOf(d), amount: between(rng, seg.m), status: rng() < 0.7 ? '已完成' : '已发货', how: 'id', last: k === 0, movable: k > 0, phoneText: '' }));
    // cancelled / refunded / pending lines, never newer than the last valid one
    for (let k = 0; k < 1 + randInt(rng, 2); k++) mine.push({ person: p.index, orderId: '', time: timeOf(lastDay + randInt(rng, 200)), amount: between(rng, seg.m), status: pick(rng, ['已取消', '已退款', '待付款']), how: 'id', last: false, movable: false, phoneText: '' });
    for (const l of mine) {
      if (p.childOf !== null) l.how = 'id';
      else if (people[p.index + 1]?.childOf === p.index) l.how = rng() < 0.5 ? 'idphone' : 'id';
      else {
        const r = rng();
        l.how = r < 0.4 ? 'id' : p.dupId && r < 0.6 ? 'dup' : r < 0.92 ? 'phone' : 'idphone';
      }
      l.phoneText = l.how === 'phone' || l.how === 'idphone' ? phoneSpelling(p.phone, randInt(rng, 9)) : '';
    }
    // whoever's CRM phone is damaged, or whose family shares it, buys once with id and phone together
    if (p.excelPhone || people[p.index + 1]?.childOf === p.index) {
      mine[0]!.how = 'idphone';
      mine[0]!.phoneText = p.phone;
    }
    lines.push(...mine);
  }

  // SMS: four campaigns to every phone owner (not the child of a shared phone), 70 % each.
  const sends: MessySend[] = [];
  const replies: MessyReply[] = [];
  const movable = new Map<number, Line[]>();
  for (const l of lines) if (l.movable) (movable.get(l.person) ?? movable.set(l.person, []).get(l.person)!).push(l);
  for (const c of MESSY_CAMPAIGNS) {
    const batch: MessySend[] = [];
    for (const p of people) {
      if (p.childOf !== null || rng() < 0.3) continue;
      const variant: 'A' | 'B' = rng() < 0.5 ? 'A' : 'B';
      const day = c.startDay - randInt(rng, 7);
      const hour = 9 + randInt(rng, 13);
      const time = asOfMs - day * DAY + hour * H + randInt(rng, 3600) * 1000;
      const r = rng();
      const cls: MessySend['cls'] = r < 0.8 ? 'delivered' : r < 0.88 ? 'accepted' : r < 0.92 ? 'unknown' : 'failed';
      const status = cls === 'delivered' ? (rng() < 0.5 ? '已送达' : 'DELIVRD') : cls === 'accepted' ? '成功' : cls === 'unknown' ? '未知' : '失败';
      const text = c.text[variant].replace('{姓名}', p.name);
      const segments = countSmsSegments(text).segments;
      const s: MessySend = { person: p.index, campaign: c.name, variant, time, status, cls, segments, cost: Math.round(segments * MESSY_PRICE_PER_PART * 100) / 100 };
      batch.push(s);
      // planted response: cell and variant effects; a gateway's 成功 may also have reached the phone (a trap: not delivered)
      if (cls === 'delivered' || cls === 'accepted') {
        const d = new Date(time);
        const best = (d.getUTCDay() + 6) % 7 === MESSY_BEST_CELL.weekday && d.getUTCHours() === MESSY_BEST_CELL.hour;
        const pc = (best ? 0.5 : 0.08) + (variant === 'B' ? 0.1 : 0);
        const free = movable.get(p.index);
        if (free?.length && rng() < pc) {
          const moves = free.length > 1 && rng() < 0.2 ? 2 : 1;
          for (let k = 0; k < moves; k++) {
            const l = free.shift()!;
            l.time = time + H + randInt(rng, 6 * 24 + 20) * H + randInt(rng, 3600) * 1000;
          }
        }
        if (rng() < 0.09) {
          const kind = rng();
          const pool = replyPool();
          const text = kind < 0.5 ? pick(rng, pool.optOuts) : kind < 0.8 ? (rng() < 0.25 ? `“${c.text[variant].replace('{姓名}', p.name)}” 这个还有吗` : pick(rng, pool.traps)) : pick(rng, pool.neutral);
          replies.push({ person: p.index, time: time + 5 * 60_000 + randInt(rng, 40 * 60) * 60_000, text, unsubscribe: kind < 0.5, trap: kind >= 0.5 && kind < 0.8 });
        }
      }
    }
    batch.sort((a, b) => a.time - b.time);
    for (const s of batch) sends.push(s); // not a spread: a campaign of 150k+ sends would overflow the call stack
  }

  // Order numbers in time order, as a shop system assigns them.
  lines.sort((a, b) => a.time - b.time || a.person - b.person);
  lines.forEach((l, k) => (l.orderId = `SO${String(5_000_000 + k)}`));
  replies.sort((a, b) => a.time - b.time);
  return {
    asOf,
    people,
    orders: lines.map((l) => Object.assign(l, {})),
    sends,
    replies,
  };
}

/** Status words of the export and what the product's definitions make of them by default. */
export const MESSY_DEFAULT_VALID = ['已完成', '已发货'];

/**
 * The truth: the definitions applied to the true people. `valid` are the order statuses that
 * count (change it to follow a remapped definition); refunded lines are 已退款.
 */
export function truthOf(ev: MessyEvents, seed: number, valid: readonly string[] = MESSY_DEFAULT_VALID): MessyTruth {
  const asOfMs = Date.parse(ev.asOf + 'T00:00:00Z');
  const windowMs = MESSY_WINDOW_DAYS * DAY;
  const validSet = new Set(valid);
  // R/F/M per person over valid lines
  const rfm = ev.people.map(() => ({ last: -Infinity, f: 0, m: 0 }));
  for (const o of ev.orders) {
    if (!validSet.has(o.status)) continue;
    const r = rfm[o.person]!;
    r.f++;
    r.m += o.amount;
    r.last = Math.max(r.last, o.time);
  }
  // conversions: latest delivered send of the same person in [order − window, order)
  const delivered = new Map<number, number[]>();
  ev.sends.forEach((s, i) => {
    if (s.cls === 'delivered') (delivered.get(s.person) ?? delivered.set(s.person, []).get(s.person)!).push(i);
  });
  const converted = new Uint8Array(ev.sends.length);
  const revenue = new Float64Array(ev.sends.length);
  const refunded = new Int32Array(ev.sends.length);
  const refundedRevenue = new Float64Array(ev.sends.length);
  for (const o of ev.orders) {
    const isValid = validSet.has(o.status);
    if (!isValid && o.status !== '已退款') continue;
    let best = -1;
    for (const i of delivered.get(o.person) ?? []) {
      const t = ev.sends[i]!.time;
      if (t < o.time && o.time - t <= windowMs && (best < 0 || t >= ev.sends[best]!.time)) best = i;
    }
    if (best < 0) continue;
    if (isValid) {
      converted[best] = 1;
      revenue[best]! += o.amount;
    } else {
      refunded[best]!++;
      refundedRevenue[best]! += o.amount;
    }
  }
  // replies belong to the latest send (any status) to that person at or before them, within 3 days
  const sendsOf = new Map<number, number[]>();
  ev.sends.forEach((s, i) => (sendsOf.get(s.person) ?? sendsOf.set(s.person, []).get(s.person)!).push(i));
  const unsub = new Map<string, number>();
  for (const r of ev.replies) {
    if (!r.unsubscribe) continue;
    let best = -1;
    for (const i of sendsOf.get(r.person) ?? []) {
      const t = ev.sends[i]!.time;
      if (t <= r.time && r.time - t <= 3 * DAY && (best < 0 || t >= ev.sends[best]!.time)) best = i;
    }
    if (best >= 0) unsub.set(ev.sends[best]!.campaign, (unsub.get(ev.sends[best]!.campaign) ?? 0) + 1);
  }
  const campaigns: CampaignTruth[] = MESSY_CAMPAIGNS.map((c) => {
    const t: CampaignTruth = { campaign: c.name, sent: 0, delivered: 0, converted: 0, revenue: 0, refunded: 0, refundedRevenue: 0, unsubscribed: unsub.get(c.name) ?? 0, cost: 0, segments: 0, variants: { A: { sent: 0, delivered: 0, converted: 0 }, B: { sent: 0, delivered: 0, converted: 0 } } };
    ev.sends.forEach((s, i) => {
      if (s.campaign !== c.name) return;
      const v = t.variants[s.variant];
      t.sent++;
      v.sent++;
      t.cost += s.cost;
      t.segments += s.segments;
      if (s.cls === 'delivered') {
        t.delivered++;
        v.delivered++;
      }
      if (converted[i]) {
        t.converted++;
        v.converted++;
      }
      t.revenue += revenue[i]!;
      t.refunded += refunded[i]!;
      t.refundedRevenue += refundedRevenue[i]!;
    });
    t.cost = Math.round(t.cost * 100) / 100;
    t.revenue = Math.round(t.revenue * 100) / 100;
    t.refundedRevenue = Math.round(t.refundedRevenue * 100) / 100;
    return t;
  });
  const cellMap = new Map<string, { weekday: number; hour: number; n: number; x: number }>();
  ev.sends.forEach((s, i) => {
    if (s.cls !== 'delivered') return;
    const d = new Date(s.time);
    const weekday = (d.getUTCDay() + 6) % 7;
    const hour = d.getUTCHours();
    const c = cellMap.get(`${weekday}|${hour}`) ?? cellMap.set(`${weekday}|${hour}`, { weekday, hour, n: 0, x: 0 }).get(`${weekday}|${hour}`)!;
    c.n++;
    c.x += converted[i]!;
  });
  const cells = [...cellMap.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
  const lower = (c: { n: number; x: number }) => wilson(c.x, c.n)[0];
  const bestCell = cells.filter((c) => c.n >= 30).sort((a, b) => lower(b) - lower(a) || b.n - a.n)[0] ?? { weekday: -1, hour: -1, n: 0, x: 0 };
  const pairs = (f: (p: MessyPerson) => number | null) => ev.people.flatMap((p) => (f(p) === null ? [] : [[ev.people[f(p)!]!.crmRows[0]!, p.crmRows[0]!] as [number, number]]));
  return {
    seed,
    people: ev.people.length,
    asOf: ev.asOf,
    windowDays: MESSY_WINDOW_DAYS,
    definitions: { valid: [...valid], delivered: ['已送达', 'DELIVRD'] },
    persons: ev.people.map((p, i) => ({
      index: p.index,
      memberId: p.memberId,
      dupId: p.dupId,
      phone: '+86' + p.phone,
      province: p.province,
      segment: p.segment,
      recency: rfm[i]!.f ? Math.round((asOfMs - Math.floor(rfm[i]!.last / DAY) * DAY) / DAY) : null,
      frequency: rfm[i]!.f,
      monetary: Math.round(rfm[i]!.m * 100) / 100,
      crmRows: p.crmRows,
    })),
    campaigns,
    cells,
    plantedBestCell: MESSY_BEST_CELL,
    bestCell,
    duplicatePairs: ev.people.filter((p) => p.crmRows.length > 1).map((p) => [p.crmRows[0]!, p.crmRows[1]!] as [number, number]),
    strangerPairs: pairs((p) => p.namesakeOf),
    familyPairs: pairs((p) => p.childOf),
    orderLines: ev.orders.length,
    validLines: ev.orders.filter((o) => validSet.has(o.status)).length,
    replies: ev.replies.map((r, k) => ({ row: k + 1, text: r.text, unsubscribe: r.unsubscribe, trap: r.trap })),
  };
}

export interface MessyFile {
  name: string;
  text: string;
  encoding: 'gbk' | 'utf-8';
}

export const MESSY_DATASETS: Record<string, string> = {
  'crm.csv': 'CRM会员',
  'orders.csv': '订单',
  'sms_sends.csv': '短信发送',
  'sms_replies.csv': '短信回复',
};

/** The files as an analyst receives them (CRM and sends in GBK), and the truth. */
export function generateMessyBrand(opts: MessyOptions): { files: MessyFile[]; truth: MessyTruth; events: MessyEvents } {
  const ev = generateEvents(opts);
  const rng = createRng((opts.seed ^ 0x5eed) >>> 0);
  // CRM: one record per person, a second (later registration, second id) for duplicates, shuffled
  // the way a CRM export mixes old and new records.
  const asOfMs = Date.parse(ev.asOf + 'T00:00:00Z');
  type Rec = { person: MessyPerson; dup: boolean; reg: number };
  const recs: Rec[] = [];
  for (const p of ev.people) {
    // a parent registered before the child, so lines keyed only by the shared phone default to the parent
    const reg = asOfMs - (p.childOf !== null ? 600 + randInt(rng, 100) : 900 + randInt(rng, 600)) * DAY + randInt(rng, DAY);
    recs.push({ person: p, dup: false, reg });
    if (p.dupId) recs.push({ person: p, dup: true, reg: asOfMs - (100 + randInt(rng, 400)) * DAY });
  }
  shuffle(rng, recs);
  const crmRows = recs.map((r, k) => {
    const p = r.person;
    p.crmRows.push(k + 1);
    const tradName = r.dup && rng() < 0.3 ? [...p.name].map((ch) => TRAD[ch] ?? ch).join('') : p.name;
    const phone = p.excelPhone && !r.dup ? excelForm(p.phone) : r.dup ? phoneSpelling(p.phone, 1 + randInt(rng, 8)) : phoneSpelling(p.phone, rng() < 0.6 ? 0 : randInt(rng, 9));
    return [r.dup ? p.dupId : p.memberId, tradName, phone, r.dup && rng() < 0.2 ? '' : p.birthday, p.province, r.dup && rng() < 0.3 ? '' : p.city, fmtTime(r.reg)];
  });
  for (const p of ev.people) p.crmRows.sort((a, b) => a - b);
  const orderRows = ev.orders.map((o) => {
    const l = o as MessyOrder & { how: string; phoneText: string };
    const p = ev.people[o.person]!;
    return [o.orderId, l.how === 'dup' ? p.dupId : l.how === 'phone' ? '' : p.memberId, l.phoneText || '', fmtSlash(o.time), o.amount.toFixed(2), o.status];
  });
  const sendRows = ev.sends.map((s) => {
    const p = ev.people[s.person]!;
    const c = MESSY_CAMPAIGNS.find((x) => x.name === s.campaign)!;
    return [s.campaign, s.variant, phoneSpelling(p.phone, pick(rng, [0, 0, 0, 1, 3, 8])), c.text[s.variant].replace('{姓名}', p.name), fmtTime(s.time), s.status, s.cost.toFixed(2)];
  });
  const replyRows = ev.replies.map((r) => [phoneSpelling(ev.people[r.person]!.phone, pick(rng, [0, 3, 8])), fmtTime(r.time), r.text]);
  const truth = truthOf(ev, opts.seed);
  return {
    events: ev,
    truth,
    files: [
      { name: 'crm.csv', encoding: 'gbk', text: toCsv(['会员号', '姓名', '手机号', '生日', '省份', '城市', '注册时间'], crmRows) },
      { name: 'orders.csv', encoding: 'utf-8', text: '\ufeff' + toCsv(['订单号', '会员号', '手机号', '下单时间', '实付金额', '状态'], orderRows, '\n') },
      { name: 'sms_sends.csv', encoding: 'gbk', text: toCsv(['活动名称', '版本', '手机号码', '短信内容', '发送时间', '发送状态', '费用'], sendRows) },
      { name: 'sms_replies.csv', encoding: 'utf-8', text: toCsv(['手机号码', '回复时间', '回复内容'], replyRows, '\n') },
    ],
  };
}
