/**
 * SQL pieces every analysis uses to read events through the identity layer: the dataset `t`
 * with its customer key (through the identity maps), role columns qualified with `t.`, the status
 * class of each row, and — for purchases — the filter "valid order with a time and an amount".
 * Per-customer summaries (RFM's first/last/frequency/monetary) are computed here with GROUP BY,
 * so JavaScript holds one row per customer, never one per order line.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetInfo, Role } from '../../../shared/types';
import { qid, sqlText, withSmallSortRuns, type DB } from '../../db/open';
import { getDataset, missingRole, roleColumn } from '../datasets';
import { classifySql, definitionsUsed, statusKindOf, type DefinitionsUsed } from '../definitions/index';
import { ensureIdentity, linkedRows, numberedRows, prepareDuck } from './index';
import { knownFact } from '../datasets/column-facts';
import { duckAll, duckRows, watchedQuery, withDuck, type DuckConnection, type QueryWatch } from '../../db/duckdb';


export interface EventSql {
  info: DatasetInfo;
  /** A subquery aliased `t`: every row of the table that resolves to a customer, with its key. */
  from: string;
  /** The customer key expression: the customer's key, or its number when `numbered`. */
  key: string;
  /** Whether `key` is the customer's number in key order (identity_names.no of the DuckDB file) rather than its key. */
  numbered: boolean;
  time: string | null;
  /** The time as a TIMESTAMP kept beside numbered DuckDB rows (numberedRows), else null: where present, the time text need not be read. */
  timeValue: string | null;
  /** Amount, or quantity × unit price. */
  amount: string | null;
  invoice: string | null;
  quantity: string | null;
  /** The row's status class (text); a literal when the dataset has no status column. */
  status: string;
  col(name: string): string;
}

/** Event SQL of a dataset keyed by customer id, phone or e-mail (the identity layer is brought up to date first). */
export function eventSql(db: DB, datasetOrInfo: string | DatasetInfo, o: KeyOptions = {}): EventSql {
  const info = typeof datasetOrInfo === 'string' ? getDataset(db, datasetOrInfo) : datasetOrInfo;
  if (!roleColumn(info, 'customer_id', 'phone', 'email')) throw missingRole(info, 'customer id (or phone, or e-mail)', '客户ID（或手机号、邮箱）');
  ensureIdentity(db);
  const c = (name: string | null) => (name ? `t.${qid(name)}` : null);
  const amountCol = roleColumn(info, 'amount');
  const qty = roleColumn(info, 'quantity');
  const price = roleColumn(info, 'unit_price');
  const kind = statusKindOf(info);
  const byNumber = o.numbered ? numberedRows(db, info) : null;
  return {
    info,
    // the key is computed once per row inside; SQLite flattens the subquery into the caller's query
    from: byNumber?.from ?? `(${linkedRows(db, info, 't', '_segmint_customer')}) t`,
    key: byNumber ? 't._segmint_no' : 't._segmint_customer',
    numbered: !!byNumber,
    time: c(roleColumn(info, 'timestamp')),
    timeValue: byNumber?.time ?? null,
    amount: amountCol ? c(amountCol) : qty && price ? `(${c(qty)} * ${c(price)})` : null,
    invoice: c(roleColumn(info, 'order_id')),
    quantity: c(qty),
    status: kind ? classifySql(db, info.id, kind, 't') : "'valid'",
    col: (name: string) => `t.${qid(name)}`,
  };
}

export interface KeyOptions {
  /** Key DuckDB rows by customer number (numberedRows) where they are numbered: for a grouping whose caller joins identity_names itself. */
  numbered?: boolean;
}

export interface PurchaseSql extends EventSql {
  time: string;
  amount: string;
  /** WHERE fragment: a valid order with a time and a numeric amount. */
  valid: string;
  definitions: DefinitionsUsed;
}

/** A number in an amount column: a DuckDB column holds only numbers (or NULL); a SQLite one could hold text in a derived dataset. */
export function numericSql(info: DatasetInfo, column: string): string {
  return info.engine === 'duckdb' ? `${column} IS NOT NULL` : `typeof(${column}) IN ('integer', 'real')`;
}

