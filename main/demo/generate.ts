/**
 * Seeded generator of a realistic multi-channel Chinese retail customer base, with the truth
 * it planted written beside it so tests can check that analyses recover it:
 * - CRM contacts (GBK CSV, Chinese headers) with duplicate people under variant names/phones
 *   (`138 0013 8000`, `+86-13800138000`, full-width digits, traditional characters, homophones);
 * - orders across channels and regions, with refunds;
 * - SMS sends (two variants per campaign; variant B truly converts better; 20:00 truly best;
 *   customers in 浙江 convert 2.5× as often), delivery receipts, and replies including
 *   unsubscribes (`退订`, `TD`, `T`);
 * - multi-channel touches (短信/小程序/门店/公众号/APP) where the path 短信 → 小程序 truly
 *   converts best;
 * - survey answers (NPS 0–10, CSAT 1–5, comments) where detractors truly buy less afterwards.
 * Pure: the same seed gives byte-identical files.
 */
import { createRng, randInt, type Rng } from '../kernel/random';

export interface DemoOptions {
  seed: number;
  customers: number;
  /** Last day of the data (orders and SMS happen in the 24 months before). */
  end?: string;
}

export type Archetype = 'vip' | 'loyal' | 'new' | 'at_risk' | 'lost' | 'prospect';

export interface DemoTruth {
  seed: number;
  customers: number;
  end: string;
  /** Row numbers (1-based, data rows) of contacts.csv that are the same person. */
  duplicateGroups: number[][];
  contactsRows: number;
  archetypes: Record<string, Archetype>;
  campaigns: { name: string; winner: 'A' | 'B'; conversionA: number; conversionB: number }[];
  bestSendHour: number;
  ordersRows: number;
  refunds: number;
  smsSends: number;
  unsubscribers: string[];
  /** The province whose SMS conversion probability was multiplied, and the planted sends/conversions per province. */
  regionEffect: { province: string; factor: number; byProvince: Record<string, { sent: number; converted: number }> };
  /** touches.csv: the planted path converts with probability `plantedRate`, other journeys with `otherRate`. */
  journeys: { touches: number; plantedPath: string[]; plantedRate: number; otherRate: number; planted: { journeys: number; converted: number }; other: { journeys: number; converted: number } };
  /** survey.csv: answers per NPS category and how many bought nothing (paid orders) in the 90 days after answering. */
  survey: { answers: number; horizonDays: number; byCategory: Record<'promoter' | 'passive' | 'detractor', { n: number; churned: number }> };
}

export interface DemoFiles {
  /** name → text content (contacts is meant to be written as GBK). */
  files: { name: string; text: string; encoding: 'gb18030' | 'utf-8' }[];
  truth: DemoTruth;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '欧阳', '司马', '诸葛'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '晓东', '子涵', '浩然', '雨萱', '梓轩', '思远', '欣怡', '建国', '海燕', '志强', '佳怡', '俊杰', '婷婷'];
