/**
 * Every analysis on the linked, status-aware customer model, on a generated brand with planted
 * truth: people with a second member id, phones written five ways, order lines keyed only by a
 * phone or by a duplicate's id, parent and child sharing one phone, and 已完成/已取消/已退款/待付款
 * statuses. Six planted segments with their own recency, frequency and order value.
 * RFM must equal the planted R/F/M per person, k-means k=6 must recover the segments, lifecycle
 * and geography must count every valid order line of a linked customer, and a status remap must
 * change the numbers after recompute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';
import { createRng, randInt, type Rng } from '../../../main/kernel/random';
import { ari } from '../../helpers/ari';
import { MESSY_SEGMENTS } from '../../../main/demo/messy/brand';

const DAY = 86_400_000;
const AS_OF = '2024-06-30';
const asOfMs = Date.parse(AS_OF + 'T00:00:00Z');
const PROVINCES = ['广东', '浙江', '北京', '四川', '江苏', '山东'];
// recency days, orders, amount per order (ranges): the messy-brand generator's six segments, far apart on log scales
const SEGMENTS = MESSY_SEGMENTS;

interface Person { id: string; dupId: string | null; name: string; birthday: string; phone: string; province: string; segment: number; orders: number; valid: { days: Set<string>; money: number; last: number; count: number }; family: boolean }

const pick = <T,>(rng: Rng, a: readonly T[]) => a[randInt(rng, a.length)]!;
const between = (rng: Rng, [lo, hi]: [number, number]) => lo + randInt(rng, hi - lo + 1);
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const phoneForms = (p: string) => [p, `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`, `0086${p}`, `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`, fullWidth(p)];

function generate(seed: number, n: number) {
  const rng = createRng(seed);
  const people: Person[] = [];
  const crm: string[] = ['会员号,姓名,手机号,生日,省份,注册时间'];
  const orders: string[] = ['订单号,会员号,手机号,下单时间,实付金额,状态'];
  let orderNo = 0;
  for (let i = 0; i < n; i++) {
    const family = i % 20 === 19; // the child of person i-1: another id, name and birthday, the same phone
    const parent = family ? people[i - 1]! : null;
    const p: Person = {
      id: `M${String(10000 + i)}`,
      dupId: !family && i % 10 === 3 ? `M${String(90000 + i)}` : null,
      name: `客户${i}`,
      birthday: `${(family ? 2000 : 1960) + randInt(rng, family ? 10 : 40)}-0${1 + randInt(rng, 9)}-1${randInt(rng, 9)}`,
      phone: parent ? parent.phone : `13${5 + randInt(rng, 4)}${String(10_000_000 + i * 7919).slice(-8)}`,
      province: pick(rng, PROVINCES),
      segment: randInt(rng, SEGMENTS.length),
      orders: 0,
      valid: { days: new Set(), money: 0, last: -Infinity, count: 0 },
      family,
    };
    people.push(p);
    crm.push([p.id, p.name, p.phone, p.birthday, p.province, '2020-01-0' + (1 + (i % 9))].join(','));
    if (p.dupId) crm.push([p.dupId, p.name, pick(rng, phoneForms(p.phone).slice(1)), p.birthday, p.province, '2022-05-01'].join(','));
    const seg = SEGMENTS[p.segment]!;
    const f = between(rng, seg.f);
    const lastDay = between(rng, seg.r);
    // valid orders on distinct days: the last one `lastDay` days before the as-of date
    const days = new Set<number>([lastDay]);
    while (days.size < f) days.add(lastDay + 1 + randInt(rng, 400));
    const lines: { day: number; amount: number; status: string }[] = [...days].map((d) => ({ day: d, amount: between(rng, seg.m), status: '已完成' }));
    // noise that must not count: cancelled, refunded, pending lines (never newer than the last valid one)
    for (let k = 0; k < 1 + randInt(rng, 2); k++) lines.push({ day: lastDay + randInt(rng, 200), amount: between(rng, seg.m), status: pick(rng, ['已取消', '已退款', '待付款']) });
    for (const l of lines) {
      const time = new Date(asOfMs - l.day * DAY + 36_000_000).toISOString().slice(0, 19).replace('T', ' ');
      // how the line is keyed: own id, the duplicate's id, or only a phone written some way
      const how = p.family ? 'id' : rng() < 0.45 ? 'id' : p.dupId && rng() < 0.4 ? 'dup' : 'phone';
      const id = how === 'id' ? p.id : how === 'dup' ? p.dupId! : '';
      const phone = how === 'phone' ? pick(rng, phoneForms(p.phone)) : how === 'id' && !p.family && i % 20 === 18 ? p.phone : '';
      orders.push([`SO${++orderNo}`, id, phone, time, l.amount, l.status].join(','));
      p.orders++;
      if (l.status === '已完成') {
        p.valid.count++;
        p.valid.money += l.amount;
        p.valid.last = Math.max(p.valid.last, asOfMs - l.day * DAY);
      }
    }
    // parents of a family also buy with id + the shared phone, so phone-only lines resolve to them
    if (i % 20 === 18) {
      const time = new Date(asOfMs - lastDay * DAY + 36_000_000).toISOString().slice(0, 19).replace('T', ' ');
      orders.push([`SO${++orderNo}`, p.id, p.phone, time, 0, '已取消'].join(','));
      p.orders++;
    }
  }
  return { people, crm: crm.join('\n') + '\n', orders: orders.join('\n') + '\n', orderLines: orderNo };
}

let app: TestApp;
let g: ReturnType<typeof generate>;
let orders: string;
let crm: string;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'planted' });
  g = generate(7, 1200);
  writeFileSync(path.join(app.dir, 'crm.csv'), g.crm);
  writeFileSync(path.join(app.dir, 'orders.csv'), g.orders);
  crm = await importFile(app, path.join(app.dir, 'crm.csv'), 'CRM');
  orders = await importFile(app, path.join(app.dir, 'orders.csv'), '订单');
}, 120_000);
afterAll(() => app.close());

const personOf = () => {
  const m = new Map<string, Person>();
  for (const p of g.people) {
    m.set(p.id, p);
    if (p.dupId) m.set(p.dupId, p);
  }
  return m;
};

describe('analyses on the linked, status-aware customer model (planted brand)', () => {
  it('RFM per customer equals the planted recency, frequency and monetary value', async () => {
    const r = await runJob<{ datasetId: string; customers: number; definitions: { statuses: { classes: Record<string, string[]> }[] } }>(app, app.call('segments/rfm', { datasetId: orders, asOf: AS_OF }));
    expect(r.definitions.statuses[0]!.classes).toMatchObject({ valid: ['已完成'], cancelled: ['已取消'], refunded: ['已退款'], pending: ['待付款'] });
    const rows = app.ctx.requireSession().db.prepare(`SELECT customer_id, member_id, phone, recency, frequency, monetary FROM ${r.datasetId}`).all() as { customer_id: string; member_id: string; phone: string; recency: number; frequency: number; monetary: number }[];
    const who = personOf();
    const buyers = g.people.filter((p) => p.valid.count > 0);
    expect(rows).toHaveLength(buyers.length);
    let equal = 0;
    for (const row of rows) {
      const p = who.get(row.member_id)!;
      if (row.recency === Math.round((asOfMs - Math.floor(p.valid.last / DAY) * DAY) / DAY) && row.frequency === p.valid.count && Math.abs(row.monetary - p.valid.money) < 0.005 && row.phone === '+86' + p.phone) equal++;
    }
    expect(equal / buyers.length).toBeGreaterThanOrEqual(0.99);
    expect(equal).toBe(buyers.length);
  });

  it('k-means k=6 on the RFM features recovers the planted segments (ARI ≥ 0.9)', async () => {
    const r = await runJob<{ datasetId: string }>(app, app.call('segments/rfm', { datasetId: orders, asOf: AS_OF, name: 'rfm for kmeans' }));
    const k = await runJob<{ datasetId: string }>(app, app.call('segments/kmeans', { datasetId: r.datasetId, features: ['recency', 'frequency', 'monetary'], k: 6, seed: 1 }));
    const rows = app.ctx.requireSession().db.prepare(`SELECT member_id, cluster FROM ${k.datasetId}`).all() as { member_id: string; cluster: string }[];
    const who = personOf();
    const score = ari(rows.map((x) => String(who.get(x.member_id)!.segment)), rows.map((x) => x.cluster));
    expect(score).toBeGreaterThanOrEqual(0.9);
  });

  it('lifecycle and geography count every valid order line of a linked customer', async () => {
    const lc = await app.call('insights/lifecycle', { datasetId: orders, asOf: AS_OF, months: 6 });
    const buyers = g.people.filter((p) => p.valid.count > 0).length;
    expect(lc.customers).toBe(buyers);
    const validLines = g.people.reduce((s, p) => s + p.valid.count, 0);
    expect(lc.skippedRows).toBe(g.orderLines - validLines);
    const geo = await app.call('insights/geo', { datasetId: crm, measure: 'revenue', orders, by: 'province', windowDays: 7, minCount: 1 });
    const byProvince = new Map<string, number>();
    for (const p of g.people) byProvince.set(p.province, (byProvince.get(p.province) ?? 0) + p.valid.money);
    expect(geo.unknown).toBe(0);
    for (const [prov, money] of byProvince) expect(geo.rows.find((x) => x.mapName === prov)!.value, prov).toBeCloseTo(money, 2);
    const people = await app.call('insights/geo', { datasetId: crm, measure: 'customers', by: 'province', windowDays: 7, minCount: 1 });
    expect(people.rows.reduce((s, x) => s + x.value, 0)).toBe(g.people.length); // duplicates once, parent and child twice
  });

  it('changing a status mapping changes the numbers after recompute, and the audit log records it', async () => {
    const before = await app.call('dashboard/summary', { datasetId: orders, from: '2023-01-01', to: AS_OF });
    const pending = g.orders.split('\n').filter((l) => l.endsWith(',待付款') && l.split(',')[3]! >= '2023-01-01').map((l) => Number(l.split(',')[4]));
    await app.call('definitions/set', { datasetId: orders, set: { 待付款: 'valid' } });
    const after = await app.call('dashboard/summary', { datasetId: orders, from: '2023-01-01', to: AS_OF });
    expect(after.kpis.revenue).toBeCloseTo(before.kpis.revenue + pending.reduce((s, x) => s + x, 0), 2);
    expect(after.kpis.orders).toBe(before.kpis.orders + pending.length);
    const r = await runJob<{ customers: number; rowsUsed: number }>(app, app.call('segments/rfm', { datasetId: orders, asOf: AS_OF, name: 'rfm after remap' }));
    const validLines = g.people.reduce((s, p) => s + p.valid.count, 0);
    expect(r.rowsUsed).toBe(validLines + g.orders.split('\n').filter((l) => l.endsWith(',待付款')).length);
    // results made under the old definitions are marked for recompute; the new one is current
    const list = await app.call('segments/list', {});
    expect(list.find((s) => s.name === 'rfm for kmeans')!.stale).toBe(true);
    expect(list.find((s) => s.name === 'rfm after remap')!.stale).toBe(false);
    const audit = await app.call('audit/list', { limit: 5, offset: 0, action: 'definitions.changed' });
    expect(audit.entries[0]!.details).toMatchObject({ datasetId: orders, set: { 待付款: 'valid' } });
    await app.call('definitions/set', { datasetId: orders, set: { 待付款: 'auto' } });
  });
});