/**
 * Σ of money, the same in every run: DuckDB adds a group's doubles in whatever order its threads
 * meet them, so at 5M orders a quarter of the customers' sums differed in the last bits from one run
 * to the next (and a mean of two amounts at a half cent, 395.925, was shown as .92 or .93). Summed as
 * exact decimals (six places) it is the same every time; SQLite sums in row order. An absurd amount
 * (≥ 1e30, beyond the decimal's range; the import takes numbers up to 1e308) is added as a double
 * rather than failing the analysis. A double, as JavaScript reads it; a sum of such sums is exact
 * again (each is the double nearest a six-place decimal).
 */
export function moneySum(info: DatasetInfo, expr: string, o: { modest?: boolean; present?: boolean } = {}): string {
  if (info.engine !== 'duckdb') return `sum(${expr})`;
  // every amount below 1e30 (the column's 'modest' fact) and one in every group (the rows were filtered on it): one sum
  if (o.modest && o.present) return `CAST(sum(CAST(${expr} AS DECIMAL(38, 6))) AS DOUBLE)`;
  const huge = `abs(${expr}) >= 1e30`;
  return `CASE WHEN count(${expr}) > 0 THEN coalesce(CAST(sum(CAST(CASE WHEN NOT ${huge} THEN ${expr} END AS DECIMAL(38, 6))) AS DOUBLE), 0) + coalesce(sum(CASE WHEN ${huge} THEN ${expr} END), 0) END`;
}

/** Purchases of an orders dataset: valid status (cancelled, refunded and pending never count), a time and an amount. */
export function purchaseSql(db: DB, datasetId: string, o: KeyOptions = {}): PurchaseSql {
  const e = eventSql(db, datasetId, o);
  if (!e.time) throw missingRole(e.info, 'timestamp', '时间');
  if (!e.amount) throw missingRole(e.info, 'amount (or quantity and unit price)', '金额（或数量和单价）');
  return {
    ...e,
    time: e.time,
    amount: e.amount,
    valid: `${e.status} = 'valid' AND ${e.timeValue ?? e.time} IS NOT NULL AND ${numericSql(e.info, e.amount)}`,
    definitions: definitionsUsed(db, [datasetId]),
  };
}

/** Per-customer summaries as columns, in customer-key order: first and last purchase time, orders and money. */
export interface CustomerSummaries {
  keys: string[];
  /** Epoch ms, as the caller's time parser reads the time text. */
  first: Float64Array;
  last: Float64Array;
  /** Distinct order ids (or purchase days when there is no order id). */
  frequency: Float64Array;
  monetary: Float64Array;
}

export interface SummaryOptions {
  /** Only purchases up to the end of this day (YYYY-MM-DD). */
  asOf?: string;
  /** Drop invoice 'C…', negative quantities and non-positive amounts (RFM's convention). */
  excludeCancellations?: boolean;
}

/**
 * One row per customer, grouped in SQL and streamed into columns (no object per customer): memory
 * is a few numbers per customer, whatever the number of order lines.
 */
export async function customerSummaries(db: DB, datasetId: string, o: SummaryOptions, parseTime: (text: string) => number, watch?: QueryWatch): Promise<CustomerSummaries & { linesUsed: number; linesTotal: number; sql: PurchaseSql }> {
  const cols = summaryColumns(parseTime);
  let q: { sql: string; p: PurchaseSql } | null = null;
  const sql = () => {
    q = summarySql(db, datasetId, { ...o, numbered: true });
    return byCustomerKey(q.p, q.sql);
  };
  const [[[linesTotal]]] = await eachRowWhereTheDataIs(db, datasetId, sql, (r) => cols.add(r), [`SELECT count(*) FROM ${qid(datasetId)}`], watch);
  return { ...cols.done(), linesTotal: linesTotal as number, sql: q!.p };
}

/**
 * A grouping of one row per customer `k` (first column) as the customer's key and the other columns,
 * in key order: a numbered grouping (DuckDB rows keyed by customer number, numberedRows) has its
 * numbers swapped for the keys of identity_names, after the grouping — once per customer, not per row.
 * `names` (DuckDB only): `k` kept first, then the key, member id and phone of identity_names.
 */
