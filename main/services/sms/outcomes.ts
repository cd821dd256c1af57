/**
 * What followed each SMS send — its delivery class (a receipt decides), a click, a reply, an
 * unsubscribe, the orders it converted — worked out in SQL, in temporary tables, so JavaScript never
 * holds one entry per send: a send log of hundreds of millions is bounded by disk, not memory. A log
 * in DuckDB is worked on in DuckDB (duckPlan: its tables there, the match an ASOF join, spilling past
 * its memory cap); otherwise in the workspace (the temporary store is a file, in memory only for an
 * encrypted workspace).
 *
 * Each dataset is read through the customer key (identity layer) and its status definitions in
 * force. In the workspace, a dataset there is copied by one INSERT … SELECT and one in DuckDB streams in
 * a chunk at a time; in DuckDB the other way round (workspace rows appended). Times are read by `timeMs`
 * (an SQL function of the workspace's connection; DuckDB reads a date or datetime column's stored text the
 * same way), so the attribution is the in-memory one's
 * (analysis/sms/attribution, kept as the reference — `sendOutcomesInMemory` in report.ts):
 *  - a receipt, reply or click belongs to the latest send to that customer at or before it, within
 *    3 days; a receipt's class (delivered / failed) replaces the send's own, delivered last;
 *  - a valid order (amount > 0) or a refunded one belongs to the latest DELIVERED send strictly
 *    before it within the window; ties in time go to the later row, as a stable sort by time would.
 */
import { AppError } from '../../../shared/errors';
import { qid, withSmallSortRuns, withTempTables, type DB } from '../../db/open';
import { rowBatcher } from '../../db/batch';
import { getDataset, roleColumn } from '../datasets';
import type { ColumnType, DatasetInfo } from '../../../shared/types';
import { classifySql } from '../definitions/index';
import { eachRowWhereTheDataIs, eventSql, numericSql, purchaseSql, type EventSql } from '../identity/events';
import { duckAll, duckRowWriter, duckTempTexts, readInHalves, withDuck, type DuckConnection } from '../../db/duckdb';
import { prepareDuck } from '../identity/index';
import { timeMs } from '../segments/source';
import { detectUnsubscribe } from '../../analysis/sms/unsubscribe';
import { countSmsSegments } from '../../analysis/sms/segments';
import { unsubscribeRules } from './rules';

const DAY = 86_400_000;

export interface SmsSources {
  sends: string;
  replies?: string;
  clicks?: string;
  receipts?: string;
  orders?: string;
  windowDays: number;
}

/** Epoch ms of a time text as `timeMs` reads it (a number is one already); null when it reads no time. */
const ms = (t: unknown): number | null => {
  if (t === null || t === undefined) return null;
  const v = typeof t === 'number' ? t : timeMs(String(t));
  return Number.isFinite(v) ? v : null;
};
const cost = (v: unknown): number => Number(v ?? 0) || 0;
const ENCODINGS = ['GSM-7', 'UCS-2'] as const;
/** A message's segment count and encoding in one number (segments × 2 + encoding); null without a text. */
const packedLength = (text: unknown): number | null => {
  if (text === null || text === undefined || text === '') return null;
  const k = countSmsSegments(String(text));
  return k.segments * 2 + ENCODINGS.indexOf(k.encoding);
};
/**
 * `packedLength`, remembered per text: a campaign sends a few templates (or a name in one) to many people,
 * so a million sends are a few hundred texts counted once each. A number passes (DuckDB counted it, `load`).
 */
function lengthsOnce(): (text: unknown) => number | null {
  const seen = new Map<string, number | null>();
  return (text) => {
    if (typeof text === 'number') return text;
    if (typeof text !== 'string' || text.length > 1000) return packedLength(text);
    let v = seen.get(text);
    if (v === undefined) {
      v = packedLength(text);
      if (seen.size < 100_000) seen.set(text, v);
    }
    return v;
  };
}
/** The segment count and encoding of a packed `length`. */
export const lengthOf = (packed: number): { segments: number; encoding: (typeof ENCODINGS)[number] } => ({ segments: Math.floor(packed / 2), encoding: ENCODINGS[packed % 2]! });

/**
 * The temporary tables: their columns, what a workspace row becomes in SQL (`sql`, over the
 * loading SELECT's r, k, tm, c1…) and what a streamed DuckDB row becomes in JavaScript (`js`): the same values.
 */
