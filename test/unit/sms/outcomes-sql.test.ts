/**
 * The campaign outcomes worked out in SQL (services/sms/outcomes.ts) against the in-memory reference
 * (`sendOutcomesInMemory`, the attribution functions of analysis/sms), send by send, on a generated
 * send log built to trip an attribution: two sends to one person in the same second, phones written
 * three ways and orders keyed by member id only, receipts both failed and delivered for one send and
 * others outside their 3 days, orders at the send's instant (no), exactly at the window's end (yes)
 * and a second after (no), refunds written as negative lines, zero and cancelled lines, replies that
 * unsubscribe. The same files are then imported with the sends, receipts, clicks and orders in DuckDB,
 * and the outcomes must be the same again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, testApp, type TestApp } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { sendOutcomesInMemory } from '../../../main/services/sms/report';
import { withSendOutcomes, type SmsSources } from '../../../main/services/sms/outcomes';
import { createRng } from '../../../main/kernel/random';

const D = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const fmt = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const csv = (header: string[], rows: unknown[][]) => '\uFEFF' + [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';

/** What was planted on purpose, counted as it was written. */
const planted = { sameSecond: 0, atSendInstant: 0, atWindowEnd: 0, pastWindowEnd: 0, bothReceipts: 0, unsubReplies: 0, unkeyed: 0, sends: 0 };

/** Message texts of every length class: GSM-7 in one part and in several (extension characters cost two), UCS-2 in one and two parts, an emoji, one per person, none. */
const TEXTS: ((p: number) => string)[] = [
  () => 'Sale today only. Reply T to stop',
  () => '【优品】会员日专享满299减50，回T退订',
  () => '【优品】亲爱的会员，母亲节感恩回馈活动今日正式开启，全场满299减50，满599减120，会员积分双倍，还有限量礼盒等你来领，详情请打开小程序首页查看，回T退订',
  () => '【优品】新品上市🎉 会员专享，回T退订',
  (p) => `【优品】客户${p}您好，您的积分即将到期，回T退订`,
  () => 'Big {sale} for [members] only: ~20% off | '.repeat(5) + 'Reply T to stop',
  () => '',
];