export function byCustomerKey(p: EventSql, grouped: string, o: { names?: boolean } = {}): string {
  if (o.names) return `SELECT _g.k, ${p.numbered ? '_n.customer_id' : '_g.k'}, _n.member_id, _n.phone, _g.* EXCLUDE (k) FROM (${grouped}) _g LEFT JOIN identity_names _n ON _n.${p.numbered ? 'no' : 'customer_id'} = _g.k ORDER BY _g.k`;
  // SQLite's GROUP BY already emits its groups in key order: ordering by the key there costs nothing more
  return p.numbered ? `SELECT _n.customer_id, _g.* EXCLUDE (k) FROM (${grouped}) _g JOIN identity_names _n ON _n.no = _g.k ORDER BY _g.k` : `${grouped} ORDER BY k`;
}

/**
 * Runs a query in the engine that holds the dataset's rows — DuckDB (identity maps synced first) or
 * the workspace — streaming each result row to `add`; `small` queries after it come back whole. The
 * SQL is built after the identity layer is brought up to date, as it names the maps in force.
 */
export async function eachRowWhereTheDataIs(db: DB, datasetId: string, sql: () => string, add: (r: unknown[]) => void, small: (() => string) | string[] = [], watch?: QueryWatch, beforeDuck?: (c: DuckConnection) => Promise<void>): Promise<unknown[][][]> {
  const smallSql = () => (typeof small === 'function' ? [small()] : small).filter(Boolean);
  if (getDataset(db, datasetId).engine === 'duckdb') {
    // the same SQL, run where the rows are: DuckDB joins the maps and groups in parallel, out of core;
    // a job sees DuckDB's row counts as progress and its cancel stops the query
    return withDuck(db, async (c) => {
      await prepareDuck(db, c);
      await beforeDuck?.(c); // e.g. a temporary table the query joins, on its connection, before sql() is built
      return watchedQuery(c, watch, 'duckdb', async () => {
        for await (const rows of duckRows(c, sql())) for (const r of rows) add(r);
        const out: unknown[][][] = [];
        for (const s of smallSql()) out.push(await duckAll(c, s));
        return out;
      });
    });
  }
  withSmallSortRuns(db, () => {
    for (const r of db.prepare(sql()).raw(true).iterate() as IterableIterator<unknown[]>) add(r);
  });
  return smallSql().map((s) => db.prepare(s).raw(true).all() as unknown[][]);
}

/**
 * Calendar-day number (days since 1970-01-01) of a time column's text, the day `timeMs` would give;
 * from the time kept as a TIMESTAMP beside numbered DuckDB rows (`value`, EventSql.timeValue) when
 * there is one, rather than from each row's text.
 */
function dayNumberSql(info: DatasetInfo, time: string, value: string | null): string {
  if (info.engine !== 'duckdb') return `CAST(julianday(substr(${time}, 1, 10)) - 2440587.5 AS INTEGER)`;
  return `date_diff('day', DATE '1970-01-01', ${duckDaySql(time, value)})`;
}

/** A row's calendar day on DuckDB as a DATE: from its kept TIMESTAMP (EventSql.timeValue) where there is one, else from its time text. */
export function duckDaySql(time: string, value: string | null): string {
  return `CAST(${value ?? `substr(${time}, 1, 10)`} AS DATE)`;
}

/** Per-customer purchase days for the "buy till you die" models, in customer-key order; days are day numbers. */
export interface PurchaseDays {
  keys: string[];
  /** First and last purchase day up to the calibration end. */
  first: Float64Array;
  last: Float64Array;
  /** Distinct purchase days up to the calibration end. */
  days: Float64Array;
  /** Money spent up to the calibration end, and on the first day alone. */
  calibrationAmount: Float64Array;
  firstDayAmount: Float64Array;
  /** The last purchase day of any customer (up to the observation end). */
  maxDay: number;
  /** Cohort customers' purchase days after the calibration end, counted per day (empty without a hold-out). */
  holdoutPerDay: [day: number, customers: number][];
  linesUsed: number;
}