/** Traditional forms for the variant-name duplicates. */
const TRAD: Record<string, string> = { 张: '張', 刘: '劉', 陈: '陳', 杨: '楊', 黄: '黃', 赵: '趙', 吴: '吳', 孙: '孫', 马: '馬', 郑: '鄭', 谢: '謝', 许: '許', 韩: '韓', 冯: '馮', 邓: '鄧', 伟: '偉', 丽: '麗', 强: '強', 军: '軍', 杰: '傑', 娟: '娟', 涛: '濤', 艳: '豔', 东: '東', 国: '國', 志: '誌', 欧: '歐', 阳: '陽', 马司: '司馬', 诸: '諸', 葛: '葛', 俊: '俊', 婷: '婷' };
/** Homophones (same pinyin) used as typos: 张伟 → 章伟. */
const HOMOPHONE: Record<string, string> = { 张: '章', 李: '理', 王: '汪', 刘: '柳', 陈: '沉', 杨: '阳', 黄: '皇', 周: '洲', 徐: '许', 林: '琳', 伟: '玮', 芳: '方', 静: '婧', 丽: '莉', 磊: '垒', 明: '鸣' };
const REGIONS: { province: string; cities: string[]; weight: number; prefix: string }[] = [
  { province: '广东省', cities: ['广州市', '深圳市', '东莞市', '佛山市'], weight: 18, prefix: '020' },
  { province: '浙江省', cities: ['杭州市', '宁波市', '温州市'], weight: 12, prefix: '0571' },
  { province: '江苏省', cities: ['南京市', '苏州市', '无锡市', '常州市'], weight: 12, prefix: '025' },
  { province: '北京市', cities: ['北京市'], weight: 10, prefix: '010' },
  { province: '上海市', cities: ['上海市'], weight: 10, prefix: '021' },
  { province: '四川省', cities: ['成都市', '绵阳市'], weight: 8, prefix: '028' },
  { province: '山东省', cities: ['济南市', '青岛市', '烟台市'], weight: 8, prefix: '0531' },
  { province: '湖北省', cities: ['武汉市', '宜昌市'], weight: 6, prefix: '027' },
  { province: '福建省', cities: ['福州市', '厦门市'], weight: 6, prefix: '0591' },
  { province: '河南省', cities: ['郑州市', '洛阳市'], weight: 5, prefix: '0371' },
  { province: '陕西省', cities: ['西安市'], weight: 3, prefix: '029' },
  { province: '内蒙古自治区', cities: ['呼和浩特市'], weight: 2, prefix: '0471' },
];
const CHANNELS = ['门店', '天猫', '京东', '小程序'];
const TOUCH_CHANNELS = ['短信', '小程序', '门店', '公众号', 'APP'];
const TOUCH_CAMPAIGNS = ['春季上新', '会员日', '周年庆', '双11', '年货节'];
const PLANTED_PATH = ['短信', '小程序'];
const REGION_EFFECT = { province: '浙江省', factor: 2.5 };
const SURVEY_COMMENTS: Record<'promoter' | 'passive' | 'detractor', string[]> = {
  detractor: ['物流太慢了，等了一个星期', '客服态度差，问题一直没解决', '商品质量不好，和描述不符', '价格太贵了，不如别家划算', '退款处理太慢，很失望', '包装破损，体验很差', '发错货了，换货很麻烦'],
  passive: ['还可以吧', '一般般，包装可以更好', '东西不错，就是有点贵', '物流速度一般', '总体还行'],
  promoter: ['很满意，会推荐给朋友', '质量很好，物流也快', '客服很贴心，点赞', '性价比高，会回购', '非常好，一直在这家买'],
};
const REG_CHANNELS = ['门店', '小程序', '天猫', '短信活动', '线下活动'];
const PRODUCTS: { sku: string; name: string; category: string; price: number }[] = [
  { sku: 'P1001', name: '有机纯牛奶 250ml×12', category: '乳品', price: 69.9 },
  { sku: 'P1002', name: '希腊酸奶 原味', category: '乳品', price: 12.5 },
  { sku: 'P2001', name: '东北大米 5kg', category: '粮油', price: 59.0 },
  { sku: 'P2002', name: '特级初榨橄榄油 1L', category: '粮油', price: 128.0 },
  { sku: 'P3001', name: '坚果礼盒 每日坚果', category: '零食', price: 158.0 },
  { sku: 'P3002', name: '手工牛轧糖', category: '零食', price: 39.9 },
  { sku: 'P4001', name: '保湿面霜 50g', category: '美妆', price: 299.0 },
  { sku: 'P4002', name: '氨基酸洁面乳', category: '美妆', price: 89.0 },
  { sku: 'P5001', name: '婴儿纸尿裤 L码', category: '母婴', price: 139.0 },
  { sku: 'P5002', name: '儿童益生菌', category: '母婴', price: 199.0 },
  { sku: 'P6001', name: '龙井绿茶 250g', category: '茶饮', price: 238.0 },
  { sku: 'P6002', name: '挂耳咖啡 20包', category: '茶饮', price: 59.9 },
];
const FULLWIDTH_DIGITS = '０１２３４５６７８９';
const MOBILE_PREFIXES = ['134', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '199', '177'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;

function fmtDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
function fmtDateTime(ms: number): string {
  const d = new Date(ms);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[randInt(rng, xs.length)]!;
}
function weighted<T extends { weight: number }>(rng: Rng, xs: readonly T[]): T {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let r = rng() * total;
  for (const x of xs) if ((r -= x.weight) < 0) return x;
  return xs[xs.length - 1]!;
}
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function toCsv(header: string[], rows: (string | number | null)[][], eol = '\r\n'): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join(eol) + eol;
}