function writeLog(dir: string): void {
  const rnd = createRng(2026);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const START = Date.UTC(2026, 4, 4, 9); // a Monday
  const sends: unknown[][] = [];
  const receipts: unknown[][] = [];
  const clicks: unknown[][] = [];
  const replies: unknown[][] = [];
  const orders: unknown[][] = [];
  const crm: unknown[][] = [];
  let order = 0;
  // 240 members, then 30 people known only by their phone (their customer key is SCV-<phone>, 18 characters)
  for (let p = 0; p < 270; p++) {
    const digits = `139${String(10_000_000 + p * 7919).slice(-8)}`;
    const ways = [digits, `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, `+86-${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`];
    const member = p < 240 ? `M${300000 + p}` : '';
    if (member) crm.push([member, `客户${p}`, digits]);
    const times: number[] = [];
    const n = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) {
      const t = START + Math.floor(rnd() * 20) * D + Math.floor(rnd() * 12) * 3_600_000;
      times.push(t);
      sends.push([pick(['母亲节', '会员日', '新品']), pick(['A', 'B']), pick(ways), fmt(t), pick(['成功', '成功', '失败', '已送达']), pick(['0.05', '0.10']), TEXTS[(p + k) % TEXTS.length]!(p)]);
      // a second send in the same second (another campaign): the later row takes what follows
      if (rnd() < 0.15) {
        sends.push(['加推', pick(['A', 'B']), pick(ways), fmt(t), '成功', '0.05', '']);
        planted.sameSecond++;
      }
      const r = rnd();
      if (r < 0.6) receipts.push([pick(ways), fmt(t + Math.floor(rnd() * 4 * D)), pick(['DELIVRD', 'DELIVRD', 'UNDELIV'])]);
      else if (r < 0.7) {
        receipts.push([pick(ways), fmt(t), 'UNDELIV'], [pick(ways), fmt(t + 60_000), 'DELIVRD']);
        planted.bothReceipts++;
      }
      if (rnd() < 0.4) clicks.push([pick(ways), fmt(t + Math.floor(rnd() * 4 * D))]);
      if (rnd() < 0.15) {
        const unsub = rnd() < 0.5;
        replies.push([pick(ways), fmt(t + Math.floor(rnd() * 4 * D)), unsub ? pick(['退订', 'TD', '别再发了 退订']) : pick(['好的', '谢谢', '多少钱'])]);
        if (unsub) planted.unsubReplies++;
      }
    }
    // orders keyed by the member id (no phone) or by a phone written another way
    const m = Math.floor(rnd() * 5);
    for (let k = 0; k < m; k++) {
      const base = pick(times);
      const c = rnd();
      let at = base + 1 + Math.floor(rnd() * 9 * D);
      if (c < 0.1) (at = base), planted.atSendInstant++;
      else if (c < 0.2) (at = base + 7 * D), planted.atWindowEnd++;
      else if (c < 0.3) (at = base + 7 * D + 1000), planted.pastWindowEnd++;
      const status = pick(['已完成', '已完成', '已完成', '已取消', '已退款', '待付款']);
      const amount = status === '已退款' && rnd() < 0.5 ? `-${(20 + Math.floor(rnd() * 300)).toFixed(2)}` : rnd() < 0.05 ? '0' : (20 + Math.floor(rnd() * 300) + 0.5).toFixed(2);
      const byMember = rnd() < 0.5;
      orders.push([`SO${700000 + order++}`, byMember ? member : '', byMember ? '' : pick(ways), fmt(at), amount, status]);
    }
  }
  // sends and clicks with no phone at all: no customer, so no click is theirs (one unkeyed 'customer' would take them all)
  for (let k = 0; k < 6; k++) {
    const t = START + k * D + 5 * 3_600_000;
    sends.push(['会员日', 'A', '', fmt(t), '已送达', '0.05', TEXTS[0]!(k)]);
    clicks.push(['', fmt(t + 60_000)]);
    planted.unkeyed++;
  }
  planted.sends = sends.length;
  writeFileSync(path.join(dir, 'crm.csv'), csv(['会员号', '姓名', '手机号'], crm));
  writeFileSync(path.join(dir, 'sends.csv'), csv(['活动名称', '版本', '手机号码', '发送时间', '发送状态', '费用', '短信内容'], sends));
  writeFileSync(path.join(dir, 'receipts.csv'), csv(['手机号码', '回执时间', '状态报告'], receipts));
  writeFileSync(path.join(dir, 'clicks.csv'), csv(['手机号码', '点击时间'], clicks));
  writeFileSync(path.join(dir, 'replies.csv'), csv(['手机号码', '回复时间', '回复内容'], replies));
  writeFileSync(path.join(dir, 'orders.csv'), csv(['订单号', '会员号', '手机号', '下单时间', '实付金额', '状态'], orders));
}

let t: ReturnType<typeof tempDir>;
const apps: { name: string; app: TestApp; ids: Record<string, string> }[] = [];

beforeAll(async () => {
  t = tempDir();
  writeLog(t.dir);
  const cli = segmintIn(() => t.dir);
  for (const engine of ['sqlite', 'duckdb'] as const) {
    const ws = path.join(t.dir, `${engine}.segmint`);
    cli.json(['workspace', 'create', ws]);
    for (const f of ['crm', 'sends', 'receipts', 'clicks', 'replies', 'orders']) {
      // replies stay in the workspace (DuckDB refuses a replies dataset)
      const inDuck = engine === 'duckdb' && f !== 'crm' && f !== 'replies';
      cli.json(['import', path.join(t.dir, `${f}.csv`), '--name', f, ...(inDuck ? ['--engine', 'duckdb'] : []), '--workspace', ws]);
    }
    const app = testApp();
    await app.call('workspace/open', { path: ws });
    const ids: Record<string, string> = {};
    for (const d of await app.call('datasets/list', {})) ids[d.name] = d.id;
    apps.push({ name: engine, app, ids });
  }
}, 240_000);

afterAll(() => t?.cleanup());

const COLUMNS = 'row, status, replied, clicked, unsub, converted, revenue, orders, refunded, refunded_revenue';

describe('SMS outcomes in SQL', () => {
  it('the log has its traps', () => {
    for (const v of Object.values(planted)) expect(v).toBeGreaterThan(5);
  });

  for (const engine of ['sqlite', 'duckdb'] as const) {
    it(`equal the in-memory attribution send by send (${engine})`, async () => {
      const { app, ids } = apps.find((x) => x.name === engine)!;
      const db = app.ctx.requireSession().db;
      const a: SmsSources = { sends: ids.sends!, receipts: ids.receipts!, clicks: ids.clicks!, replies: ids.replies!, orders: ids.orders!, windowDays: 7 };
      const ref = await sendOutcomesInMemory(db, a);
      const { rows, unsubscribed, where } = await withSendOutcomes(db, a, async (o) => ({ rows: await o.all(`SELECT ${COLUMNS} FROM sms_sends ORDER BY row`), unsubscribed: o.unsubscribed, where: o.engine }));
      expect(where).toBe(engine);
      const expected = ref.sends.map((s, i) => [s.row, s.status, ref.replied[i], ref.clicked[i], ref.unsub[i], ref.conv.converted[i], ref.conv.revenue[i], ref.conv.orders[i], ref.conv.refunded[i], ref.conv.refundedRevenue[i]]);
      expect(rows.length).toBe(expected.length);
      expect(rows).toEqual(expected);
      expect(unsubscribed).toBe(ref.unsubscribed);
      // the sends with no phone reach no customer and are not among them (nor are the clicks with no phone anybody's)
      expect(rows.length).toBe(planted.sends - planted.unkeyed);
      if (engine === 'duckdb') {
        // the log, receipts, clicks and orders are in DuckDB and the replies in the workspace: the attribution ran in
        // DuckDB (an ASOF join); in the workspace's temporary tables instead it is the same send by send
        const inWorkspace = await withSendOutcomes(db, a, async (o) => ({ rows: await o.all(`SELECT ${COLUMNS} FROM sms_sends ORDER BY row`), where: o.engine }), { inWorkspace: true });
        expect(inWorkspace).toEqual({ rows, where: 'sqlite' });
      }
      // the traps were reached: sends delivered by a receipt, conversions, refunds and unsubscribes
      const sum = (j: number) => rows.reduce((u, r) => u + Number(r[j]), 0);
      expect(rows.filter((r) => r[1] === 'delivered').length).toBeGreaterThan(50);
      expect([sum(2), sum(3), sum(4), sum(5), sum(8)].every((v) => v > 3)).toBe(true);
    });
  }

  it('each send\'s customer key, phone and message length are the same with the log in DuckDB (long texts come in halves)', async () => {
    const read = async (x: (typeof apps)[number], distinctTexts?: number) => {
      const a: SmsSources = { sends: x.ids.sends!, receipts: x.ids.receipts!, clicks: x.ids.clicks!, replies: x.ids.replies!, orders: x.ids.orders!, windowDays: 7 };
      return withSendOutcomes(x.app.ctx.requireSession().db, a, async (o) => {
        // past the limit of distinct texts a DuckDB log's texts stream into the workspace (their lengths are JavaScript's)
        expect(o.engine).toBe(x.name === 'duckdb' && distinctTexts !== 0 ? 'duckdb' : 'sqlite');
        return o.all('SELECT row, key, phone, length, ts, clicked FROM sms_sends ORDER BY row');
      }, { phones: true, lengths: true, distinctTexts });
    };
    const [s, d] = [await read(apps[0]!), await read(apps[1]!)];
    expect(s.filter((r) => String(r[1]).startsWith('SCV-') && String(r[1]).length > 12).length).toBeGreaterThan(20);
    expect(s.filter((r) => String(r[2]).length > 12).length).toBe(s.length);
    expect(new Set(s.map((r) => r[3])).size).toBeGreaterThan(1); // several lengths and encodings
    expect(d).toEqual(s);
    // the DuckDB log's distinct texts are counted once and joined there; past the limit every text streams in: the same
    expect(await read(apps[1]!, 0)).toEqual(s);
  });

  it('the report, a monitor and response by province are the same with the log in DuckDB', async () => {
    const [s, d] = apps;
    const args = (ids: Record<string, string>) => ({ sends: ids.sends!, receipts: ids.receipts!, clicks: ids.clicks!, replies: ids.replies!, orders: ids.orders!, windowDays: 7, minCount: 5 });
    const ra = await s!.app.call('sms/report', args(s!.ids));
    const rb = await d!.app.call('sms/report', args(d!.ids));
    const strip = (r: typeof ra) => JSON.parse(JSON.stringify(r).replace(/"ds_\d+"/g, '"ds"'));
    expect(strip(rb)).toEqual(strip(ra));
    // two reports asked at once (the log streams in from DuckDB over awaits) each get the whole report
    const twice = await Promise.all([d!.app.call('sms/report', args(d!.ids)), d!.app.call('sms/report', args(d!.ids))]);
    for (const r of twice) expect(strip(r)).toEqual(strip(ra));
    expect(ra.totals.converted).toBeGreaterThan(10);
    expect(ra.totals.unsubscribed).toBe(planted.unsubReplies);
    const mon = async (x: (typeof apps)[number]) => (await x.app.call('sms/monitor/save', { name: 'm', sends: x.ids.sends!, receipts: x.ids.receipts!, clicks: x.ids.clicks!, replies: x.ids.replies!, thresholds: {} })).trend.map((b) => b.kpis);
    const [ma, mb] = [await mon(s!), await mon(d!)];
    expect(ma[0]!.sent).toBe(ra.totals.sent);
    expect(mb).toEqual(ma);
    const geo = (x: (typeof apps)[number]) => x.app.call('insights/geo', { datasetId: x.ids.crm!, measure: 'response', by: 'province', sends: x.ids.sends!, receipts: x.ids.receipts!, orders: x.ids.orders! });
    const [ga, gb] = [await geo(s!), await geo(d!)];
    expect(ga.rows.reduce((u, r) => u + (r.sent ?? 0), 0)).toBe(ra.totals.sent);
    expect(gb).toEqual(ga);
  });
});