/**
 * lifetimes' calibration/hold-out summary (freq='D') grouped in SQL where the rows are: valid
 * purchases, one purchase per customer and calendar day (amounts summed, negatives as 0), days after
 * `obsDay` ignored, and customers whose first day is after `calDay` left out. JavaScript receives one
 * row per customer. `calDay` / `obsDay` absent: no limit (the caller takes the last day found).
 */
export async function purchaseDaySummaries(db: DB, datasetId: string, o: { calDay?: number; obsDay?: number }, watch?: QueryWatch): Promise<PurchaseDays & { sql: PurchaseSql }> {
  const keys: string[] = [];
  const cols = Array.from({ length: 5 }, () => [] as number[]);
  let maxDay = -Infinity;
  let linesUsed = 0;
  let p: PurchaseSql | null = null;
  let daily = '';
  const cal = o.calDay === undefined ? null : Math.floor(o.calDay);
  const inCal = (what: string) => (cal === null ? what : `CASE WHEN d <= ${cal} THEN ${what} END`);
  const build = () => {
    p = purchaseSql(db, datasetId, { numbered: true });
    const day = dayNumberSql(p.info, p.time, p.timeValue);
    const obs = o.obsDay === undefined ? '' : ` AND ${day} <= ${Math.floor(o.obsDay)}`;
    // one row per (customer, day); the first day's amount is not a repeat purchase's: DuckDB picks it
    // with arg_min; SQLite, which has no arg_min, numbers each customer's days with a window (which
    // DuckDB would sort and hold, partition by partition, on top of the grouping)
    const duck = p.info.engine === 'duckdb';
    const perDay = `SELECT ${p.key} AS k, ${day} AS d, ${moneySum(p.info, `CASE WHEN ${p.amount} > 0 THEN ${p.amount} ELSE 0 END`)} AS a, count(*) AS n FROM ${p.from} WHERE ${p.valid}${obs} AND ${p.key} IS NOT NULL GROUP BY 1, 2`;
    daily = duck ? perDay : `SELECT k, d, a, n, row_number() OVER (PARTITION BY k ORDER BY d) AS rn FROM (${perDay}) x`;
    const firstAmount = duck ? 'arg_min(a, d)' : 'sum(CASE WHEN rn = 1 THEN a ELSE 0 END)';
    return byCustomerKey(p, `SELECT k, min(${inCal('d')}), max(${inCal('d')}), sum(${inCal('1')}), ${moneySum(p.info, inCal('a'))}, ${firstAmount}, max(d), sum(n) FROM (${daily}) y GROUP BY k`);
  };
  // per day after the calibration end: how many cohort customers (first day on or before it) bought
  const holdoutSql = () => (cal === null ? '' : `SELECT d, count(*) FROM (${daily}) y WHERE d > ${cal} AND k IN (SELECT k FROM (${daily}) z GROUP BY k HAVING min(d) <= ${cal}) GROUP BY d ORDER BY d`);
  const [holdout = []] = await eachRowWhereTheDataIs(
    db,
    datasetId,
    build,
    (r) => {
      maxDay = Math.max(maxDay, r[6] as number);
      linesUsed += r[7] as number;
      if (r[1] === null) return; // first purchase after the calibration end: not in the cohort
      keys.push(r[0] as string);
      for (let j = 0; j < 5; j++) cols[j]!.push(Number(r[j + 1] ?? 0));
    },
    holdoutSql,
    watch,
  );
  const f = (j: number) => Float64Array.from(cols[j]!);
  return {
    keys,
    first: f(0),
    last: f(1),
    days: f(2),
    calibrationAmount: f(3),
    firstDayAmount: f(4),
    maxDay,
    holdoutPerDay: holdout.map((r) => [Number(r[0]), Number(r[1])]),
    linesUsed,
    sql: p!,
  };
}

