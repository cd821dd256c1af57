// SQL-first per-customer summaries behind a small dialect seam (pure: builds SQL text, never touches a DB).
// The engine that holds the rows runs the aggregate; JavaScript only sees one row per customer or per cell.

export type Dialect = 'sqlite' | 'duckdb' | 'clickhouse' | 'postgres';

/** Where the rows come from: a table or a subquery, and the expressions that give key, time and amount. */
export interface SqlSource {
  table?: string;
  subquery?: string;
  customerKey: string;
  time: string;
  amount: string;
  item?: string;
  valid?: string;
}

interface DialectOps {
  /** Days since the epoch (fractional) of a time expression. */
  days(expr: string): string;
  /** A text literal for an ISO date/time. */
  literal(iso: string): string;
  /** Count of distinct values. */
  countDistinct(expr: string): string;
  /** Weekday 0=Monday..6=Sunday and hour 0..23. */
  weekday(expr: string): string;
  hour(expr: string): string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

// ClickHouse 18.16: no EXTRACT(EPOCH), no date arithmetic on strings; toDateTime + toUInt32 exist since early releases.
const OPS: Record<Dialect, DialectOps> = {
  sqlite: {
    days: (e) => `(julianday(${e}) - 2440587.5)`,
    literal: quote,
    countDistinct: (e) => `COUNT(DISTINCT ${e})`,
    weekday: (e) => `((CAST(strftime('%w', ${e}) AS INTEGER) + 6) % 7)`,
    hour: (e) => `CAST(strftime('%H', ${e}) AS INTEGER)`,
  },
  duckdb: {
    days: (e) => `(epoch(CAST(${e} AS TIMESTAMP)) / 86400.0)`,
    literal: quote,
    countDistinct: (e) => `COUNT(DISTINCT ${e})`,
    weekday: (e) => `(isodow(CAST(${e} AS TIMESTAMP)) - 1)`,
    hour: (e) => `hour(CAST(${e} AS TIMESTAMP))`,
  },
  clickhouse: {
    days: (e) => `(toUInt32(toDateTime(${e})) / 86400.)`,
    literal: quote,
    countDistinct: (e) => `uniqExact(${e})`,
    weekday: (e) => `(toDayOfWeek(toDateTime(${e})) - 1)`,
    hour: (e) => `toHour(toDateTime(${e}))`,
  },
  postgres: {
    days: (e) => `(EXTRACT(EPOCH FROM CAST(${e} AS timestamp)) / 86400.0)`,
    literal: quote,
    countDistinct: (e) => `COUNT(DISTINCT ${e})`,
    weekday: (e) => `((CAST(EXTRACT(ISODOW FROM CAST(${e} AS timestamp)) AS integer)) - 1)`,
    hour: (e) => `CAST(EXTRACT(HOUR FROM CAST(${e} AS timestamp)) AS integer)`,
  },
};

function from(src: SqlSource): string {
  if (src.subquery) return `(${src.subquery}) AS src`;
  if (!src.table) throw new Error('SqlSource needs a table or a subquery');
  return `${src.table} AS src`;
}

/** Rows of the source that count: valid, with a key and a time, and not after the as-of instant. */
function rowsUpTo(src: SqlSource, d: DialectOps, asOf: string): string {
  const conds = [`${src.customerKey} IS NOT NULL`, `${src.time} IS NOT NULL`, `${d.days(src.time)} <= ${d.days(d.literal(asOf))}`];
  if (src.valid) conds.push(`(${src.valid})`);
  return `SELECT ${src.customerKey} AS ck, ${d.days(src.time)} AS dd, ${src.amount} AS amt${src.item ? `, ${src.item} AS item` : ''} FROM ${from(src)} WHERE ${conds.join(' AND ')}`;
}

/**
 * One row per customer: recency_days, frequency (orders), monetary (sum), first/last day, and the BG/NBD inputs
 * x = frequency - 1 (repeat purchases), t_x = last - first (days), T = asOf - first (days), mean repeat value
 * (mean amount of the purchases after the first; 0 when none). Ordered by customer key.
 */
export function customerSummarySql(dialect: Dialect, src: SqlSource, asOf: string): string {
  const d = OPS[dialect];
  const now = d.days(d.literal(asOf));
  const distinctItems = src.item ? `, ${d.countDistinct('item')} AS distinct_items` : '';
  const firstAmt = `SUM(CASE WHEN dd = fd THEN amt ELSE 0 END)`;
  return `SELECT ck AS customer_key, COUNT(*) AS frequency, SUM(amt) AS monetary,
  ${now} - MAX(dd) AS recency_days, MIN(dd) AS first_day, MAX(dd) AS last_day,
  COUNT(*) - 1 AS x, MAX(dd) - MIN(dd) AS t_x, ${now} - MIN(dd) AS T,
  CASE WHEN COUNT(*) > 1 THEN (SUM(amt) - ${firstAmt} / SUM(CASE WHEN dd = fd THEN 1 ELSE 0 END)) / (COUNT(*) - 1) ELSE 0 END AS mean_repeat_value${distinctItems}
FROM (SELECT r.ck AS ck, r.dd AS dd, r.amt AS amt${src.item ? ', r.item AS item' : ''}, f.fd AS fd
  FROM (${rowsUpTo(src, d, asOf)}) AS r
  JOIN (SELECT ck, MIN(dd) AS fd FROM (${rowsUpTo(src, d, asOf)}) AS r0 GROUP BY ck) AS f ON f.ck = r.ck) AS j
GROUP BY ck ORDER BY ck`;
}

/** Funnel counts: distinct customers per stage, each stage a predicate on the same source. */
export function funnelCountsSql(dialect: Dialect, src: SqlSource, stages: { name: string; predicate: string }[]): string {
  const d = OPS[dialect];
  const cols = stages.map((s, i) => `${d.countDistinct(`CASE WHEN ${s.predicate} THEN ${src.customerKey} END`)} AS stage_${i}`);
  const where = src.valid ? ` WHERE ${src.valid}` : '';
  return `SELECT ${cols.join(', ')} FROM ${from(src)}${where}`;
}

/** Send-time grid: rows per weekday (0=Mon) × hour. */
export function sendTimeGridSql(dialect: Dialect, src: SqlSource): string {
  const d = OPS[dialect];
  const where = [`${src.time} IS NOT NULL`, ...(src.valid ? [`(${src.valid})`] : [])].join(' AND ');
  return `SELECT wd, hr, COUNT(*) AS n FROM (SELECT ${d.weekday(src.time)} AS wd, ${d.hour(src.time)} AS hr FROM ${from(src)} WHERE ${where}) AS g GROUP BY wd, hr ORDER BY wd, hr`;
}

/** A rule segment's size: customers whose summary satisfies the rule (a predicate over the summary's columns). */
export function ruleCountSql(dialect: Dialect, src: SqlSource, asOf: string, rule: string): string {
  return `SELECT COUNT(*) AS n FROM (${customerSummarySql(dialect, src, asOf)}) AS s WHERE ${rule}`;
}