/** Phone variants an exported CRM really contains. */
function phoneVariant(rng: Rng, phone: string, style: number): string {
  switch (style) {
    case 1:
      return `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    case 2:
      return `+86-${phone}`;
    case 3:
      return [...phone].map((c) => FULLWIDTH_DIGITS[Number(c)]).join('');
    case 4:
      return `0086 ${phone}`;
    case 5:
      return `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    default:
      return rng() < 0.5 ? phone : `+86 ${phone}`;
  }
}

function nameVariant(rng: Rng, name: string): string {
  const chars = [...name];
  if (rng() < 0.5) return chars.map((c) => TRAD[c] ?? c).join('');
  const i = chars.findIndex((c) => HOMOPHONE[c]);
  if (i >= 0) chars[i] = HOMOPHONE[chars[i]!]!;
  else chars.push(' ');
  return chars.join('');
}

export function generateDemo(opts: DemoOptions): DemoFiles {
  const rng = createRng(opts.seed);
  const endMs = Date.parse((opts.end ?? '2024-06-30') + 'T23:59:59Z');
  const startMs = endMs - 730 * DAY;
  const archetypes: Record<string, Archetype> = {};
  const usedPhones = new Set<string>();

  interface Person {
    id: string;
    name: string;
    gender: '男' | '女';
    phone: string;
    email: string | null;
    birthday: string | null;
    province: string;
    city: string;
    registered: number;
    regChannel: string;
    archetype: Archetype;
  }
  const people: Person[] = [];
  const archetypeMix: [Archetype, number][] = [
    ['vip', 0.08],
    ['loyal', 0.22],
    ['new', 0.15],
    ['at_risk', 0.2],
    ['lost', 0.25],
    ['prospect', 0.1],
  ];
  for (let i = 0; i < opts.customers; i++) {
    let phone: string;
    do phone = pick(rng, MOBILE_PREFIXES) + String(randInt(rng, 1e8)).padStart(8, '0');
    while (usedPhones.has(phone));
    usedPhones.add(phone);
    const region = weighted(rng, REGIONS);
    let r = rng();
    let archetype: Archetype = 'lost';
    for (const [a, p] of archetypeMix) if ((r -= p) < 0) {
      archetype = a;
      break;
    }
    const regOffset = archetype === 'new' ? 730 - randInt(rng, 60) : randInt(rng, 500);
    const id = `C${String(100001 + i)}`;
    archetypes[id] = archetype;
    const surname = rng() < 0.04 ? pick(rng, SURNAMES.slice(-3)) : pick(rng, SURNAMES.slice(0, -3));
    people.push({
      id,
      name: surname + pick(rng, GIVEN),
      gender: rng() < 0.55 ? '女' : '男',
      phone,
      email: rng() < 0.6 ? `${['user', 'vip', 'hello', 'mail'][randInt(rng, 4)]}${randInt(rng, 99999)}@${pick(rng, ['qq.com', '163.com', '126.com', 'example.cn'])}` : null,
      birthday: rng() < 0.7 ? fmtDate(Date.UTC(1960 + randInt(rng, 45), randInt(rng, 12), 1 + randInt(rng, 28))) : null,
      province: region.province,
      city: pick(rng, region.cities),
      registered: startMs + regOffset * DAY + randInt(rng, DAY),
      regChannel: pick(rng, REG_CHANNELS),
      archetype,
    });
  }

  // Contacts, with ~6% of people exported again under variants (duplicate groups).
  const contactRows: (string | number | null)[][] = [];
  const duplicateGroups: number[][] = [];
  const genderVariants: Record<string, string[]> = { 男: ['男', 'M', 'male', '男'], 女: ['女', 'F', 'female', '女'] };
  for (const p of people) {
    const rowNo = contactRows.length + 1;
    contactRows.push([p.id, p.name, p.gender, p.phone, p.email, p.birthday, p.province, p.city, fmtDate(p.registered), p.regChannel]);
    if (rng() < 0.06) {
      const group = [rowNo];
      const copies = rng() < 0.25 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        group.push(contactRows.length + 1);
        contactRows.push([
          '', // re-registered in another system: no customer id
          nameVariant(rng, p.name),
          pick(rng, genderVariants[p.gender]!),
          phoneVariant(rng, p.phone, 1 + randInt(rng, 5)),
          p.email && rng() < 0.7 ? p.email.toUpperCase() : p.email,
          rng() < 0.5 ? p.birthday : null,
          p.province.replace(/省|市|自治区/g, ''),
          p.city,
          fmtDate(p.registered + randInt(rng, 90) * DAY),
          pick(rng, REG_CHANNELS),
        ]);
      }
      duplicateGroups.push(group);
    }
  }

  // Orders: rhythm and value by archetype.
  const orderRows: (string | number | null)[][] = [];
  let orderNo = 0;
  let refunds = 0;
  const profile: Record<Archetype, { rate: number; value: number; activeFrom: number; activeTo: number }> = {
    vip: { rate: 1 / 12, value: 2.6, activeFrom: 0, activeTo: 730 },
    loyal: { rate: 1 / 30, value: 1.2, activeFrom: 0, activeTo: 730 },
    new: { rate: 1 / 25, value: 1.0, activeFrom: 670, activeTo: 730 },
    at_risk: { rate: 1 / 35, value: 1.1, activeFrom: 0, activeTo: 600 },
    lost: { rate: 1 / 90, value: 0.7, activeFrom: 0, activeTo: 300 },
    prospect: { rate: 0, value: 0, activeFrom: 0, activeTo: 0 },
  };
  const hourWeights = [1, 0, 0, 0, 0, 0, 1, 2, 4, 6, 8, 9, 10, 8, 7, 7, 8, 9, 11, 14, 16, 13, 7, 3];
  const pickHour = () => {
    const total = hourWeights.reduce((a, b) => a + b, 0);
    let r = rng() * total;
    for (let h = 0; h < 24; h++) if ((r -= hourWeights[h]!) < 0) return h;
    return 20;
  };
  const ordersByPhone = new Map<string, number[]>();
  /** Times of the paid (not refunded) orders per phone: the survey's later-behaviour truth. */
  const paidByPhone = new Map<string, number[]>();
  const placeOrder = (p: Person, day: number, channel?: string) => {
    const t = startMs + day * DAY + pickHour() * 3_600_000 + randInt(rng, 3_600_000);
    if (t > endMs || t < p.registered) return;
    const product = pick(rng, PRODUCTS);
    const qty = 1 + (rng() < 0.3 ? randInt(rng, 3) : 0);
    const unit = Math.round(product.price * (0.85 + 0.3 * rng()) * 100) / 100;
    const paid = Math.round(unit * qty * (p.archetype === 'vip' ? 1.6 : 1) * 100) / 100;
    orderNo++;
    const refunded = rng() < 0.04;
    if (refunded) refunds++;
    orderRows.push([
      `SO${String(20220000 + orderNo)}`,
      p.id,
      p.phone,
      fmtDateTime(t),
      product.sku,
      product.name,
      product.category,
      qty,
      unit,
      refunded ? -paid : paid,
      channel ?? pick(rng, CHANNELS),
      p.province,
      refunded ? '已退款' : '已完成',
    ]);
    const list = ordersByPhone.get(p.phone) ?? [];
    list.push(t);
    ordersByPhone.set(p.phone, list);
    if (!refunded) (paidByPhone.get(p.phone) ?? paidByPhone.set(p.phone, []).get(p.phone)!).push(t);
  };
  for (const p of people) {
    const prof = profile[p.archetype];
    if (prof.rate === 0) continue;
    let day = Math.max(prof.activeFrom, Math.ceil((p.registered - startMs) / DAY));
    day += randInt(rng, 20);
    while (day < prof.activeTo) {
      placeOrder(p, day);
      day += Math.max(1, Math.round(-Math.log(1 - rng()) / prof.rate));
    }
  }

  // SMS: three campaigns, variants A/B; B converts better; sends at hours 10..21, 20:00 best.
  const campaigns = [
    { name: '618大促预热', day: 700, text: { A: '【优品汇】618大促预热，全场满299减50，回T退订', B: '【优品汇】{姓名}您好，您的专属618礼券已到账，满299减50，点击 u.cn/618 领取，回T退订' } },
    { name: '会员日', day: 640, text: { A: '【优品汇】会员日双倍积分，到店即享，回TD退订', B: '【优品汇】尊敬的会员，本周六会员日双倍积分+免费咖啡，回TD退订' } },
    { name: '新品上市', day: 560, text: { A: '【优品汇】新品上市，龙井绿茶限时8折，回T退订', B: '【优品汇】春茶季：明前龙井到货，老客专享8折，回T退订' } },
  ];
  const sendRows: (string | number | null)[][] = [];
  const receiptRows: (string | number | null)[][] = [];
  const replyRows: (string | number | null)[][] = [];
  const clickRows: (string | number | null)[][] = [];
  const unsubscribers = new Set<string>();
  const campaignTruth: DemoTruth['campaigns'] = [];
  const byProvince: Record<string, { sent: number; converted: number }> = {};
  const hourEffect = (h: number) => (h === 20 ? 2.2 : h === 19 || h === 21 ? 1.4 : h >= 10 && h <= 12 ? 1.0 : 0.7);
  for (const c of campaigns) {
    const conv = { A: 0, B: 0 };
    const sent = { A: 0, B: 0 };
    for (const p of people) {
      if (rng() < 0.3) continue;
      const variant: 'A' | 'B' = rng() < 0.5 ? 'A' : 'B';
      const hour = 10 + randInt(rng, 12);
      const t = startMs + (c.day + randInt(rng, 3)) * DAY + hour * 3_600_000 + randInt(rng, 3_600_000);
      const r = rng();
      const status = r < 0.9 ? '成功' : r < 0.97 ? '失败' : '未知';
      const phoneOut = rng() < 0.1 ? `+86${p.phone}` : p.phone;
      sendRows.push([`${c.name}`, variant, phoneOut, c.text[variant].replace('{姓名}', p.name), fmtDateTime(t), status, 0.045]);
      sent[variant]++;
      if (status !== '成功') {
        if (status === '失败') receiptRows.push([p.phone, c.name, 'UNDELIV', fmtDateTime(t + 30_000)]);
        continue;
      }
      receiptRows.push([p.phone, c.name, 'DELIVRD', fmtDateTime(t + 5_000 + randInt(rng, 60_000))]);
      const base = (variant === 'B' ? 0.16 : 0.06) * hourEffect(hour) * (p.archetype === 'lost' ? 0.4 : 1) * (p.province === REGION_EFFECT.province ? REGION_EFFECT.factor : 1);
      const converts = rng() < base;
      const pv = (byProvince[p.province] ??= { sent: 0, converted: 0 });
      pv.sent++;
      if (converts) pv.converted++;
      // Short-link clicks: most converters click first; B's personal link draws more clicks.
      if (rng() < (converts ? 0.7 : variant === 'B' ? 0.08 : 0.04)) clickRows.push([p.phone, fmtDateTime(t + 60_000 + randInt(rng, 3_600_000)), `https://u.cn/${c.day}${variant}`]);
      if (converts) {
        conv[variant]++;
        // A conversion: an order within the 7-day attribution window.
        const dayOfSend = Math.floor((t - startMs) / DAY);
        placeOrder(p, dayOfSend + randInt(rng, 6), pick(rng, ['小程序', '门店']));
      }
      const rr = rng();
      if (rr < 0.012) {
        unsubscribers.add(p.phone);
        replyRows.push([p.phone, fmtDateTime(t + randInt(rng, 7_200_000)), pick(rng, ['退订', 'TD', 'T', 'td', 'ＴＤ', '请帮我退订', 'STOP'])]);
      } else if (rr < 0.03) {
        replyRows.push([p.phone, fmtDateTime(t + randInt(rng, 7_200_000)), pick(rng, ['好的', '谢谢', '收到', '活动到什么时候？', '有优惠券吗', '不需要', '已购买，谢谢', '太贵了', '1'])]);
      }
    }
    campaignTruth.push({ name: c.name, winner: 'B', conversionA: conv.A / Math.max(1, sent.A), conversionB: conv.B / Math.max(1, sent.B) });
  }
  // Multi-channel journeys (touches.csv), after everything above so the earlier files keep their
  // rows. Touches go to customers who are not buying on their own at the time (prospects, and lost
  // / at-risk customers after their last organic order), so an order after a journey is the
  // journey's doing: 1–3 journeys ≥ 60 days apart; the planted path 短信 → 小程序 leads to an
  // order 1–2 days after its last touch with probability 0.5, any other path with 0.12.
  const touchRows: (string | number | null)[][] = [];
  const journeyTruth: DemoTruth['journeys'] = { touches: 0, plantedPath: PLANTED_PATH, plantedRate: 0.5, otherRate: 0.12, planted: { journeys: 0, converted: 0 }, other: { journeys: 0, converted: 0 } };
  const quietFrom: Partial<Record<Archetype, number>> = { prospect: 0, lost: profile.lost.activeTo + 30, at_risk: profile.at_risk.activeTo + 30 };
  for (const p of people) {
    const q = quietFrom[p.archetype];
    if (q === undefined || rng() < 0.3) continue;
    const from = Math.max(q, Math.ceil((p.registered - startMs) / DAY) + 1);
    const to = 720;
    if (to - from < 15) continue;
    let day = from + randInt(rng, Math.max(1, Math.min(120, to - from - 10)));
    const journeys = 1 + randInt(rng, 3);
    for (let j = 0; j < journeys && day < to; j++) {
      const planted = rng() < 0.2;
      const steps = planted ? PLANTED_PATH : Array.from({ length: 1 + randInt(rng, 3) }, () => pick(rng, TOUCH_CHANNELS));
      if (!planted && steps.join('>') === PLANTED_PATH.join('>')) steps[1] = 'APP';
      const campaign = pick(rng, TOUCH_CAMPAIGNS);
      let t = startMs + day * DAY + (9 + randInt(rng, 13)) * 3_600_000 + randInt(rng, 3_600_000);
      for (const ch of steps) {
        touchRows.push([p.id, p.phone, fmtDateTime(t), ch, ch === '门店' ? '' : campaign]);
        t += randInt(rng, 3) * DAY + (1 + randInt(rng, 6)) * 3_600_000;
      }
      const lastDay = Math.floor((t - startMs) / DAY);
      const stat = planted ? journeyTruth.planted : journeyTruth.other;
      stat.journeys++;
      if (rng() < (planted ? journeyTruth.plantedRate : journeyTruth.otherRate)) {
        stat.converted++;
        placeOrder(p, lastDay + 1 + randInt(rng, 2), steps[steps.length - 1] === '门店' ? '门店' : '小程序');
      }
      day = lastDay + 60 + randInt(rng, 60);
    }
  }
  journeyTruth.touches = touchRows.length;

  // Survey (survey.csv): a post-purchase survey 1–4 days after a paid order whose next 90 days lie
  // in the data. The answer's NPS category depends on whether the customer buys again within 90
  // days (detractors 45 % among those who do not, 15 % among those who do), so detractors churn more.
  const surveyRows: (string | number | null)[][] = [];
  const H = 90 * DAY;
  const surveyTruth: DemoTruth['survey'] = { answers: 0, horizonDays: 90, byCategory: { promoter: { n: 0, churned: 0 }, passive: { n: 0, churned: 0 }, detractor: { n: 0, churned: 0 } } };
  for (const p of people) {
    const times = paidByPhone.get(p.phone);
    if (!times || rng() < 0.5) continue;
    const eligible = times.filter((x) => x + 5 * DAY + H < endMs - 2 * DAY);
    if (!eligible.length) continue;
    const at = pick(rng, eligible) + (1 + randInt(rng, 4)) * DAY + randInt(rng, 10 * 3_600_000);
    const later = times.some((x) => x > at && x <= at + H);
    const r = rng();
    const cat = later ? (r < 0.15 ? 'detractor' : r < 0.45 ? 'passive' : 'promoter') : r < 0.45 ? 'detractor' : r < 0.75 ? 'passive' : 'promoter';
    const score = cat === 'promoter' ? 9 + randInt(rng, 2) : cat === 'passive' ? 7 + randInt(rng, 2) : pick(rng, [0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6]);
    const sat = cat === 'promoter' ? (rng() < 0.7 ? 5 : 4) : cat === 'passive' ? 3 + randInt(rng, 2) : 1 + randInt(rng, 3);
    const comment = rng() < 0.8 ? pick(rng, SURVEY_COMMENTS[cat]) : '';
    surveyRows.push([p.id, p.phone, fmtDateTime(at), score, sat, comment, p.province, pick(rng, ['短信', '小程序', 'APP'])]);
    surveyTruth.byCategory[cat].n++;
    if (!later) surveyTruth.byCategory[cat].churned++;
  }
  surveyTruth.answers = surveyRows.length;

  orderRows.sort((a, b) => (String(a[3]) < String(b[3]) ? -1 : 1));

  const files: DemoFiles['files'] = [
    { name: 'contacts.csv', encoding: 'gb18030', text: toCsv(['客户编号', '姓名', '性别', '手机号码', '邮箱', '生日', '省份', '城市', '注册日期', '注册渠道'], contactRows) },
    { name: 'orders.csv', encoding: 'utf-8', text: toCsv(['订单号', '客户编号', '手机号', '下单时间', '商品编码', '商品名称', '品类', '数量', '单价', '实付金额', '渠道', '省份', '订单状态'], orderRows, '\n') },
    { name: 'sms_sends.csv', encoding: 'gb18030', text: toCsv(['活动名称', '版本', '手机号码', '短信内容', '发送时间', '发送状态', '费用'], sendRows) },
    { name: 'sms_receipts.csv', encoding: 'utf-8', text: toCsv(['手机号码', '活动名称', '状态报告', '回执时间'], receiptRows, '\n') },
    { name: 'sms_replies.csv', encoding: 'utf-8', text: toCsv(['手机号码', '回复时间', '回复内容'], replyRows, '\n') },
    { name: 'sms_clicks.csv', encoding: 'utf-8', text: toCsv(['手机号码', '点击时间', '短链接'], clickRows, '\n') },
    { name: 'touches.csv', encoding: 'utf-8', text: toCsv(['客户编号', '手机号', '触点时间', '渠道', '活动名称'], touchRows, '\n') },
    { name: 'survey.csv', encoding: 'utf-8', text: toCsv(['客户编号', '手机号', '答卷时间', 'NPS评分', 'CSAT满意度', '反馈内容', '省份', '调研渠道'], surveyRows, '\n') },
  ];
  return {
    files,
    truth: {
      seed: opts.seed,
      customers: opts.customers,
      end: fmtDate(endMs),
      duplicateGroups,
      contactsRows: contactRows.length,
      archetypes,
      campaigns: campaignTruth,
      bestSendHour: 20,
      ordersRows: orderRows.length,
      refunds,
      smsSends: sendRows.length,
      unsubscribers: [...unsubscribers].sort(),
      regionEffect: { ...REGION_EFFECT, byProvince },
      journeys: journeyTruth,
      survey: surveyTruth,
    },
  };
}