/** The per-customer summary query (one row per customer `k`, unordered: byCustomerKey orders it): valid purchases up to the as-of day. */
export function summarySql(db: DB, datasetId: string, o: SummaryOptions & KeyOptions): { sql: string; p: PurchaseSql } {
  const p = purchaseSql(db, datasetId, o);
  const orderId = roleColumn(p.info, 'order_id');
  const where = [p.valid];
  if (o.excludeCancellations !== false) {
    where.push(`${p.amount} > 0`);
    // (moot where no order id starts with 'C', known for DuckDB datasets: the column is then not read)
    if (p.invoice && !(orderId && knownFact(db, p.info, orderId, 'no_c_prefix') === true)) where.push(`coalesce(CAST(${p.invoice} AS TEXT), '') NOT LIKE 'C%'`);
    if (p.quantity) where.push(`coalesce(${p.quantity}, 0) >= 0`);
  }
  // the as-of day is a checked date (YYYY-MM-DD); written as a literal so both engines read the same text
  if (o.asOf) {
    const end = sqlText(`${o.asOf} 23:59:59.999`);
    where.push(p.timeValue ? `${p.timeValue} <= TIMESTAMP ${end}` : `${p.time} <= ${end}`);
  }
  // one row per order (order ids present and unique in the whole dataset; known for DuckDB datasets,
  // read as their caches are): a customer's orders are their rows. SQLite's summary was not faster
  // with count(*) than with count(DISTINCT …) (9.9 s against 11.3 s at 5M orders), so it is not asked there
  const rowsAreOrders = orderId !== null && knownFact(db, p.info, orderId, 'unique') === true;
  const freq = rowsAreOrders ? 'count(*)' : p.invoice ? `count(DISTINCT coalesce(CAST(${p.invoice} AS TEXT), substr(${p.time}, 1, 10)))` : `count(DISTINCT substr(${p.time}, 1, 10))`;
  const at = (agg: 'min' | 'max') => timeAggregateSql(p.info, agg, p.time, p.timeValue);
  const amountCol = roleColumn(p.info, 'amount');
  const modest = amountCol !== null && p.amount === p.col(amountCol) && knownFact(db, p.info, amountCol, 'modest') === true;
  return { p, sql: `SELECT ${p.key} AS k, ${at('min')}, ${at('max')}, ${freq}, ${moneySum(p.info, p.amount, { modest, present: true })}, count(*) FROM ${p.from} WHERE ${where.join(' AND ')} GROUP BY 1` };
}

/**
 * min/max of a time column: its text on SQLite; epoch ms (what `timeMs` makes of the text, read as
 * UTC) on DuckDB, which hands a long text to JavaScript far slower than a number (0.5 s per 200k, measured).
 * DuckDB takes min/max of the times, not of their texts: a 19-byte text is compared through a pointer,
 * and at 5M orders min and max of the text took 1.7 s of the 2.2 s grouping, of the parsed times 0.2 s.
 * The texts are the import's 'YYYY-MM-DD[ HH:MM:SS]', whose text order is their time order.
 * `value`: the same times already as a TIMESTAMP (EventSql.timeValue), taken instead of casting the texts.
 */
export function timeAggregateSql(info: DatasetInfo, agg: 'min' | 'max', time: string, value: string | null = null): string {
  return info.engine === 'duckdb' ? `CAST(epoch_ms(${agg}(${value ?? `CAST(${time} AS TIMESTAMP)`})) AS DOUBLE)` : `${agg}(${time})`;
}

/** Summary rows into columns: `add` each row in key order, then `done`. */
function summaryColumns(parseTime: (text: string) => number) {
  const keys: string[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  let linesUsed = 0;
  return {
    add([key, f, l, n, m, lines]: unknown[]): void {
      keys.push(key as string);
      first.push(typeof f === 'number' ? f : parseTime(String(f)));
      last.push(typeof l === 'number' ? l : parseTime(String(l)));
      frequency.push(n as number);
      monetary.push(m as number);
      linesUsed += lines as number;
    },
    done: (): CustomerSummaries & { linesUsed: number } => ({ keys, first: Float64Array.from(first), last: Float64Array.from(last), frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary), linesUsed }),
  };
}