const TABLES = {
  sms_sends: {
    ddl: 'row INTEGER PRIMARY KEY, key TEXT, ts REAL, campaign TEXT, variant TEXT, status TEXT, cost REAL, phone TEXT, length INTEGER, replied INTEGER DEFAULT 0, clicked INTEGER DEFAULT 0, unsub INTEGER DEFAULT 0, converted INTEGER DEFAULT 0, revenue REAL DEFAULT 0, orders INTEGER DEFAULT 0, refunded INTEGER DEFAULT 0, refunded_revenue REAL DEFAULT 0',
    columns: 'row, key, ts, campaign, variant, status, cost, phone, length',
    // streamed: row, key, time, campaign, variant, status, cost, phone, text
    sql: 'r, CAST(k AS TEXT), segmint_ms(tm), coalesce(c1, \'—\'), coalesce(c2, \'—\'), c3, segmint_cost(c4), c5, segmint_length(c6)',
    js: null, // js: the lengths of this report's texts (buildOutcomes)
    // in DuckDB itself: the cost column is numeric there (duckPlan), the length a joined number (or NULL)
    duck: "r, CAST(k AS VARCHAR), tm, coalesce(c1, '—'), coalesce(c2, '—'), c3, coalesce(c4, 0), c5, c6",
    phone: 'c5',
  },
  sms_receipts: { ddl: 'row INTEGER, key TEXT, ts REAL, cls TEXT', columns: 'row, key, ts, cls', sql: 'r, CAST(k AS TEXT), segmint_ms(tm), c1', js: (r: unknown[]) => [r[0], String(r[1]), ms(r[2]), r[3]], duck: 'r, CAST(k AS VARCHAR), tm, c1' },
  sms_replies: { ddl: 'row INTEGER, key TEXT, ts REAL, unsub INTEGER', columns: 'row, key, ts, unsub', sql: 'r, CAST(k AS TEXT), segmint_ms(tm), segmint_unsub(c1)', js: null, duck: null }, // js: needs the rules in force (withSendOutcomes); replies are always in the workspace
  sms_clicks: { ddl: 'row INTEGER, key TEXT, ts REAL', columns: 'row, key, ts', sql: 'r, CAST(k AS TEXT), segmint_ms(tm)', js: (r: unknown[]) => [r[0], String(r[1]), ms(r[2])], duck: 'r, CAST(k AS VARCHAR), tm' },
  sms_orders: { ddl: 'row INTEGER, key TEXT, ts REAL, amount REAL, cls TEXT', columns: 'row, key, ts, amount, cls', sql: 'r, CAST(k AS TEXT), segmint_ms(tm), c1, c2', js: (r: unknown[]) => [r[0], String(r[1]), ms(r[2]), r[3], r[4]], duck: 'r, CAST(k AS VARCHAR), tm, c1, c2' },
} as const;
type Table = keyof typeof TABLES;

