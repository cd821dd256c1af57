/** The identity layer and definitions on a small planted workspace: one person with two member ids and
 *  phones in several formats, a parent and child sharing one phone, phone-only orders, order statuses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, testApp, type TestApp } from '../../helpers/app';
import { phoneIdentityKey, customerKeyed, customerRows, ensureIdentity, identitySources, keyedRows, linkedRows } from '../../../main/services/identity/index';
import { getDataset, tableNames } from '../../../main/services/datasets';
import { classifySql, definitionsInForce, setDefinitions, statusDefinition, statusMapping } from '../../../main/services/definitions/index';
import { inferOrderStatus, inferSmsStatus } from '../../../main/analysis/semantics/status';

const CRM = `会员号,姓名,手机号,生日,注册时间
M001,张三,13800000001,1980-01-01,2020-01-01
M002,张三,+86 138-0000-0001,1980-01-01,2021-01-01
M003,李四,13900000002,1975-05-05,2019-01-01
M004,李小四,13900000002,2005-06-06,2022-01-01
M005,王五,13700000005,1990-03-03,2020-06-01
`;
// planted owner of each order line (the expected customer key)
const ORDERS: [string, string, string, string, number, string, string][] = [
  ['O1', 'M001', '', '2024-01-01', 100, '已完成', 'M001'],
  ['O2', 'M002', '', '2024-01-05', 50, '已完成', 'M001'],
  ['O3', '', '008613800000001', '2024-02-01', 30, '已完成', 'M001'],
  ['O4', '', '13900000002', '2024-02-02', 20, '已完成', 'M004'],
  ['O5', 'M004', '13900000002', '2024-02-03', 10, '已完成', 'M004'],
  ['O6', 'M004', '139 0000 0002', '2024-02-04', 10, '已取消', 'M004'],
  ['O7', 'M003', '', '2024-02-05', 10, '已退款', 'M003'],
  ['O8', '', '13700000005', '2024-03-01', 40, '待付款', 'M005'],
  ['O9', '', '15000000009', '2024-03-02', 60, '已发货', 'SCV-+8615000000009'],
];

let app: TestApp;
let orders: string;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'identity' });
  const crm = path.join(app.dir, 'crm.csv');
  const ord = path.join(app.dir, 'orders.csv');
  writeFileSync(crm, CRM);
  writeFileSync(ord, '订单号,会员号,手机号,下单时间,实付金额,状态\n' + ORDERS.map((o) => o.slice(0, 6).join(',')).join('\n') + '\n');
  await importFile(app, crm, 'CRM');
  orders = await importFile(app, ord, '订单');
}, 60_000);
afterAll(() => app.close());

describe('status semantics', () => {
  it('maps zh/en order and SMS vocabularies; delivered only with a receipt', () => {
    expect(['已完成', '已发货', 'Completed', '', null].map(inferOrderStatus)).toEqual(['valid', 'valid', 'valid', 'valid', 'valid']);
    expect(['已取消', '交易关闭', 'cancelled', '已退款', '退货退款', 'refunded', '待付款', 'pending', '取消退款'].map(inferOrderStatus)).toEqual(['cancelled', 'cancelled', 'cancelled', 'refunded', 'refunded', 'refunded', 'pending', 'pending', 'valid']);
    expect(['已送达', 'DELIVRD', 'delivered', '成功', 'success', 'submitted', '未知', '', '失败', 'UNDELIV', 'REJECTD'].map(inferSmsStatus)).toEqual(['delivered', 'delivered', 'delivered', 'accepted', 'accepted', 'accepted', 'unknown', 'unknown', 'failed', 'failed', 'failed']);
  });
  it('canonicalises phones written differently', () => {
    expect(['13800000001', '+86 138-0000-0001', '008613800000001', '8613800000001', '１３８００００００01', '13800000001.0'].map(phoneIdentityKey)).toEqual(Array(6).fill('+8613800000001'));
  });
});

describe('identity layer', () => {
  it('gives the orders file a 状态 column the role order_status', async () => {
    const info = await app.call('datasets/get', { id: orders });
    expect(info.columns.find((c) => c.name === '状态')!.role).toBe('order_status');
  });

  it('links every order line to its planted customer: duplicate ids, phone-only rows, a shared family phone', () => {
    const db = app.ctx.requireSession().db;
    const r = ensureIdentity(db);
    expect(r.rebuilt).toBe(true);
    const got = db.prepare(`SELECT 订单号 AS o, customer_key AS k FROM (${linkedRows(db, getDataset(db, orders))}) ORDER BY _row`).all() as { o: string; k: string }[];
    expect(got.map((x) => [x.o, x.k])).toEqual(ORDERS.map((o) => [o[0], o[6]]));
    // parent and child sharing one phone stay two customers; the two ids of 张三 are one
    const cust = db.prepare('SELECT customer_id, member_id, phone FROM customers ORDER BY customer_id').all();
    expect(cust).toEqual([
      { customer_id: 'M001', member_id: 'M001', phone: '+8613800000001' },
      { customer_id: 'M003', member_id: 'M003', phone: '+8613900000002' },
      { customer_id: 'M004', member_id: 'M004', phone: '+8613900000002' },
      { customer_id: 'M005', member_id: 'M005', phone: '+8613700000005' },
      { customer_id: 'SCV-+8615000000009', member_id: null, phone: '+8615000000009' },
    ]);
    expect(ensureIdentity(db).rebuilt).toBe(false);
  });

  it('writes each workspace dataset\'s row keys once per build, the same keys the maps give every row', () => {
    const db = app.ctx.requireSession().db;
    ensureIdentity(db);
    const sources = identitySources(db);
    expect(sources.length).toBeGreaterThan(1);
    for (const s of sources) {
      const k = keyedRows(s);
      const byMaps = db.prepare(`SELECT t._row, ${k.key} FROM ${k.from} WHERE ${k.key} IS NOT NULL ORDER BY t._row`).raw(true).all();
      const table = tableNames(s.info.id).customers;
      expect(db.prepare(`SELECT _row, customer_id FROM ${table} ORDER BY _row`).raw(true).all()).toEqual(byMaps);
      expect(byMaps.length).toBeGreaterThan(0);
      // what analyses read goes through that table
      expect(customerKeyed(db, s.info).from).toContain(table);
    }
    // the orders' shared family phone resolves through the maps' shared rule, not to the first phone holder
    const shared = db.prepare("SELECT count(*) FROM identity_phones WHERE shared = 1").pluck().get() as number;
    expect(shared).toBeGreaterThan(0);
  });

  it('writes no per-row links: the customer view reads each customer\'s rows and timeline through the maps', async () => {
    const db = app.ctx.requireSession().db;
    ensureIdentity(db);
    const n = (sql: string) => db.prepare(sql).pluck().get() as number;
    expect(n('SELECT count(*) FROM customer_links')).toBe(0);
    expect(n('SELECT count(*) FROM customer_events')).toBe(0);
    expect(n('SELECT count(*) FROM identity_ids')).toBeGreaterThan(0);
    const expected = db.prepare(`SELECT customer_key AS k, _row AS r FROM (${linkedRows(db, getDataset(db, orders))}) ORDER BY _row`).all();
    const got: { k: string; r: number }[] = [];
    let events = 0;
    for (const k of db.prepare('SELECT customer_id FROM customers').pluck().all() as string[]) {
      const p = (await customerRows(db, k))!;
      for (const l of p.links) if (l.dataset_id === orders) got.push({ k, r: l.source_row });
      events += p.events.filter((e) => e.dataset_id === orders).length;
      // the customers table's counts (made from the key tuples in the build) agree with the rows read here
      expect(n(`SELECT records FROM customers WHERE customer_id = '${k}'`)).toBe(p.links.length);
    }
    expect(got.sort((a, b) => a.r - b.r)).toEqual(expected);
    expect(events).toBe(ORDERS.length);
    // through the app: 张三's two member ids and his phone-only lines are one timeline, in time order
    const prof = await app.call('customers/get', { customerId: 'M001' });
    const mine = ORDERS.filter((o) => o[6] === 'M001').map((o) => o[0]).sort();
    const shown = prof.timeline.filter((e) => e.datasetId === orders);
    expect(shown.map((e) => String(e.detail.find((d) => d.role === 'order_id')!.value)).sort()).toEqual(mine);
    expect(shown.map((e) => e.at)).toEqual([...shown.map((e) => e.at)].sort());
    expect(n('SELECT count(*) FROM customer_links')).toBe(0);
  });

  it('classifies statuses in SQL, and an analyst change is audited, bumps the revision and changes the counts', () => {
    const db = app.ctx.requireSession().db;
    expect(statusMapping(db, orders, 'order')).toEqual({ column: '状态', map: { 已完成: 'valid', 已取消: 'cancelled', 已发货: 'valid', 已退款: 'refunded', 待付款: 'pending' } });
    const count = () => Object.fromEntries((db.prepare(`SELECT ${classifySql(db, orders, 'order', 't')} AS c, count(*) AS n FROM ${orders} t GROUP BY 1`).raw(true).all() as [string, number][]));
    expect(count()).toEqual({ valid: 6, cancelled: 1, refunded: 1, pending: 1 });
    const rev = definitionsInForce(db).revision;
    setDefinitions(db, { datasetId: orders, set: { 已发货: 'cancelled' } });
    expect(count()).toEqual({ valid: 5, cancelled: 2, refunded: 1, pending: 1 });
    expect(definitionsInForce(db).revision).toBe(rev + 1);
    const logged = db.prepare("SELECT details FROM audit_log WHERE action = 'definitions.changed' ORDER BY id DESC").get() as { details: string };
    expect(JSON.parse(logged.details)).toMatchObject({ datasetId: orders, set: { 已发货: 'cancelled' } });
    expect(() => setDefinitions(db, { datasetId: orders, set: { 已发货: 'delivered' } })).toThrow(/not a order status class|order status class/);
    setDefinitions(db, { datasetId: orders, set: { 已发货: 'auto' } });
    expect(count()).toEqual({ valid: 6, cancelled: 1, refunded: 1, pending: 1 });
  });

  it('keeps a status column\'s value counts in the workspace while the rows and the column type stay the same', () => {
    const db = app.ctx.requireSession().db;
    const direct = db.prepare(`SELECT 状态 AS v, count(*) AS n FROM ${orders} GROUP BY 1 ORDER BY n DESC, v`).all();
    const counts = () => statusDefinition(db, orders, 'order').values.map((v) => ({ v: v.raw, n: v.rows }));
    expect(counts()).toEqual(direct);
    const stored = db.prepare('SELECT counts FROM column_value_counts WHERE dataset_id = ? AND column_name = ?').pluck();
    expect(JSON.parse(stored.get(orders, '状态') as string)).toEqual(direct);
    // what is stored is what the next analysis reads, without a scan …
    db.prepare('UPDATE column_value_counts SET counts = ? WHERE dataset_id = ?').run(JSON.stringify([{ v: '已完成', n: 999 }]), orders);
    expect(counts()).toEqual([{ v: '已完成', n: 999 }]);
    // … until the rows, batches or type differ from when it was stored: then a fresh scan replaces it
    db.prepare('UPDATE column_value_counts SET signature = ? WHERE dataset_id = ?').run('["an earlier import"]', orders);
    expect(counts()).toEqual(direct);
    expect(JSON.parse(stored.get(orders, '状态') as string)).toEqual(direct);
  });
});
