/**
 * Remote engines: saved connections to ClickHouse (HTTP interface) and PostgreSQL-wire warehouses (`pg`), used
 * read-only. The builder's SQL is pushed down; only per-customer summaries or counts come back.
 * Connections (with their password) live in the workspace database, so they are encrypted when the workspace is.
 */
import pg from 'pg';
import type { z } from 'zod';
import type { DB } from '../../db/open';
import { AppError } from '../../../shared/errors';
import { audit } from '../audit/index';
import type { RemoteConnectionInfo, RemoteRfmResult, remoteSchemas } from '../../../shared/api/remote';
import { customerSummarySql, ruleCountSql, type Dialect, type SqlSource } from '../../analysis/sql/builder';
import { rfmSegments, type RfmTable } from '../../analysis/segments/rfm';

type AddArgs = z.infer<(typeof remoteSchemas)['remote/add']>;
type Columns = z.infer<(typeof remoteSchemas)['remote/rfm']>;
interface Conn extends AddArgs { }

const info = (c: Conn): RemoteConnectionInfo => ({ name: c.name, kind: c.kind, host: c.host, port: c.port, user: c.user, database: c.database, hasPassword: c.password !== '' });

export function addConnection(db: DB, a: AddArgs): RemoteConnectionInfo {
  db.prepare('INSERT OR REPLACE INTO remote_connections (name, kind, host, port, user, password, database, created_at) VALUES (?,?,?,?,?,?,?,?)')
    .run(a.name, a.kind, a.host, a.port, a.user, a.password, a.database, new Date().toISOString());
  audit(db, 'remote.add', { objectType: 'remote', objectId: a.name, details: { kind: a.kind, host: a.host, port: a.port, user: a.user, database: a.database } });
  return info(a);
}

export function listConnections(db: DB): RemoteConnectionInfo[] {
  return (db.prepare('SELECT * FROM remote_connections ORDER BY name').all() as Conn[]).map(info);
}

export function removeConnection(db: DB, name: string): { removed: boolean } {
  const removed = db.prepare('DELETE FROM remote_connections WHERE name = ?').run(name).changes > 0;
  if (removed) audit(db, 'remote.remove', { objectType: 'remote', objectId: name });
  return { removed };
}

function getConnection(db: DB, name: string): Conn {
  const c = db.prepare('SELECT * FROM remote_connections WHERE name = ?').get(name) as Conn | undefined;
  if (!c) throw new AppError('remote.no_connection', `No remote connection named "${name}" (see segmint remote list).`, `没有名为"${name}"的远程连接（见 segmint remote list）。`);
  return c;
}

/** One clear message per failure the user can act on: unreachable, authentication, missing table, missing column. */
function failure(c: Conn, e: any): AppError {
  const where = `${c.kind} ${c.host}:${c.port}`;
  const msg = String(e?.message ?? e);
  const code = String(e?.code ?? e?.cause?.code ?? '');
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|fetch failed/.test(code + msg)) {
    return new AppError('remote.unreachable', `Cannot reach ${where}: is the server running and the host/port right?`, `无法连接 ${where}：服务器是否在运行，主机/端口是否正确？`);
  }
  if (code === '28P01' || code === '28000' || /Code: (192|193|516)\b|password|Authentication failed/i.test(msg)) {
    return new AppError('remote.auth', `${where} refused user "${c.user}": wrong user name or password.`, `${where} 拒绝了用户"${c.user}"：用户名或密码错误。`);
  }
  if (code === '42P01' || /Code: (60|81)\b/.test(msg)) {
    return new AppError('remote.missing_table', `${where}: the table does not exist (${msg.split('\n')[0]!.slice(0, 200)}).`, `${where}：表不存在（${msg.split('\n')[0]!.slice(0, 200)}）。`);
  }
  if (code === '42703' || /Code: (47|16)\b/.test(msg)) {
    const col = /column "?([\w.]+)"? does not exist/.exec(msg)?.[1] ?? /(?:identifier|column):? `?([\w.]+)`?/.exec(msg)?.[1] ?? '';
    return new AppError('remote.missing_column', `${where}: column ${col || '(see the message)'} does not exist in that table. ${msg.split('\n')[0]!.slice(0, 200)}`, `${where}：该表中不存在列 ${col || '（见原始消息）'}。`);
  }
  return new AppError('remote.failed', `${where}: ${msg.slice(0, 300)}`, `${where}：${msg.slice(0, 300)}`);
}

/** Runs one read-only query and returns its rows as objects. */
async function query(c: Conn, sql: string): Promise<Record<string, any>[]> {
  try {
    if (c.kind === 'clickhouse') {
      // readonly=2: the server refuses every write; unlike readonly=1 it still allows table functions,
      // which remote('shard1,shard2', db, t) needs on a cluster without a Distributed table
      const qs = new URLSearchParams({ readonly: '2', user: c.user, password: c.password, ...(c.database ? { database: c.database } : {}) });
      const r = await fetch(`http://${c.host}:${c.port}/?${qs}`, { method: 'POST', body: `${sql} FORMAT JSONEachRow` });
      const text = await r.text();
      if (!r.ok) throw new Error(text);
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    }
    const client = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database || undefined, connectionTimeoutMillis: 15_000 });
    client.on('error', () => { /* reported through the query's rejection */ });
    await client.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const r = await client.query(sql);
      await client.query('ROLLBACK');
      return r.rows;
    } finally { await client.end().catch(() => {}); }
  } catch (e) {
    throw failure(c, e);
  }
}

