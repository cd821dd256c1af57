import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { customerSummarySql, ruleCountSql } from '../../../main/analysis/sql/builder';
import { rfmSegments, type RfmTable } from '../../../main/analysis/segments/rfm';
import { createRng } from '../../../main/kernel/random';
import { hasClickHouse, hasPostgres, startClickHouse, startPostgres, freePort, type ChServer, type PgServer } from '../../helpers/servers';
import { segmintIn } from '../../helpers/cli';
import { tempDir } from '../../helpers/app';

// `segmint remote …` through the real bin against real servers: PostgreSQL 15 (pg driver) and two ClickHouse 18.16
// shards (HTTP, remote()) hold the same generated orders; remote RFM segments and rule counts equal the local
// engine's; each failure names its cause (unreachable, auth, missing column).
describe.skipIf(!hasClickHouse() || !hasPostgres())('remote engines: postgres and 2-shard clickhouse equal local', () => {
  let t: { dir: string; cleanup(): void };
  let pg: PgServer;
  let shards: ChServer[] = [];
  beforeAll(async () => {
    t = tempDir();
    [pg, ...shards] = await Promise.all([startPostgres(), startClickHouse(), startClickHouse()]);
  }, 120_000);
  afterAll(() => { pg?.stop(); shards.forEach((s) => s.stop()); t?.cleanup(); });
  const { run, json } = segmintIn(() => t.dir);

  it('RFM segments and a rule count pushed down equal local; failures are named', async () => {
    const rnd = createRng(23);
    const orders: [string, string, number, string][] = [];
    for (let i = 0; i < 2500; i++) {
      const ts = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 330 * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
      orders.push([`C${String(Math.floor(rnd() * 350)).padStart(4, '0')}`, ts, Math.round(rnd() * 40000) / 100, rnd() < 0.1 ? 'cancelled' : rnd() < 0.05 ? '退款' : 'paid']);
    }
    const lite = new Database(':memory:');
    lite.exec('CREATE TABLE orders (cust TEXT, ts TEXT, amount REAL, status TEXT)');
    const ins = lite.prepare('INSERT INTO orders VALUES (?,?,?,?)');
    for (const r of orders) ins.run(...r);
    pg.psql('CREATE TABLE orders (cust TEXT COLLATE "C", ts TEXT, amount DOUBLE PRECISION, status TEXT); INSERT INTO orders VALUES '
      + orders.map((r) => `('${r[0]}','${r[1]}',${r[2]},'${r[3]}')`).join(','));
    for (const [k, s] of shards.entries()) {
      await s.query('CREATE TABLE default.orders (cust String, ts String, amount Float64, status String) ENGINE = MergeTree ORDER BY ts');
      await s.query('INSERT INTO default.orders FORMAT TabSeparated', orders.filter((_, i) => i % 2 === k).map((r) => r.join('\t')).join('\n') + '\n');
    }

    // local truth: the sqlite engine's summary, scored by the same RFM code
    const src = { table: 'orders', customerKey: 'cust', time: 'ts', amount: 'amount', valid: "status NOT IN ('cancelled', '退款')" };
    const asOf = '2025-12-31 00:00:00';
    const local = lite.prepare(customerSummarySql('sqlite', src, asOf)).all() as any[];
    const table: RfmTable = {
      customers: local.map((r) => r.customer_key), recency: Float64Array.from(local, (r) => Math.round(r.recency_days * 1e6) / 1e6),
      frequency: Float64Array.from(local, (r) => r.frequency), monetary: Float64Array.from(local, (r) => Math.round(r.monetary * 1e6) / 1e6),
      first: new Float64Array(local.length), last: new Float64Array(local.length), asOf: 0, rowsUsed: 0, rowsExcluded: 0,
    };
    const rule = 'frequency >= 8 AND monetary > 1200';
    const localCount = (lite.prepare(ruleCountSql('sqlite', src, asOf, rule)).get() as any).n;
    expect(localCount).toBeGreaterThan(0);

    const ws = path.join(t.dir, 'r.segmint');
    expect(run(['workspace', 'create', ws]).code).toBe(0);
    const W = ['--workspace', ws];
    json(['remote', 'add', 'wh', '--kind', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', 'postgres', ...W]);
    json(['remote', 'add', 'ch', '--kind', 'clickhouse', '--host', '127.0.0.1', '--port', String(shards[0]!.http), ...W]);
    expect(json(['remote', 'list', ...W]).connections.map((c: any) => c.name)).toEqual(['ch', 'wh']);
    expect(json(['remote', 'test', 'wh', ...W]).version).toMatch(/PostgreSQL 15/);
    expect(json(['remote', 'test', 'ch', ...W]).version).toMatch(/^18\./);

    const cols = (table: string) => ['--table', table, '--customer', 'cust', '--time', 'ts', '--amount', 'amount', '--status', 'status', '--exclude', 'cancelled,退款', '--as-of', '2025-12-31'];
    const remoteTable = `remote('${shards.map((s) => `127.0.0.1:${s.tcp}`).join(',')}', default, orders)`;
    for (const scheme of ['11', 'cn8'] as const) {
      const want = rfmSegments(table, scheme).segments.map((s) => s.key);
      for (const [conn, tbl] of [['wh', 'orders'], ['ch', remoteTable]] as const) {
        const r = json(['remote', 'rfm', '--connection', conn, ...cols(tbl), '--scheme', scheme, ...W]);
        expect(r.customers).toBe(local.length);
        expect(r.rows.map((x: any) => x.customer)).toEqual(table.customers);
        expect(r.rows.map((x: any) => x.segment)).toEqual(want);
      }
    }
    for (const [conn, tbl] of [['wh', 'orders'], ['ch', remoteTable]] as const) {
      expect(json(['remote', 'count', '--connection', conn, ...cols(tbl), '--rule', rule, ...W]).customers).toBe(localCount);
    }

    // failures: wrong port → unreachable; wrong password → auth; missing column → named
    const dead = await freePort();
    json(['remote', 'add', 'dead', '--kind', 'postgres', '--host', '127.0.0.1', '--port', String(dead), ...W]);
    const r1 = run(['remote', 'test', 'dead', ...W]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/Cannot reach postgres 127\.0\.0\.1/);
    expect(run(['remote', 'test', 'dead', ...W, '--lang', 'zh']).stderr).toContain('无法连接');
    pg.psql("CREATE ROLE analyst LOGIN PASSWORD 'right'");
    pg.psql("ALTER SYSTEM SET password_encryption = 'scram-sha-256'");
    // trust auth accepts any password: a scram line for the analyst makes the server check it
    const { writeFileSync, readFileSync } = await import('node:fs');
    const hba = path.join(pg.dir, 'data', 'pg_hba.conf');
    writeFileSync(hba, 'host all analyst 127.0.0.1/32 scram-sha-256\n' + readFileSync(hba, 'utf8'));
    pg.psql('SELECT pg_reload_conf()');
    json(['remote', 'add', 'bad', '--kind', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', 'analyst', '--database', 'postgres', '--password', 'wrong', ...W]);
    const r2 = run(['remote', 'test', 'bad', ...W]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/refused user "analyst": wrong user name or password/);
    for (const [conn, tbl] of [['wh', 'orders'], ['ch', remoteTable]] as const) {
      const r3 = run(['remote', 'rfm', '--connection', conn, ...cols(tbl).map((x) => (x === 'amount' ? 'amt' : x)), ...W]);
      expect(r3.code, r3.stderr).toBe(1);
      expect(r3.stderr).toMatch(/column amt does not exist/);
    }
    // only names reach the remote SQL: a table or rule carrying SQL is refused before anything is sent
    const r4 = run(['remote', 'count', '--connection', 'wh', ...cols('orders; DROP TABLE orders'), '--rule', rule, ...W]);
    expect(r4.code).not.toBe(0);
    expect(r4.stderr).toMatch(/table name/);
    const r5 = run(['remote', 'count', '--connection', 'wh', ...cols('orders'), '--rule', 'frequency > 1 OR 1 IN (SELECT 1)', ...W]);
    expect(r5.code).toBe(1);
    expect(r5.stderr).toMatch(/not understood: .*SELECT/);
    // nothing was written remotely: the table still holds exactly the loaded rows
    expect(Number(pg.psql('SELECT count(*) FROM orders').trim())).toBe(orders.length);
    // the audit log names every connection saved and every query pushed down
    const actions = json(['audit', '--limit', '200', ...W]).entries.map((e: any) => e.action);
    expect(actions.filter((a: string) => a === 'remote.add').length).toBe(4);
    expect(actions.filter((a: string) => a === 'remote.query').length).toBe(6);
  }, 120_000);
});
