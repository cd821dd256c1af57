import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { customerSummarySql, funnelCountsSql, ruleCountSql, type SqlSource } from '../../../main/analysis/sql/builder';
import { rfmSegments, type RfmTable } from '../../../main/analysis/segments/rfm';
import { createRng } from '../../../main/kernel/random';
import { hasClickHouse, startClickHouse, type ChServer } from '../../helpers/servers';

// The clickhouse dialect on two real ClickHouse 18.16 shards (rows split between them, read through remote())
// equals the sqlite dialect on the same generated orders and sends: RFM summary, RFM segments, funnel, rule count.
describe.skipIf(!hasClickHouse())('SQL builder: clickhouse dialect on 2 shards equals sqlite', () => {
  let shards: ChServer[] = [];
  beforeAll(async () => { shards = await Promise.all([startClickHouse(), startClickHouse()]); }, 90_000);
  afterAll(() => shards.forEach((s) => s.stop()));

  it('RFM summary and segments, campaign funnel, rule segment count', async () => {
    const rnd = createRng(11);
    const day = (d: number) => new Date(Date.UTC(2025, 0, 1) + Math.floor(d * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    // messy orders: cancelled lines, empty keys, a customer's orders on both shards
    const orders: [string, string, number, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const key = rnd() < 0.02 ? '' : `C${String(Math.floor(rnd() * 400)).padStart(4, '0')}`;
      orders.push([key, day(rnd() * 330), Math.round(rnd() * 50000) / 100, rnd() < 0.12 ? 'cancelled' : 'paid']);
    }
    const stages = ['sent', 'delivered', 'clicked', 'ordered'];
    const sends: [string, string, string][] = [];
    for (let i = 0; i < 2000; i++) {
      const reached = rnd() < 0.9 ? (rnd() < 0.4 ? (rnd() < 0.3 ? 3 : 2) : 1) : 0;
      sends.push([`C${String(Math.floor(rnd() * 400)).padStart(4, '0')}`, day(rnd() * 330), stages[reached]!]);
    }

    const lite = new Database(':memory:');
    lite.exec('CREATE TABLE orders (cust TEXT, ts TEXT, amount REAL, status TEXT); CREATE TABLE sends (cust TEXT, ts TEXT, stage TEXT)');
    const io = lite.prepare('INSERT INTO orders VALUES (?,?,?,?)');
    for (const r of orders) io.run(r[0] || null, r[1], r[2], r[3]);
    const is = lite.prepare('INSERT INTO sends VALUES (?,?,?)');
    for (const r of sends) is.run(...r);

    // each row goes to one shard; an empty key is NULL, as in the local table
    for (const [k, s] of shards.entries()) {
      await s.query('CREATE TABLE default.orders (cust Nullable(String), ts String, amount Float64, status String) ENGINE = MergeTree ORDER BY ts');
      await s.query('CREATE TABLE default.sends (cust String, ts String, stage String) ENGINE = MergeTree ORDER BY ts');
      await s.query('INSERT INTO default.orders FORMAT TabSeparated', orders.filter((_, i) => i % 2 === k).map((r) => [r[0] || '\\N', r[1], r[2], r[3]].join('\t')).join('\n') + '\n');
      await s.query('INSERT INTO default.sends FORMAT TabSeparated', sends.filter((_, i) => i % 2 === k).map((r) => r.join('\t')).join('\n') + '\n');
    }
    const remote = (t: string) => `remote('${shards.map((s) => `127.0.0.1:${s.tcp}`).join(',')}', default, ${t})`;
    expect(Number(await shards[0]!.query(`SELECT count() FROM ${remote('orders')}`))).toBe(orders.length);

    const src = (table: string): SqlSource => ({ table, customerKey: 'cust', time: 'ts', amount: 'amount', valid: "status <> 'cancelled'" });
    const asOf = '2025-12-31 00:00:00';
    const a = lite.prepare(customerSummarySql('sqlite', src('orders'), asOf)).all() as any[];
    const b = (await shards[0]!.query(`${customerSummarySql('clickhouse', src(remote('orders')), asOf)} FORMAT JSONEachRow`))
      .trim().split('\n').map((l) => JSON.parse(l));
    expect(a.length).toBeGreaterThan(300);
    expect(b.map((r) => r.customer_key)).toEqual(a.map((r) => r.customer_key));
    for (let i = 0; i < a.length; i++) {
      expect(Number(b[i].frequency)).toBe(a[i].frequency);
      expect(b[i].monetary).toBeCloseTo(a[i].monetary, 6);
      expect(b[i].recency_days).toBeCloseTo(a[i].recency_days, 6);
      expect(b[i].T).toBeCloseTo(a[i].T, 6);
      expect(b[i].mean_repeat_value).toBeCloseTo(a[i].mean_repeat_value, 6);
    }

    // RFM segments from each engine's summary (both schemes) are the same, customer by customer
    const table = (rows: any[]): RfmTable => ({
      customers: rows.map((r) => r.customer_key),
      recency: Float64Array.from(rows, (r) => Math.round(Number(r.recency_days) * 1e6) / 1e6),
      frequency: Float64Array.from(rows, (r) => Number(r.frequency)),
      monetary: Float64Array.from(rows, (r) => Math.round(Number(r.monetary) * 100) / 100),
      first: new Float64Array(rows.length), last: new Float64Array(rows.length), asOf: 0, rowsUsed: 0, rowsExcluded: 0,
    });
    for (const scheme of ['11', 'cn8'] as const) {
      const sa = rfmSegments(table(a), scheme).segments.map((s) => s.key);
      expect(rfmSegments(table(b), scheme).segments.map((s) => s.key)).toEqual(sa);
      expect(new Set(sa).size).toBeGreaterThan(3);
    }

    // campaign funnel: distinct customers who reached each stage
    const funnel = stages.map((_, i) => ({ name: stages[i]!, predicate: `stage IN (${stages.slice(i).map((s) => `'${s}'`).join(',')})` }));
    const sendSrc = (table: string): SqlSource => ({ table, customerKey: 'cust', time: 'ts', amount: '1' });
    const fa = lite.prepare(funnelCountsSql('sqlite', sendSrc('sends'), funnel)).get() as any;
    const fb = JSON.parse(await shards[0]!.query(`${funnelCountsSql('clickhouse', sendSrc(remote('sends')), funnel)} FORMAT JSONEachRow`));
    expect(fa.stage_3).toBeGreaterThan(0);
    for (let i = 0; i < stages.length; i++) expect(Number(fb[`stage_${i}`])).toBe(fa[`stage_${i}`]);

    // a rule segment's size
    const rule = 'frequency >= 9 AND monetary > 1500';
    const na = (lite.prepare(ruleCountSql('sqlite', src('orders'), asOf, rule)).get() as any).n;
    expect(na).toBeGreaterThan(0);
    expect(Number(await shards[0]!.query(ruleCountSql('clickhouse', src(remote('orders')), asOf, rule)))).toBe(na);
  }, 90_000);
});