export async function testConnection(db: DB, name: string): Promise<{ ok: true; version: string; readOnly: boolean }> {
  const c = getConnection(db, name);
  const [row] = await query(c, c.kind === 'clickhouse' ? 'SELECT version() AS v' : 'SELECT version() AS v');
  return { ok: true, version: String(row?.v ?? ''), readOnly: true };
}

const quoteId = (kind: Dialect, id: string) => id.split('.').map((p) => (kind === 'clickhouse' ? `\`${p}\`` : `"${p}"`)).join('.');

function source(kind: Dialect, a: Columns | z.infer<(typeof remoteSchemas)['remote/count']>): SqlSource {
  const q = (id: string) => quoteId(kind, id);
  const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return {
    table: a.table.startsWith('remote(') ? a.table : q(a.table),
    customerKey: q(a.customer), time: q(a.time), amount: q(a.amount),
    valid: a.status && a.exclude.length ? `${q(a.status)} NOT IN (${a.exclude.map(lit).join(', ')})` : undefined,
  };
}

const asOfTime = (s: string) => (s.length === 10 ? `${s} 00:00:00` : s);

export async function remoteRfm(db: DB, a: Columns): Promise<RemoteRfmResult> {
  const c = getConnection(db, a.name);
  const t0 = Date.now();
  const rows = await query(c, customerSummarySql(c.kind, source(c.kind, a), asOfTime(a.asOf)));
  const t: RfmTable = {
    customers: rows.map((r) => String(r.customer_key)),
    // ClickHouse and PostgreSQL return float noise in the last digits; rounding keeps segment cuts identical to local
    recency: Float64Array.from(rows, (r) => Math.round(Number(r.recency_days) * 1e6) / 1e6),
    frequency: Float64Array.from(rows, (r) => Number(r.frequency)),
    monetary: Float64Array.from(rows, (r) => Math.round(Number(r.monetary) * 1e6) / 1e6),
    first: new Float64Array(rows.length), last: new Float64Array(rows.length), asOf: 0, rowsUsed: 0, rowsExcluded: 0,
  };
  audit(db, 'remote.query', { objectType: 'remote', objectId: c.name, rows: rows.length, details: { analysis: 'rfm', table: a.table, scheme: a.scheme, asOf: a.asOf } });
  const s = rfmSegments(t, a.scheme);
  const counts = new Map<string, { key: string; en: string; zh: string; customers: number }>();
  s.segments.forEach((g) => { const e = counts.get(g.key) ?? { ...g, customers: 0 }; e.customers++; counts.set(g.key, e); });
  return {
    connection: c.name, kind: c.kind, customers: rows.length, seconds: (Date.now() - t0) / 1000,
    segments: [...counts.values()].sort((x, y) => y.customers - x.customers),
    rows: t.customers.map((cu, i) => ({ customer: cu, recency: t.recency[i]!, frequency: t.frequency[i]!, monetary: t.monetary[i]!, r: s.r[i]!, f: s.f[i]!, m: s.m[i]!, segment: s.segments[i]!.key })),
  };
}

const RULE_WORDS = new Set(['frequency', 'monetary', 'recency_days', 't', 'x', 't_x', 'mean_repeat_value', 'and', 'or', 'not']);

export async function remoteCount(db: DB, a: z.infer<(typeof remoteSchemas)['remote/count']>): Promise<{ connection: string; rule: string; customers: number }> {
  // the rule is SQL pushed to the remote: only summary columns, numbers, comparisons and AND/OR/NOT pass
  const bad = a.rule.replace(/\d+(\.\d+)?|>=|<=|<>|!=|[=<>()\s]/g, ' ').split(/\s+/).filter((w) => w && !RULE_WORDS.has(w.toLowerCase()));
  if (bad.length || !a.rule.trim()) {
    throw new AppError('remote.bad_rule', `Rule "${a.rule}": use frequency, monetary, recency_days, T, x, t_x with numbers, comparisons and AND/OR/NOT (not understood: ${bad.join(', ')}).`, `规则"${a.rule}"：只能使用 frequency、monetary、recency_days、T、x、t_x，数字、比较符和 AND/OR/NOT（无法识别：${bad.join('、')}）。`);
  }
  const c = getConnection(db, a.name);
  const rule = c.kind === 'postgres' ? a.rule.replace(/\bT\b/g, '"t"') : a.rule;
  const [row] = await query(c, ruleCountSql(c.kind, source(c.kind, a), asOfTime(a.asOf), rule));
  const customers = Number(row?.n ?? 0);
  audit(db, 'remote.query', { objectType: 'remote', objectId: c.name, rows: customers, details: { analysis: 'count', table: a.table, rule: a.rule, asOf: a.asOf } });
  return { connection: c.name, rule: a.rule, customers };
}
