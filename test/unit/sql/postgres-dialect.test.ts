import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { customerSummarySql, ruleCountSql } from '../../../main/analysis/sql/builder';
import { hasPostgres, startPostgres, type PgServer } from '../../helpers/servers';
import { createRng } from '../../../main/kernel/random';

// The postgres dialect on a real PostgreSQL 15 server equals the sqlite dialect on the same generated orders.
describe.skipIf(!hasPostgres())('SQL builder: postgres dialect on a real server equals sqlite', () => {
  let pg: PgServer;
  beforeAll(async () => { pg = await startPostgres(); }, 60_000);
  afterAll(() => pg?.stop());
  it('summary and rule count', () => {
    const rnd = createRng(5);
    const rows: [string, string, number, string][] = [];
    for (let i = 0; i < 1500; i++) {
      const t = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 300 * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
      rows.push([`C${Math.floor(rnd() * 200)}`, t, Math.round(rnd() * 10000) / 100, rnd() < 0.1 ? 'cancelled' : 'paid']);
    }
    const lite = new Database(':memory:');
    lite.exec('CREATE TABLE orders (cust TEXT, ts TEXT, amount DOUBLE PRECISION, status TEXT)');
    const ins = lite.prepare('INSERT INTO orders VALUES (?,?,?,?)');
    for (const r of rows) ins.run(...r);
    pg.psql('CREATE TABLE orders (cust TEXT COLLATE "C", ts TEXT, amount DOUBLE PRECISION, status TEXT); INSERT INTO orders VALUES '
      + rows.map((r) => `('${r[0]}','${r[1]}',${r[2]},'${r[3]}')`).join(','));
    const src = { table: 'orders', customerKey: 'cust', time: 'ts', amount: 'amount', valid: "status <> 'cancelled'" };
    const asOf = '2025-12-31 00:00:00';
    const a = lite.prepare(customerSummarySql('sqlite', src, asOf)).all() as any[];
    const b = pg.psql(customerSummarySql('postgres', src, asOf)).trim().split('\n').map((l) => l.split('|'));
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(b[i][0]).toBe(a[i].customer_key);
      expect(Number(b[i][1])).toBe(a[i].frequency);
      expect(Number(b[i][2])).toBeCloseTo(a[i].monetary, 6);
      expect(Number(b[i][3])).toBeCloseTo(a[i].recency_days, 4);
    }
    const rule = 'frequency >= 7';
    const na = (lite.prepare(ruleCountSql('sqlite', src, asOf, rule)).get() as any).n;
    expect(na).toBeGreaterThan(0);
    expect(Number(pg.psql(ruleCountSql('postgres', src, asOf, rule)).trim())).toBe(na);
  });
});
