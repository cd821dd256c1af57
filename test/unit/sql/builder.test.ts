import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { customerSummarySql, funnelCountsSql, sendTimeGridSql, ruleCountSql } from '../../../main/analysis/sql/builder';
import { createRng } from '../../../main/kernel/random';

// Planted orders: customer -> list of (iso date, amount); computed truth by hand from the plan below.
function plantedDb() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE orders (cust TEXT, ts TEXT, amount REAL, status TEXT, sku TEXT)');
  const ins = db.prepare('INSERT INTO orders VALUES (?,?,?,?,?)');
  const rnd = createRng(7);
  const plan = new Map<string, { days: number[]; amounts: number[]; skus: Set<string> }>();
  for (let c = 0; c < 200; c++) {
    const key = `C${String(c).padStart(3, '0')}`;
    const n = 1 + Math.floor(rnd() * 5);
    const p = { days: [] as number[], amounts: [] as number[], skus: new Set<string>() };
    for (let k = 0; k < n; k++) {
      const day = Math.floor(rnd() * 300);
      const amt = Math.round(rnd() * 10000) / 100;
      const sku = `S${Math.floor(rnd() * 4)}`;
      ins.run(key, new Date(Date.UTC(2025, 0, 1) + day * 86400000).toISOString().slice(0, 19).replace('T', ' '), amt, 'paid', sku);
      p.days.push(day); p.amounts.push(amt); p.skus.add(sku);
    }
    // a cancelled order that must not count
    ins.run(key, '2025-02-01 10:00:00', 999, 'cancelled', 'S9');
    plan.set(key, p);
  }
  return { db, plan };
}

const src = { table: 'orders', customerKey: 'cust', time: 'ts', amount: 'amount', item: 'sku', valid: "status <> 'cancelled'" };
const asOf = '2025-12-31 00:00:00';
const asOfDay = (Date.UTC(2025, 11, 31) - Date.UTC(2025, 0, 1)) / 86400000;

describe('SQL builder (sqlite dialect, run on real SQLite)', () => {
  it('per-customer summary equals the planted truth', () => {
    const { db, plan } = plantedDb();
    const rows = db.prepare(customerSummarySql('sqlite', src, asOf)).all() as any[];
    expect(rows.length).toBe(plan.size);
    for (const r of rows) {
      const p = plan.get(r.customer_key)!;
      const first = Math.min(...p.days), last = Math.max(...p.days);
      expect(r.frequency).toBe(p.days.length);
      expect(r.monetary).toBeCloseTo(p.amounts.reduce((a, b) => a + b, 0), 6);
      expect(r.recency_days).toBeCloseTo(asOfDay - last, 6);
      expect(r.x).toBe(p.days.length - 1);
      expect(r.t_x).toBeCloseTo(last - first, 6);
      expect(r.T).toBeCloseTo(asOfDay - first, 6);
      expect(r.distinct_items).toBe(p.skus.size);
      const firstIdx = p.days.indexOf(first);
      if (p.days.length > 1 && p.days.filter((d) => d === first).length === 1) {
        const repeat = p.amounts.filter((_, i) => i !== firstIdx);
        expect(r.mean_repeat_value).toBeCloseTo(repeat.reduce((a, b) => a + b, 0) / repeat.length, 6);
      }
    }
  });

  it('rule count, funnel and send-time grid agree with counting in JS', () => {
    const { db, plan } = plantedDb();
    const expectN = [...plan.values()].filter((p) => p.days.length >= 3).length;
    expect((db.prepare(ruleCountSql('sqlite', src, asOf, 'frequency >= 3')).get() as any).n).toBe(expectN);
    const f = db.prepare(funnelCountsSql('sqlite', { ...src, valid: undefined }, [
      { name: 'any', predicate: '1=1' }, { name: 'cancelled', predicate: "status = 'cancelled'" }, { name: 'S0', predicate: "sku = 'S0'" },
    ])).get() as any;
    expect(f.stage_0).toBe(200);
    expect(f.stage_1).toBe(200);
    expect(f.stage_2).toBe([...plan.values()].filter((p) => p.skus.has('S0')).length);
    const grid = db.prepare(sendTimeGridSql('sqlite', src)).all() as any[];
    expect(grid.reduce((a, g) => a + g.n, 0)).toBe([...plan.values()].reduce((a, p) => a + p.days.length, 0));
    // all planted paid orders are at 00:00 UTC; 2025-01-01 is a Wednesday (wd=2)
    expect(grid.every((g) => g.hr === 0)).toBe(true);
  });

  it('emits each dialect without throwing and with its own date functions', () => {
    expect(customerSummarySql('clickhouse', src, asOf)).toMatch(/toDateTime/);
    expect(customerSummarySql('postgres', src, asOf)).toMatch(/EXTRACT\(EPOCH/);
    expect(customerSummarySql('duckdb', src, asOf)).toMatch(/epoch\(/);
  });
});
