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
import { ensureIdentity, linkedRows } from './index';


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
    valid: `${e.status} = 'valid' AND ${e.time} IS NOT NULL AND typeof(${e.amount}) IN ('integer', 'real')`,
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
export function customerSummaries(db: DB, datasetId: string, o: SummaryOptions, parseTime: (text: string) => number): CustomerSummaries & { linesUsed: number; linesTotal: number; sql: PurchaseSql } {
  const p = purchaseSql(db, datasetId);
  const where = [p.valid];
  const params: unknown[] = [];
  if (o.excludeCancellations !== false) {
    where.push(`${p.amount} > 0`);
    if (p.invoice) where.push(`coalesce(CAST(${p.invoice} AS TEXT), '') NOT LIKE 'C%'`);
    if (p.quantity) where.push(`coalesce(${p.quantity}, 0) >= 0`);
  }
  if (o.asOf) {
    where.push(`${p.time} <= ?`);
    params.push(`${o.asOf} 23:59:59.999`);
  }
  const freq = p.invoice ? `count(DISTINCT coalesce(CAST(${p.invoice} AS TEXT), substr(${p.time}, 1, 10)))` : `count(DISTINCT substr(${p.time}, 1, 10))`;
  const keys: string[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  let linesUsed = 0;
  // ORDER BY the grouping key costs nothing more: SQLite's GROUP BY already emits groups in key order
  const rows = db.prepare(`SELECT ${p.key}, min(${p.time}), max(${p.time}), ${freq}, sum(${p.amount}), count(*) FROM ${p.from} WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`).raw(true).iterate(...params) as IterableIterator<[string, string, string, number, number, number]>;
  for (const [key, f, l, n, m, lines] of rows) {
    keys.push(key);
    first.push(parseTime(String(f)));
    last.push(parseTime(String(l)));
    frequency.push(n);
    monetary.push(m);
    linesUsed += lines;
  }
  const linesTotal = (db.prepare(`SELECT count(*) AS n FROM ${qid(p.info.id)}`).get() as { n: number }).n;
  return { keys, first: Float64Array.from(first), last: Float64Array.from(last), frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary), linesUsed, linesTotal, sql: p };
}