/** How many rows meet `cond`, the same SQL in both engines (DuckDB's sum of a truth value is not SQLite's count). */
export const countIf = (cond: string) => `sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

/** A temporary table's columns in DuckDB's types (the same values: whole numbers, doubles, texts). */
const duckDdl = (ddl: string) => ddl.replace(' PRIMARY KEY', '').replace(/\bTEXT\b/g, 'VARCHAR').replace(/\bREAL\b/g, 'DOUBLE').replace(/\bINTEGER\b/g, 'BIGINT');

/** A date or datetime column: DuckDB reads its stored 'YYYY-MM-DD[ HH:MM:SS]' as `timeMs` does (as timeAggregateSql). */
const duckReadsTime = (info: DatasetInfo) => ['date', 'datetime'].includes(info.columns.find((c) => c.name === roleColumn(info, 'timestamp'))?.type ?? '');

/**
 * Copies an event dataset's rows (through the customer key) into a temporary table: `select` gives
 * the row, key and time text, then the extra columns (c1, c2, …) of the table. `into`: the table is made in
 * DuckDB on that connection (duckPlan) — a DuckDB dataset's rows go there by one INSERT … SELECT, a workspace
 * dataset's through JavaScript by an appender; otherwise it is a temporary table of the workspace.
 */
async function load(db: DB, table: Table, datasetId: string, select: (e: EventSql) => { extra: string[]; where?: string; join?: string }, js: (r: unknown[]) => unknown[] = TABLES[table].js!, beforeDuck?: (c: DuckConnection) => Promise<void>, into?: DuckConnection): Promise<void> {
  const t = TABLES[table];
  const duck = getDataset(db, datasetId).engine === 'duckdb';
  // the columns streamed: r, k, tm, c1, c2, …; from DuckDB the key (a SCV key is 18 characters) and
  // the phone (14) come in halves (readInHalves), joined again below
  const halved = new Set(['k', ...('phone' in t ? [t.phone] : [])]);
  let join: (r: readonly unknown[]) => unknown[] = (r) => [...r];
  const inner = () => {
    const e = eventSql(db, datasetId);
    if (!e.time) throw new AppError('missing_role', `Dataset "${e.info.name}" has no timestamp column.`, `数据集“${e.info.name}”没有“时间”角色的列。`);
    const s = select(e);
    // DuckDB hands a number to JavaScript far faster than a 19-byte text
    const tm = duck && duckReadsTime(e.info) ? `CAST(epoch_ms(CAST(${e.time} AS TIMESTAMP)) AS DOUBLE)` : e.time;
    return { sql: `SELECT t._row AS r, ${e.key} AS k, ${tm} AS tm${s.extra.map((x, i) => `, ${x} AS c${i + 1}`).join('')} FROM ${e.from}${s.join ? ` ${s.join}` : ''} WHERE ${e.time} IS NOT NULL${s.where ? ` AND ${s.where}` : ''}`, extra: s.extra };
  };
  if (into) {
    await into.run(`CREATE TEMP TABLE ${table} (${duckDdl(t.ddl)})`);
    if (duck) {
      // duckPlan has checked the time reads in DuckDB: the rows never leave it
      await beforeDuck?.(into);
      await into.run(`INSERT INTO ${table} (${t.columns}) SELECT ${t.duck} FROM (${inner().sql})`);
      return;
    }
    // a workspace dataset (replies, or orders kept there): its rows as the workspace's table would hold them
    // the import's row writer: the first column (row) a whole number, then each column by its type
    const width = t.columns.split(',').length;
    const types = t.ddl.split(',').slice(1, width).map((c) => ({ TEXT: 'text', REAL: 'decimal', INTEGER: 'integer' })[c.trim().split(/\s+/)[1] as 'TEXT' | 'REAL' | 'INTEGER'] as ColumnType);
    const a = await into.createAppender(table, 'main', 'temp');
    const w = duckRowWriter(a, types);
    for (const r of db.prepare(`SELECT ${t.sql} FROM (${inner().sql})`).raw(true).iterate() as IterableIterator<unknown[]>) {
      for (let j = 0; j < width; j++) w.buf[j] = r[j];
      w.commit();
    }
    // the unlisted columns (replied, clicked …) take their defaults
    a.closeSync();
    return;
  }
  db.exec(`CREATE TEMP TABLE ${table} (${t.ddl})`);
  const sql = () => {
    const q = inner();
    if (!duck) return q.sql;
    const read = readInHalves(['r', 'k', 'tm', ...q.extra.map((_, i) => `c${i + 1}`)].map((n) => (halved.has(n) ? [`CAST(${n} AS VARCHAR)`, true] : [n, false])));
    join = read.join;
    return `SELECT ${read.select} FROM (${q.sql})`;
  };
  if (!duck) {
    // the workspace's rows: one statement (an open read cannot interleave with writes on one connection)
    db.exec(`INSERT INTO ${table} (${t.columns}) SELECT ${t.sql} FROM (${sql()})`);
    return;
  }
  const width = t.columns.split(',').length;
  const rows = rowBatcher(db, table, width, { columns: t.columns });
  await eachRowWhereTheDataIs(db, datasetId, sql, (h) => {
    const v = js(join(h));
    const at = rows.at();
    for (let j = 0; j < width; j++) rows.buf[at + j] = v[j] ?? null;
    rows.commit();
  }, [], undefined, beforeDuck);
  rows.flush();
}

/**
 * The latest send (`s.row`) at or before (strictly before, `strict`) each event of `events`, within
 * `windowMs`, among the sends that pass `sendFilter`; events without one are left out. In DuckDB an ASOF
 * join finds it, over each customer's sends at one time reduced to the last row, as the ORDER BY here ties them.
 */
function matched(events: string, where: string, strict: boolean, windowMs: number, sendFilter = '', duck = false): string {
  if (duck)
    return `SELECT e.*, s.row AS srow FROM (SELECT * FROM ${events} e WHERE e.ts IS NOT NULL${where}) e ASOF JOIN (SELECT s.key, s.ts, max(s.row) AS row FROM sms_sends s WHERE s.ts IS NOT NULL${sendFilter} GROUP BY s.key, s.ts) s ON s.key = e.key AND e.ts ${strict ? '>' : '>='} s.ts WHERE e.ts - s.ts <= ${windowMs}`;
  return `SELECT e.*, s.row AS srow FROM (SELECT e.*, (SELECT s.row FROM sms_sends s WHERE s.key = e.key${sendFilter} AND s.ts ${strict ? '<' : '<='} e.ts ORDER BY s.ts DESC, s.row DESC LIMIT 1) AS m FROM ${events} e WHERE e.ts IS NOT NULL${where}) e JOIN sms_sends s ON s.row = e.m WHERE e.ts - s.ts <= ${windowMs}`;
}

export interface SendOutcomes {
  /** Rows of a query over the table `sms_sends` (one row per send; see TABLES), in the engine it was built in. */
  all(sql: string, ...params: unknown[]): Promise<unknown[][]>;
  /** A whole number of `x` toward zero, in that engine's SQL (SQLite's CAST truncates, DuckDB's rounds). */
  int(x: string): string;
  /** Replies that ask to unsubscribe (credited to a send or not). */
  unsubscribed: number;
  /** Where the tables were made: DuckDB (duckPlan) or the workspace. */
  engine: 'duckdb' | 'sqlite';
}

/**
 * Runs `f` over the table of sends and their outcomes; the temporary tables are dropped after.
 * Sends are the rows with a time, as the sends dataset's order of rows numbers them. `lengths`: each
 * message's segment count and encoding (`lengthOf`), `phones`: the phone it went to. `distinctTexts`: up to
 * how many distinct texts of a DuckDB log are counted once and joined there (default 100,000; beyond, every
 * text streams in). A DuckDB log is worked on in DuckDB itself when it can be (duckPlan); otherwise the
 * tables are the workspace's.
 */
export function withSendOutcomes<T>(db: DB, a: SmsSources, f: (o: SendOutcomes) => Promise<T> | T, o: { phones?: boolean; lengths?: boolean; distinctTexts?: number; inWorkspace?: boolean } = {}): Promise<T> {
  // one at a time per connection: the tables have fixed names, and a DuckDB log streams in over awaits
  // (a report asked while the monitors are worked out waits for them)
  const run = (running.get(db) ?? Promise.resolve()).then(async () => {
    if (!o.inWorkspace && duckPlan(db, a)) {
      const done = await withDuck(db, async (c) => {
        await prepareDuck(db, c);
        return buildOutcomes(db, a, f, o, c);
      });
      if (done !== TOO_MANY_TEXTS) return done as T;
      // too many texts to count there: they stream whole, without counting them a second time
      return withTempTables(db, () => buildOutcomes(db, a, f, { ...o, distinctTexts: 0 }) as Promise<T>);
    }
    return withTempTables(db, () => buildOutcomes(db, a, f, o) as Promise<T>);
  });
  running.set(db, run.catch(() => undefined));
  return run;
}
const running = new WeakMap<DB, Promise<unknown>>();
/** Up to this many distinct message texts are counted once and joined in DuckDB (`buildOutcomes`). */
const DISTINCT_TEXTS = 100_000;
const TEXT_LENGTHS = '_segmint_text_lengths';
const TOO_MANY_TEXTS = Symbol('too many distinct texts');

/**
 * Whether the whole attribution can run in DuckDB: the log is there, and every DuckDB dataset's time is a
 * date or datetime column DuckDB reads as `timeMs` does, and its cost column is numeric (a text cost is read
 * by JavaScript's Number). The rows of workspace datasets (replies, always) are appended there. 1M sends
 * with their orders: the report in 1.7 s instead of 11 s with every send copied into the workspace.
 */
function duckPlan(db: DB, a: SmsSources): boolean {
  const sends = getDataset(db, a.sends);
  if (sends.engine !== 'duckdb') return false;
  const cost = roleColumn(sends, 'cost');
  if (cost && !['integer', 'decimal', 'percent'].includes(sends.columns.find((c) => c.name === cost)!.type)) return false;
  return [a.sends, a.receipts, a.clicks, a.orders].every((id) => {
    if (!id) return true;
    const info = getDataset(db, id);
    return info.engine !== 'duckdb' || duckReadsTime(info);
  });
}

async function buildOutcomes<T>(db: DB, a: SmsSources, f: (o: SendOutcomes) => Promise<T> | T, o: { phones?: boolean; lengths?: boolean; distinctTexts?: number }, duck?: DuckConnection): Promise<T | typeof TOO_MANY_TEXTS> {
  const { rules } = unsubscribeRules(db);
  const unsubOf = (text: unknown) => (detectUnsubscribe(String(text ?? ''), rules).matched ? 1 : 0);
  db.function('segmint_ms', { deterministic: true }, ms);
  const length = lengthsOnce();
  db.function('segmint_length', { deterministic: true }, length);
  db.function('segmint_cost', { deterministic: true }, cost);
  db.function('segmint_unsub', { deterministic: true }, unsubOf);
  // the same steps in either engine: statements, rows, the latest-send match
  const exec = async (sql: string) => {
    if (duck) await duck.run(sql);
    else db.exec(sql);
  };
  const all = async (sql: string, params: unknown[] = []): Promise<unknown[][]> => (duck ? duckAll(duck, sql, params) : withSmallSortRuns(db, () => db.prepare(sql).raw(true).all(...params) as unknown[][]));
  const match = (events: string, where: string, strict: boolean, windowMs: number, sendFilter = '') => matched(events, where, strict, windowMs, sendFilter, !!duck);
  const made: string[] = [];
  const temp = (table: Table) => (made.push(table), table);
  try {
    // a DuckDB log's few distinct texts are counted here and joined there, so its rows bring a number, not the text
    // (streaming a million message texts took longer than the rest of the row); many distinct texts stream whole
    let counted = false;
    const textColumn = o.lengths ? roleColumn(getDataset(db, a.sends), 'message_text') : null;
    const countTexts = async (c: DuckConnection) => {
      if (!textColumn) return;
      const col = `CAST(${qid(textColumn)} AS VARCHAR)`;
      // one scan: one text past the limit says there are too many
      const limit = o.distinctTexts ?? DISTINCT_TEXTS;
      const texts = (await duckAll(c, `SELECT DISTINCT ${col} FROM ${qid(a.sends)} WHERE ${col} IS NOT NULL LIMIT ${limit + 1}`)) as [string][];
      if (texts.length > limit) return;
      await duckTempTexts(c, TEXT_LENGTHS, ['txt', 'len'], texts.map(([t]) => [t, String(length(t) ?? '')]));
      counted = true;
    };
    if (duck) {
      // in DuckDB only with every length a joined number: the texts themselves would need JavaScript
      await countTexts(duck);
      if (textColumn && !counted) return TOO_MANY_TEXTS;
    }
    await load(db, temp('sms_sends'), a.sends, (e) => {
      const r = (role: Parameters<typeof roleColumn>[1]) => roleColumn(e.info, role);
      const [campaign, variant, costCol, phone, text] = [r('campaign'), r('variant'), r('cost'), r('phone'), r('message_text')];
      return {
        extra: [
          campaign ? `CAST(${e.col(campaign)} AS TEXT)` : 'NULL',
          variant ? `CAST(${e.col(variant)} AS TEXT)` : 'NULL',
          e.info.columns.some((c) => c.role === 'sms_status') ? classifySql(db, a.sends, 'sms', 't') : "'delivered'",
          costCol ? e.col(costCol) : '0',
          o.phones && phone ? e.col(phone) : 'NULL',
          !o.lengths || !text ? 'NULL' : counted ? "CAST(nullif(_len.len, '') AS INTEGER)" : e.col(text),
        ],
        // a join, not a subquery per row: DuckDB held the whole log to answer that (+150 MB at 1M sends)
        join: o.lengths && text && counted ? `LEFT JOIN ${TEXT_LENGTHS} _len ON _len.txt = CAST(${e.col(text)} AS VARCHAR)` : undefined,
      };
    }, (r) => [r[0], String(r[1]), ms(r[2]), r[3] ?? '—', r[4] ?? '—', r[5], cost(r[6]), r[7] ?? null, length(r[8])], duck ? undefined : countTexts, duck);
    if (!duck) withSmallSortRuns(db, () => db.exec('CREATE INDEX temp.sms_sends_latest ON sms_sends (key, ts, row)'));
    if (a.receipts) {
      const ri = getDataset(db, a.receipts);
      if (!ri.columns.some((c) => c.role === 'sms_status')) throw new AppError('missing_role', `Receipts "${ri.name}" need a status column (role sms_status).`, `回执数据集“${ri.name}”需要状态列（“短信状态”角色）。`);
      await load(db, temp('sms_receipts'), a.receipts, () => ({ extra: [classifySql(db, a.receipts!, 'sms', 't')] }), undefined, undefined, duck);
      // a receipt decides delivery (gateways leave 成功/submitted = accepted on the send); delivered is applied last
      for (const st of ['failed', 'delivered']) await exec(`UPDATE sms_sends SET status = '${st}' WHERE row IN (SELECT srow FROM (${match('sms_receipts', ` AND e.cls = '${st}'`, false, 3 * DAY)}))`);
    }
    let unsubscribed = 0;
    if (a.replies) {
      await load(db, temp('sms_replies'), a.replies, (e) => {
        const c = roleColumn(e.info, 'reply_text', 'message_text');
        return { extra: [c ? e.col(c) : 'NULL'] };
      }, (r) => [r[0], String(r[1]), ms(r[2]), unsubOf(r[3])], undefined, duck);
      await exec(`UPDATE sms_sends SET replied = 1 WHERE row IN (SELECT srow FROM (${match('sms_replies', '', false, 3 * DAY)}))`);
      await exec(`UPDATE sms_sends SET unsub = 1 WHERE row IN (SELECT srow FROM (${match('sms_replies', ' AND e.unsub = 1', false, 3 * DAY)}))`);
      unsubscribed = Number((await all('SELECT count(*) FROM sms_replies WHERE unsub = 1'))[0]?.[0] ?? 0);
    }
    if (a.clicks) {
      await load(db, temp('sms_clicks'), a.clicks, () => ({ extra: [] }), undefined, undefined, duck);
      await exec(`UPDATE sms_sends SET clicked = 1 WHERE row IN (SELECT srow FROM (${match('sms_clicks', '', false, 3 * DAY)}))`);
    }
    if (a.orders) {
      // every order with a time and a non-zero amount, with its class; valid ones convert, refunded ones are kept apart
      await load(db, temp('sms_orders'), a.orders, () => {
        const p = purchaseSql(db, a.orders!);
        return { extra: [p.amount, p.status], where: `${numericSql(p.info, p.amount)} AND ${p.amount} <> 0` };
      }, undefined, undefined, duck);
      made.push('sms_conv');
      // a refund line may carry a negative amount: its size is what was refunded; a non-positive valid line is not a purchase
      await exec(
        `CREATE TEMP TABLE sms_conv AS SELECT srow, ${countIf("cls = 'valid'")} AS n, sum(CASE WHEN cls = 'valid' THEN amount ELSE 0 END) AS revenue, ${countIf("cls = 'refunded'")} AS rn, sum(CASE WHEN cls = 'refunded' THEN abs(amount) ELSE 0 END) AS rrevenue FROM (${match('sms_orders', " AND (e.cls = 'refunded' OR (e.cls = 'valid' AND e.amount > 0))", true, a.windowDays * DAY, " AND s.status = 'delivered'")}) GROUP BY srow`,
      );
      await exec(`UPDATE sms_sends SET converted = CASE WHEN c.n > 0 THEN 1 ELSE 0 END, revenue = c.revenue, orders = c.n, refunded = c.rn, refunded_revenue = c.rrevenue FROM sms_conv c WHERE c.srow = sms_sends.row`);
    }
    const int = (x: string) => (duck ? `CAST(trunc(${x}) AS BIGINT)` : `CAST(${x} AS INTEGER)`);
    return await f({ all: (sql, ...params) => all(sql, params), int, unsubscribed, engine: duck ? 'duckdb' : 'sqlite' });
  } finally {
    for (const t of made) await exec(`DROP TABLE IF EXISTS temp.${qid(t)}`);
  }
}
