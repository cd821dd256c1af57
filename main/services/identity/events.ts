/**
 * SQL pieces every analysis uses to read events through the identity layer: the dataset `t`
 * with its customer key (through the identity maps), role columns qualified with `t.`, the status
 * class of each row, and — for purchases — the filter "valid order with a time and an amount".
 * Per-customer summaries (RFM's first/last/frequency/monetary) are computed here with GROUP BY,
 * so JavaScript holds one row per customer, never one per order line.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetInfo, Role } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset, missingRole, roleColumn } from '../datasets';
import { classifySql, definitionsUsed, statusKindOf, type DefinitionsUsed } from '../definitions/index';
import { ensureIdentity, linkedRows, prepareDuck } from './index';
import { duckAll, duckRows, withDuck } from '../../db/duckdb';


export interface EventSql {
  info: DatasetInfo;
  /** A subquery aliased `t`: every row of the table that resolves to a customer, with its key. */
  from: string;
  /** The customer key expression. */
  key: string;
  time: string | null;
  /** Amount, or quantity × unit price. */
  amount: string | null;
  invoice: string | null;
  quantity: string | null;
  /** The row's status class (text); a literal when the dataset has no status column. */
  status: string;
  col(name: string): string;
}

/** Event SQL of a dataset keyed by customer id, phone or e-mail (the identity layer is brought up to date first). */
export function eventSql(db: DB, datasetOrInfo: string | DatasetInfo): EventSql {
  const info = typeof datasetOrInfo === 'string' ? getDataset(db, datasetOrInfo) : datasetOrInfo;
  if (!roleColumn(info, 'customer_id', 'phone', 'email')) throw missingRole(info, 'customer id (or phone, or e-mail)', '客户ID（或手机号、邮箱）');
  ensureIdentity(db);
  const c = (name: string | null) => (name ? `t.${qid(name)}` : null);
  const amountCol = roleColumn(info, 'amount');
  const qty = roleColumn(info, 'quantity');
  const price = roleColumn(info, 'unit_price');
  const kind = statusKindOf(info);
  return {
    info,
    // the key is computed once per row inside; SQLite flattens the subquery into the caller's query
    from: `(${linkedRows(info, 't', '_segmint_customer')}) t`,
    key: 't._segmint_customer',
    time: c(roleColumn(info, 'timestamp')),
    amount: amountCol ? c(amountCol) : qty && price ? `(${c(qty)} * ${c(price)})` : null,
    invoice: c(roleColumn(info, 'order_id')),
    quantity: c(qty),
    status: kind ? classifySql(db, info.id, kind, 't') : "'valid'",
    col: (name: string) => `t.${qid(name)}`,
  };
}

export interface PurchaseSql extends EventSql {
  time: string;
  amount: string;
  /** WHERE fragment: a valid order with a time and a numeric amount. */
  valid: string;
  definitions: DefinitionsUsed;
}

/** Purchases of an orders dataset: valid status (cancelled, refunded and pending never count), a time and an amount. */
export function purchaseSql(db: DB, datasetId: string): PurchaseSql {
  const e = eventSql(db, datasetId);
  if (!e.time) throw missingRole(e.info, 'timestamp', '时间');
  if (!e.amount) throw missingRole(e.info, 'amount (or quantity and unit price)', '金额（或数量和单价）');
  return {
    ...e,
    time: e.time,
    amount: e.amount,
    // a DuckDB column holds only numbers (or NULL); a SQLite one could hold text in a derived dataset
    valid: `${e.status} = 'valid' AND ${e.time} IS NOT NULL AND ${e.info.engine === 'duckdb' ? `${e.amount} IS NOT NULL` : `typeof(${e.amount}) IN ('integer', 'real')`}`,
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
export async function customerSummaries(db: DB, datasetId: string, o: SummaryOptions, parseTime: (text: string) => number): Promise<CustomerSummaries & { linesUsed: number; linesTotal: number; sql: PurchaseSql }> {
  if (getDataset(db, datasetId).engine === 'duckdb') {
    // the same SQL, run where the rows are: DuckDB joins the maps and groups in parallel, out of core
    return withDuck(db, async (c) => {
      await prepareDuck(db, c);
      const q = summarySql(db, datasetId, o);
      const cols = summaryColumns(parseTime);
      for await (const rows of duckRows(c, q.sql)) for (const r of rows) cols.add(r);
      const [[total]] = (await duckAll(c, `SELECT count(*) FROM ${qid(datasetId)}`)) as [[number]];
      return { ...cols.done(), linesTotal: total, sql: q.p };
    });
  }
  const q = summarySql(db, datasetId, o);
  const cols = summaryColumns(parseTime);
  for (const r of db.prepare(q.sql).raw(true).iterate() as IterableIterator<unknown[]>) cols.add(r);
  const linesTotal = (db.prepare(`SELECT count(*) AS n FROM ${qid(datasetId)}`).get() as { n: number }).n;
  return { ...cols.done(), linesTotal, sql: q.p };
}

/** The per-customer summary query (one row per customer, in key order): valid purchases up to the as-of day. */
function summarySql(db: DB, datasetId: string, o: SummaryOptions): { sql: string; p: PurchaseSql } {
  const p = purchaseSql(db, datasetId);
  const where = [p.valid];
  if (o.excludeCancellations !== false) {
    where.push(`${p.amount} > 0`);
    if (p.invoice) where.push(`coalesce(CAST(${p.invoice} AS TEXT), '') NOT LIKE 'C%'`);
    if (p.quantity) where.push(`coalesce(${p.quantity}, 0) >= 0`);
  }
  // the as-of day is a checked date (YYYY-MM-DD); written as a literal so both engines read the same text
  if (o.asOf) where.push(`${p.time} <= '${o.asOf.replace(/'/g, "''")} 23:59:59.999'`);
  const freq = p.invoice ? `count(DISTINCT coalesce(CAST(${p.invoice} AS TEXT), substr(${p.time}, 1, 10)))` : `count(DISTINCT substr(${p.time}, 1, 10))`;
  // ORDER BY the grouping key costs nothing more in SQLite: its GROUP BY already emits groups in key order
  // DuckDB hands a long text to JavaScript far slower than a number (0.5 s per 200k times, measured): it
  // gives the first and last time as epoch ms, which is what parseTime makes of the ISO text ('…Z', UTC)
  const at = (agg: string) => (p.info.engine === 'duckdb' ? `CAST(epoch_ms(CAST(${agg}(${p.time}) AS TIMESTAMP)) AS DOUBLE)` : `${agg}(${p.time})`);
  return { p, sql: `SELECT ${p.key}, ${at('min')}, ${at('max')}, ${freq}, sum(${p.amount}), count(*) FROM ${p.from} WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1` };
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
