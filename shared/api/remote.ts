import { z } from 'zod';

/** Remote engines: a saved connection to ClickHouse (HTTP) or a PostgreSQL-wire warehouse, used read-only. */
export const REMOTE_KINDS = ['clickhouse', 'postgres'] as const;
const name = z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (1–64)');
/** A column or table name (db.table allowed); ClickHouse also takes remote('h:p,h:p', db, table) for shards. */
const ident = z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$/, 'a plain column/table name');
const table = z.string().max(2000).regex(/^([A-Za-z_]\w*(\.[A-Za-z_]\w*)?|remote\('[\w.:,-]+',\s*[A-Za-z_]\w*,\s*[A-Za-z_]\w*\))$/, 'a table name (db.table) or remote(\'host:port,…\', db, table)');

const columns = z.object({
  table,
  customer: ident,
  time: ident,
  amount: ident,
  /** rows counted only when this status column is not one of `exclude` (e.g. cancelled) */
  status: ident.optional(),
  exclude: z.array(z.string().max(200)).max(50).default([]),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/),
});

export const remoteSchemas = {
  'remote/add': z.object({
    name, kind: z.enum(REMOTE_KINDS), host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535),
    user: z.string().max(200).default('default'), password: z.string().max(1000).default(''), database: z.string().max(200).default(''),
  }).strict(),
  'remote/list': z.object({}).strict(),
  'remote/remove': z.object({ name }).strict(),
  'remote/test': z.object({ name }).strict(),
  /** RFM pushed down: the engine returns one summary row per customer; segments are scored here. */
  'remote/rfm': columns.extend({ name, scheme: z.enum(['11', 'cn8']).default('11') }).strict(),
  /** Customers whose summary satisfies a rule over frequency, monetary, recency_days, T, x, t_x. */
  'remote/count': columns.extend({ name, rule: z.string().max(500) }).strict(),
};

export type RemoteConnectionInfo = { name: string; kind: (typeof REMOTE_KINDS)[number]; host: string; port: number; user: string; database: string; hasPassword: boolean };
export type RemoteRfmResult = {
  connection: string; kind: string; customers: number; seconds: number;
  segments: { key: string; en: string; zh: string; customers: number }[];
  rows: { customer: string; recency: number; frequency: number; monetary: number; r: number; f: number; m: number; segment: string }[];
};

export interface RemoteResults {
  'remote/add': RemoteConnectionInfo;
  'remote/list': RemoteConnectionInfo[];
  'remote/remove': { removed: boolean };
  'remote/test': { ok: true; version: string; readOnly: boolean };
  'remote/rfm': RemoteRfmResult;
  'remote/count': { connection: string; rule: string; customers: number };
}
