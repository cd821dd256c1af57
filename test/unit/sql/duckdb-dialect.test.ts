import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { DuckDBInstance } from '@duckdb/node-api';
import { customerSummarySql, ruleCountSql, sendTimeGridSql } from '../../../main/analysis/sql/builder';
import { createRng } from '../../../main/kernel/random';

// The same generated orders in SQLite and in DuckDB: the duckdb dialect's results must equal the sqlite dialect's.
describe('SQL builder: duckdb dialect equals sqlite on the same rows', () => {
  it('summary, rule count and grid', async () => {
    const rnd = createRng(11);
    const rows: [string, string, number, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const t = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 300 * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
      rows.push([`C${Math.floor(rnd() * 400)}`, t, Math.round(rnd() * 10000) / 100, rnd() < 0.1 ? 'cancelled' : 'paid']);
    }
    const lite = new Database(':memory:');
    lite.exec('CREATE TABLE orders (cust TEXT, ts TEXT, amount DOUBLE, status TEXT)');
    const ins = lite.prepare('INSERT INTO orders VALUES (?,?,?,?)');
    for (const r of rows) ins.run(...r);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run('CREATE TABLE orders (cust VARCHAR, ts VARCHAR, amount DOUBLE, status VARCHAR)');
    const app = await duck.createAppender('orders');
    for (const r of rows) { app.appendVarchar(r[0]); app.appendVarchar(r[1]); app.appendDouble(r[2]); app.appendVarchar(r[3]); app.endRow(); }
    app.closeSync();
    const src = { table: 'orders', customerKey: 'cust', time: 'ts', amount: 'amount', valid: "status <> 'cancelled'" };
    const asOf = '2025-12-31 00:00:00';
    const a = lite.prepare(customerSummarySql('sqlite', src, asOf)).all() as any[];
    const b = (await (await duck.runAndReadAll(customerSummarySql('duckdb', src, asOf))).getRowObjectsJS()) as any[];
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThan(300);
    for (let i = 0; i < a.length; i++) {
      expect(b[i].customer_key).toBe(a[i].customer_key);
      expect(Number(b[i].frequency)).toBe(a[i].frequency);
      expect(b[i].monetary).toBeCloseTo(a[i].monetary, 6);
      expect(b[i].recency_days).toBeCloseTo(a[i].recency_days, 4);
      expect(b[i].T).toBeCloseTo(a[i].T, 4);
      expect(b[i].mean_repeat_value).toBeCloseTo(a[i].mean_repeat_value, 6);
    }
    const rule = 'frequency >= 8 AND monetary > 300';
    const na = (lite.prepare(ruleCountSql('sqlite', src, asOf, rule)).get() as any).n;
    const nb = (await (await duck.runAndReadAll(ruleCountSql('duckdb', src, asOf, rule))).getRowObjectsJS())[0].n;
    expect(na).toBeGreaterThan(0);
    expect(Number(nb)).toBe(na);
    const ga = lite.prepare(sendTimeGridSql('sqlite', src)).all() as any[];
    const gb = (await (await duck.runAndReadAll(sendTimeGridSql('duckdb', src))).getRowObjectsJS()) as any[];
    expect(gb.map((g) => [Number(g.wd), Number(g.hr), Number(g.n)])).toEqual(ga.map((g) => [g.wd, g.hr, g.n]));
    duck.closeSync();
  });
});
