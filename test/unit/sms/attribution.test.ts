/**
 * Attribution by definition: each rule on its own (pure function), then a hand-made brand export
 * with planted truth through the real importer and the real `segmint` bin — phones written three
 * ways, orders keyed only by member id or only by phone, 已送达/成功/失败 sends, cancelled,
 * refunded and out-of-window orders — where every count must equal the plan exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { attributeOrders } from '../../../main/analysis/sms/attribution';
import { normalCdf } from '../../../main/kernel/stats';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

const D = 86_400_000;
const H = 3_600_000;

describe('attribution rules', () => {
  const s = [{ key: 'a', time: 0 }, { key: 'a', time: 2 * D }, { key: 'b', time: 0 }];
  const all = [1, 1, 1];
  it('cancelled and pending orders never convert', () => {
    const r = attributeOrders(s, all, [{ key: 'b', time: D, amount: 9, cls: 'cancelled' }, { key: 'b', time: D, amount: 9, cls: 'pending' }]);
    expect([...r.converted]).toEqual([0, 0, 0]);
    expect([...r.revenue]).toEqual([0, 0, 0]);
  });
  it('refunded orders are kept apart (count and revenue), never conversions', () => {
    const r = attributeOrders(s, all, [{ key: 'b', time: D, amount: 30, cls: 'refunded' }, { key: 'b', time: D + H, amount: 5, cls: 'refunded' }]);
    expect([...r.converted]).toEqual([0, 0, 0]);
    expect([...r.refunded]).toEqual([0, 0, 2]);
    expect([...r.refundedRevenue]).toEqual([0, 0, 35]);
  });
  it('a send counts once as converted; each order credits one send', () => {
    const r = attributeOrders(s, all, [{ key: 'b', time: D, amount: 10, cls: 'valid' }, { key: 'b', time: 2 * D, amount: 20, cls: 'valid' }]);
    expect([...r.converted]).toEqual([0, 0, 1]);
    expect([...r.orders]).toEqual([0, 0, 2]);
    expect([...r.revenue]).toEqual([0, 0, 30]);
  });
  it('the latest delivered send before the order wins; an undelivered later send does not', () => {
    const o = [{ key: 'a', time: 3 * D, amount: 7, cls: 'valid' as const }];
    expect([...attributeOrders(s, all, o).converted]).toEqual([0, 1, 0]);
    expect([...attributeOrders(s, [1, 0, 1], o).converted]).toEqual([1, 0, 0]);
    expect([...attributeOrders(s, [0, 0, 1], o).converted]).toEqual([0, 0, 0]);
  });
  it('window is (send, send + w]: not at the send instant, yes at exactly w, no after', () => {
    const one = [{ key: 'x', time: 10 * D }];
    const at = (t: number) => attributeOrders(one, [1], [{ key: 'x', time: t, amount: 1, cls: 'valid' }], 7 * D).converted[0];
    expect([at(10 * D), at(10 * D + 1), at(17 * D), at(17 * D + 1), at(9 * D)]).toEqual([0, 1, 1, 0, 0]);
  });
});

// ---- a hand-made brand export with planted truth, through the real bin ----
let t: ReturnType<typeof tempDir>;
let ws: string;
const cli = segmintIn(() => t.dir, { extraArgs: ['--lang', 'en'] });

/** Deterministic uniform numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const pad = (n: number) => String(n).padStart(2, '0');
const fmt = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

type Cell = { n: number; x: number };
const truth = new Map<string, { sent: number; delivered: number; converted: number; revenue: number; refunded: number; refundedRevenue: number; cost: number; unsubscribed: number }>();
const cells = new Map<string, Cell>();
const PLANTED_BEST = { weekday: 3, hour: 20 };

function plant(dir: string) {
  const r = rng(7);
  const N = 1200;
  const MONDAY = Date.UTC(2026, 2, 2); // 2026-03-02 is a Monday
  const contacts: string[] = [];
  const sends: string[] = [];
  const orders: string[] = [];
  const replies: string[] = [];
  let orderNo = 0;
  const order = (member: string, phone: string, ms: number, amount: number, status: string) => orders.push(`O${++orderNo},${member},${phone},${fmt(ms)},${amount},${status}`);
  for (let i = 0; i < N; i++) {
    const member = `M${String(i).padStart(5, '0')}`;
    const digits = `1390${String(i).padStart(7, '0')}`;
    contacts.push(`${member},${digits}`);
    const campaign = i % 2 ? '春季上新' : '会员日';
    const variant = (i >> 1) % 2 ? 'B' : 'A';
    const weekday = [1, 3][(i >> 2) % 2]!;
    const hour = [10, 20][(i >> 3) % 2]!;
    const send = MONDAY + (weekday + 7 * (i % 3)) * D + hour * H + (i % 50) * 1000;
    const status = i % 10 === 9 ? '失败' : i % 10 === 8 ? '成功' : '已送达'; // 成功 = accepted, no receipt: not delivered
    const cost = 0.05;
    // The send's phone in three spellings.
    const sendPhone = i % 3 === 0 ? `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : i % 3 === 1 ? `86${digits}` : digits;
    sends.push(`${campaign},${variant},${sendPhone},【店】新品到了 回T退订,${fmt(send)},${status},${cost}`);
    // Orders keyed by member id only, by a phone written otherwise only, or both.
    const oMember = i % 3 === 0 ? member : i % 3 === 1 ? '' : member;
    const oPhone = i % 3 === 0 ? '' : i % 3 === 1 ? `(+86)${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}` : digits;
    const p = (weekday === PLANTED_BEST.weekday && hour === PLANTED_BEST.hour ? 0.45 : 0.12) + (variant === 'B' ? 0.1 : 0);
    const buys = r() < p;
    const amount = 50 + Math.floor(r() * 200);
    const k = `${campaign}|${variant}`;
    const tr = truth.get(k) ?? { sent: 0, delivered: 0, converted: 0, revenue: 0, refunded: 0, refundedRevenue: 0, cost: 0, unsubscribed: 0 };
    truth.set(k, tr);
    tr.sent++;
    tr.cost += cost;
    const delivered = status === '已送达';
    if (delivered) tr.delivered++;
    if (buys) {
      order(oMember, oPhone, send + D + 3 * H, amount, '已完成');
      if (i % 7 === 0) order(oMember, oPhone, send + 2 * D, 30, '已发货'); // a second order: the send still converts once
      if (delivered) {
        tr.converted++;
        tr.revenue += amount + (i % 7 === 0 ? 30 : 0);
      }
    }
    if (delivered) {
      const c = cells.get(`${weekday}|${hour}`) ?? { n: 0, x: 0 };
      cells.set(`${weekday}|${hour}`, c);
      c.n++;
      if (buys) c.x++;
    }
    // Traps: a cancelled order inside the window, an order outside it, an order at the send instant.
    if (i % 5 === 1) order(oMember, oPhone, send + 2 * H, 99, '已取消');
    if (i % 11 === 4) order(oMember, oPhone, send + 7 * D + 60_000, 77, '已完成');
    if (i % 13 === 6 && !buys) order(oMember, oPhone, send - (i % 3 === 0 ? 0 : 0), 66, '已完成');
    // Replies from the number written yet another way: an opt-out two hours later, or a thank-you.
    const replyPhone = [`86${digits}`, digits, `+86${digits}`][i % 3]!;
    if (i % 19 === 2) {
      replies.push(`${replyPhone},${fmt(send + 2 * H)},TD`);
      tr.unsubscribed++;
    } else if (i % 23 === 5) replies.push(`${replyPhone},${fmt(send + 2 * H)},谢谢`);
    // Refunded orders inside the window: shown apart.
    if (i % 17 === 3) {
      order(oMember, oPhone, send + 4 * H, 120, '已退款');
      if (delivered) {
        tr.refunded++;
        tr.refundedRevenue += 120;
      }
    }
  }
  const write = (name: string, header: string, rows: string[]) => {
    const f = path.join(dir, name);
    writeFileSync(f, [header, ...rows].join('\n') + '\n');
    return f;
  };
  return {
    contacts: write('contacts.csv', '客户编号,手机号码', contacts),
    sends: write('sms_sends.csv', '活动名称,版本,手机号码,短信内容,发送时间,发送状态,费用', sends),
    orders: write('orders.csv', '订单号,客户编号,手机号,下单时间,实付金额,订单状态', orders),
    replies: write('sms_replies.csv', '手机号码,回复时间,回复内容', replies),
  };
}

beforeAll(() => {
  t = tempDir();
  const files = plant(t.dir);
  ws = path.join(t.dir, 'brand.segmint');
  cli.json(['workspace', 'create', ws]);
  cli.json(['import', files.contacts, '--name', 'contacts', '--workspace', ws]);
  cli.json(['import', files.sends, '--name', 'sends', '--workspace', ws]);
  cli.json(['import', files.orders, '--name', 'orders', '--workspace', ws]);
  cli.json(['import', files.replies, '--name', 'replies', '--workspace', ws]);
}, 180_000);
afterAll(() => t.cleanup());

describe('segmint sms report on a planted brand export', () => {
  it('equals the planted truth per campaign and variant; A/B p and the best cell equal a direct computation', () => {
    const r = cli.json(['sms', 'report', '--sends', 'sends', '--orders', 'orders', '--replies', 'replies', '--window', '7d', '--workspace', ws]);
    for (const c of r.campaigns) {
      const variants = c.variants.map((v: { variant: string }) => v.variant);
      expect(variants).toEqual(['A', 'B']);
      let refunded = 0;
      let refundedRevenue = 0;
      let revenue = 0;
      let cost = 0;
      let unsubscribed = 0;
      for (const v of c.variants) {
        const tr = truth.get(`${c.campaign}|${v.variant}`)!;
        expect({ sent: v.sent, delivered: v.delivered, converted: v.converted }, `${c.campaign} ${v.variant}`).toEqual({ sent: tr.sent, delivered: tr.delivered, converted: tr.converted });
        expect(v.rate).toBe(tr.converted / tr.delivered);
        refunded += tr.refunded;
        refundedRevenue += tr.refundedRevenue;
        revenue += tr.revenue;
        cost += tr.cost;
        unsubscribed += tr.unsubscribed;
      }
      expect(c.unsubscribed).toBe(unsubscribed);
      expect(c.revenue).toBe(Math.round(revenue * 100) / 100);
      expect(c.refunded).toBe(refunded);
      expect(c.refundedRevenue).toBe(refundedRevenue);
      expect(c.cost).toBe(Math.round(cost * 100) / 100);
      // A/B on delivered denominators, pooled two-proportion z computed here from the plan.
      const [a, b] = ['A', 'B'].map((v) => truth.get(`${c.campaign}|${v}`)!);
      const pool = (a!.converted + b!.converted) / (a!.delivered + b!.delivered);
      const z = (b!.converted / b!.delivered - a!.converted / a!.delivered) / Math.sqrt(pool * (1 - pool) * (1 / a!.delivered + 1 / b!.delivered));
      const test = c.abTest.tests[0];
      expect(test.z).toBeCloseTo(z, 12);
      expect(test.p).toBeCloseTo(2 * (1 - normalCdf(Math.abs(z))), 12);
      expect(test.pHolm).toBe(test.p); // one comparison
      expect(test.verdictEn).toMatch(test.p < 0.05 ? /B converts .* better/ : /not significant/);
    }
    // Best cell: highest Wilson lower bound over the planted delivered counts.
    const zq = 1.959963984540054;
    const lower = ({ n, x }: Cell) => {
      const p = x / n;
      return (p + (zq * zq) / (2 * n) - zq * Math.sqrt((p * (1 - p)) / n + (zq * zq) / (4 * n * n))) / (1 + (zq * zq) / n);
    };
    const best = [...cells].sort((u, v) => lower(v[1]) - lower(u[1]))[0]!;
    expect(best[0]).toBe(`${PLANTED_BEST.weekday}|${PLANTED_BEST.hour}`);
    expect(r.bestCell).toMatchObject({ ...PLANTED_BEST, n: best[1].n, x: best[1].x });
    expect(r.bestCell.recommendationEn).toMatch(/^Send on Thursday at 20:00/);
    expect(r.bestCell.recommendationZh).toMatch(/^建议在周四 20:00/);
    // The grid has every planted cell with its delivered counts; the length section and definitions come along.
    for (const [k, c] of cells) {
      const [w, h] = k.split('|').map(Number);
      expect(r.grid.find((g: { weekday: number; hour: number }) => g.weekday === w && g.hour === h)).toMatchObject({ n: c.n, x: c.x });
    }
    expect(r.grid).toHaveLength(cells.size);
    expect(r.length.map((l: { campaign: string; encoding: string }) => [l.campaign, l.encoding])).toEqual(r.campaigns.map((c: { campaign: string }) => [c.campaign, 'UCS-2']));
    expect(r.definitions).toMatchObject({ windowDays: 7 });
    expect(r.definitions.attributionEn).toMatch(/delivered/);
    const smsDef = r.definitions.statuses.find((s: { kind: string }) => s.kind === 'sms');
    expect(smsDef.classes).toMatchObject({ delivered: ['已送达'], accepted: ['成功'], failed: ['失败'] });
  });
});
