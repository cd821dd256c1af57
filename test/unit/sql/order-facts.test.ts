/**
 * RFM's frequency on DuckDB counts a customer's rows instead of their distinct order ids when the
 * dataset is known to have one row per order (column_facts 'unique'). The fact must follow the cells:
 * an append that brings an order of two lines makes the ids no longer unique, and the frequency must
 * count that order once again. Planted truth: each customer's valid orders, counted while writing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { createRng, randInt } from '../../../main/kernel/random';

let t: ReturnType<typeof tempDir>;
let cli: ReturnType<typeof segmintIn>;
const HEADER = '订单号,会员编号,手机号码,下单时间,实付金额,订单状态';
const PEOPLE = 240;
/** phone (as the identity layer writes it) → distinct valid order ids (not cancelled; every amount is positive), as planted, file by file */
const truth: Map<string, Set<string>>[] = [];

function orders(seed: number, from: number, twoLineOrders: number): string {
  const planted = new Map<string, Set<string>>();
  truth.push(planted);
  const rng = createRng(seed);
  const lines = [HEADER];
  let no = from;
  for (let p = 0; p < PEOPLE; p++) {
    const member = `M${5000 + p}`;
    const phone = `139${String(10_000_000 + p * 37).padStart(8, '0')}`;
    for (let k = 1 + randInt(rng, 4); k > 0; k--) {
      const id = `SO${no++}`;
      const cancelled = rng() < 0.15;
      // a third of the lines name the customer by phone alone, written as Excel leaves it
      const byPhone = rng() < 0.33;
      const day = `2024-${String(1 + randInt(rng, 12)).padStart(2, '0')}-${String(1 + randInt(rng, 28)).padStart(2, '0')} 10:00:00`;
      const amount = (10 + randInt(rng, 9000) / 10).toFixed(2);
      const row = [id, byPhone ? '' : member, byPhone ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone, day, amount, cancelled ? '已取消' : '已完成'];
      lines.push(row.join(','));
      // an order of two lines (two items): the same order id on the next row
      if (p < twoLineOrders && k === 1) lines.push([id, member, phone, day, '5.00', row[5]].join(','));
      if (!cancelled) (planted.get(`+86${phone}`) ?? planted.set(`+86${phone}`, new Set()).get(`+86${phone}`)!).add(id);
    }
  }
  return lines.join('\n') + '\n';
}

/** Frequency per customer (by canonical phone: some customers are known by phone alone) from `segmint rfm --out`, in each engine's workspace. */
function frequencies(ws: string, tag: string): Map<string, number> {
  const out = path.join(t.dir, `rfm-${tag}.csv`);
  cli.json(['rfm', '--dataset', 'orders', '--as-of', '2025-01-01', '--out', out, '--workspace', ws]);
  const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  return new Map(rows.map((r) => [r.phone!, Number(r.frequency)]));
}

function uniqueFact(ws: string): number[] {
  const db = new Database(ws, { readonly: true });
  try {
    return db.prepare("SELECT value FROM column_facts WHERE column_name = '订单号' AND fact = 'unique'").pluck().all() as number[];
  } finally {
    db.close();
  }
}

/** Valid orders per customer over the first `files` files. */
function planted(files: number): Map<string, number> {
  const all = new Map<string, Set<string>>();
  for (const f of truth.slice(0, files)) for (const [m, ids] of f) for (const id of ids) (all.get(m) ?? all.set(m, new Set()).get(m)!).add(id);
  return new Map([...all].map(([m, ids]) => [m, ids.size]));
}

let duckWs: string;
let sqliteWs: string;
beforeAll(() => {
  t = tempDir();
  cli = segmintIn(() => t.dir);
  duckWs = path.join(t.dir, 'duck.segmint');
  sqliteWs = path.join(t.dir, 'sqlite.segmint');
  writeFileSync(path.join(t.dir, 'part1.csv'), orders(1, 100_000, 0));
  writeFileSync(path.join(t.dir, 'part2.csv'), orders(2, 200_000, 12));
  cli.json(['workspace', 'create', duckWs]);
  cli.json(['workspace', 'create', sqliteWs]);
  cli.json(['import', path.join(t.dir, 'part1.csv'), '--name', 'orders', '--engine', 'duckdb', '--workspace', duckWs]);
  cli.json(['import', path.join(t.dir, 'part1.csv'), '--name', 'orders', '--workspace', sqliteWs]);
}, 120_000);

afterAll(() => t?.cleanup());

describe('one row per order on DuckDB', () => {
  it('is found unique after the first import, and each frequency equals the planted orders and SQLite\'s', () => {
    const duck = frequencies(duckWs, 'duck-1');
    expect(uniqueFact(duckWs)).toEqual([1]);
    expect(duck.size).toBeGreaterThan(PEOPLE * 0.8);
    expect(duck).toEqual(planted(1));
    expect(duck).toEqual(frequencies(sqliteWs, 'sqlite-1'));
  });

  it('after an append with two-line orders the fact follows the cells, and each order still counts once', () => {
    cli.json(['import', path.join(t.dir, 'part2.csv'), '--append-to', 'orders', '--workspace', duckWs]);
    cli.json(['import', path.join(t.dir, 'part2.csv'), '--append-to', 'orders', '--workspace', sqliteWs]);
    const duck = frequencies(duckWs, 'duck-2');
    expect(uniqueFact(duckWs)).toEqual([0]);
    expect(duck).toEqual(planted(2));
    expect(duck).toEqual(frequencies(sqliteWs, 'sqlite-2'));
    // the planted two-line orders are there: counting rows would have counted each twice
    const ids = readFileSync(path.join(t.dir, 'part2.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean);
    expect(ids.length - new Set(ids).size).toBe(12);
  });
});
