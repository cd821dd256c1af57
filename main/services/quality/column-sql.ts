/**
 * The quality profile of one column, and the rows behind its counts, computed where the rows are.
 *
 * The engine that holds the dataset (SQLite, or DuckDB for a big one) scans, groups and sorts; JavaScript
 * sees per-value and per-bin results, a pattern sample of at most ~65k values, and streams: the rows it
 * must judge itself (phones and e-mails that are not plainly valid, the import's untyped cells) pass
 * through a chunk at a time and are not kept. Memory is bounded by what the profile shows, not by rows.
 * (5M DuckDB orders: 67.6 s and 2.84 GB when each column came whole into JavaScript, 25 s and 1.2 GB —
 * DuckDB's own 1 GB cap included — this way; 1M SQLite orders: 24 s either way, 1.34 GB → 0.34 GB.)
 *
 * Per column: one scan counts rows, missing values and text lengths; one GROUP BY puts the values with
 * their counts in a scratch table, and distinct, min/max, top values, mean, standard deviation,
 * quartiles and the MAD (running counts in value order), outlier counts and the histogram are read
 * from those groups; outlier and invalid row lists read the rows again, in row order, up to their cap.
 * The same SQL runs on both engines; the definitions are those of `profileColumn`
 * (main/analysis/quality/profile.ts), which stays the reference for values in memory, and the tests hold
 * this against it on a messy export.
 *
 * The profiled relation `v` has, per row, `_row`, the typed value `x`, and for cells the import could not
 * type (`x` NULL, the text kept in the raw diff) that text `raw` and, for numeric and date columns, the
 * number it reads as `num` (days since 1970 for dates). Those cells are read from the workspace, judged in
 * JavaScript (a placeholder such as 'N/A' is missing, as at import) and loaded into a temporary table of
 * the engine that `v` joins by `_row`.
 *
 * Differences from the in-memory profile, both towards exactness: distinct counts and top values are
 * exact at any size (it estimates past 100k distinct values), and text lengths are in code points
 * (JavaScript counts UTF-16 units: the two differ only for characters outside the BMP).
 */
import type { ColumnType, DatasetColumn, DatasetInfo } from '../../../shared/types';
import type { ColumnProfile, HistogramBin, Stats } from '../../../shared/api/quality-model';
import type { Problem } from '../../../shared/api/quality';
import { qid, sqlText, withTempTables, type DB } from '../../db/open';
import { duckAll, duckRowWriter, duckRows, watchedQuery, withDuck, type DuckConnection, type QueryWatch } from '../../db/duckdb';
import { MISSING_WORDS, cnSurelyMobilePrefixes, isMissingValue } from '../../kernel/values';
import { isoToDays, normalizeDate, toNumber, type Cell } from '../../analysis/clean/values';
import { DATES, NUMERIC, PATTERN_SAMPLE, binLayout, binsOf, columnScore, patternOf, placeStats, validity } from '../../analysis/quality/profile';
import { madFencesOf, tukeyFences } from '../../analysis/quality/outliers';
import type { Fences, OutlierHits } from '../../analysis/quality/outliers';
import { tableNames } from '../datasets';
import { rawLayout } from '../import/raw';
import { findColumn } from './read';

type Engine = { dialect: 'sqlite' | 'duckdb'; all(sql: string): Promise<unknown[][]>; each(sql: string): AsyncIterable<unknown[]> | Iterable<unknown[]> };
type Kind = 'number' | 'date' | 'text';

/** One column of a dataset, ready for the profile's SQL. */
export interface ColumnRelation {
  engine: Engine;
  col: DatasetColumn;
  kind: Kind;
  /** `(SELECT _row, x, raw, num …) AS v` */
  from: string;
  /** The row holds no value (NULL, blank, or a placeholder in a typed column). */
  isNull: string;
  /** Numbers and dates: the value the statistics use (days for dates; NULL when missing, invalid or, in an integer column, fractional). */
  val: string;
  /** Text columns: the value as text. */
  s: string;
  /** A temporary table of the engine holding a SELECT's rows (dropped with the relation); its name. */
  scratch(select: string): Promise<string>;
}

const TYPED_AS_NUMBER: ReadonlySet<ColumnType> = new Set(['integer', 'decimal', 'percent', 'boolean']);
const ROW_SQL_CAP = 20_000;
let temps = 0;

const num = (x: number) => `CAST(${Number.isFinite(x) ? String(x) : 'NULL'} AS DOUBLE)`;

/**
 * Runs `f` on the column where its dataset's rows are; the temporary tables are dropped after. With a
 * job's `watch`, a cancel stops it between queries and every 65,536 streamed rows, and on DuckDB
 * interrupts the running query (which reports the rows it has processed).
 */
export async function withColumnRelation<T>(db: DB, info: DatasetInfo, name: string, f: (r: ColumnRelation) => Promise<T>, watch?: QueryWatch): Promise<T> {
  const col = findColumn(info, name);
  const check = () => watch?.checkCancel();
  if (info.engine === 'duckdb') return withDuck(db, (c) => watchedQuery(c, watch, col.name, () => onEngine(db, info, col, duckEngine(c, check), c, f)));
  const sqlite: Engine = {
    dialect: 'sqlite',
    all: async (sql) => {
      check();
      return db.prepare(sql).raw(true).all() as unknown[][];
    },
    each: function* (sql) {
      check();
      let n = 0;
      for (const row of db.prepare(sql).raw(true).iterate() as IterableIterator<unknown[]>) {
        if ((++n & 0xffff) === 0) check();
        yield row;
      }
    },
  };
  return withTempTables(db, () => onEngine(db, info, col, sqlite, null, f));
}

function duckEngine(c: DuckConnection, check: () => void): Engine {
  return {
    dialect: 'duckdb',
    all: (sql) => {
      check();
      return duckAll(c, sql);
    },
    each: async function* (sql) {
      check();
      for await (const rows of duckRows(c, sql)) {
        check();
        yield* rows;
      }
    },
  };
}

async function onEngine<T>(db: DB, info: DatasetInfo, col: DatasetColumn, engine: Engine, duck: DuckConnection | null, f: (r: ColumnRelation) => Promise<T>): Promise<T> {
  const type = col.type;
  const kind: Kind = NUMERIC.has(type) ? 'number' : DATES.has(type) ? 'date' : 'text';
  const typed = type !== 'text' && type !== 'category' && type !== 'id';
  const X = qid(col.name);
  const overlay = info.kind === 'import' && typed && col.invalid > 0 ? `profile_raw_${++temps}` : null;
  let from = overlay
    ? // (a condition on t alone in the ON clause turned DuckDB's hash join into a nested loop: minutes at 5M rows)
      `(SELECT t._row AS _row, t.${X} AS x, CASE WHEN t.${X} IS NULL THEN r.raw END AS raw, CASE WHEN t.${X} IS NULL THEN r.num END AS num FROM ${qid(info.id)} AS t LEFT JOIN ${overlay} AS r ON r._row = t._row) AS v`
    : `(SELECT _row, ${X} AS x, CAST(NULL AS VARCHAR) AS raw, CAST(NULL AS DOUBLE) AS num FROM ${qid(info.id)}) AS v`;
  const asText = !TYPED_AS_NUMBER.has(type);
  // a typed value stored as text can still be blank or a placeholder in a derived dataset
  const xMissing = asText ? `(trim(x) = ''${typed ? ` OR lower(trim(x)) IN (${MISSING_WORDS.map(sqlText).join(', ')})` : ''})` : '(1 = 0)';
  const isNull = `(CASE WHEN x IS NOT NULL THEN ${xMissing} ELSE raw IS NULL END)`;
  const base = kind === 'date' ? `coalesce(dx, num)` : `coalesce(x, num)`;
  const val = kind === 'text' ? 'NULL' : type === 'integer' ? `(CASE WHEN ${base} = floor(${base}) THEN ${base} END)` : base;
  const s = asText ? 'coalesce(x, raw)' : 'coalesce(CAST(x AS VARCHAR), raw)';
  const made: string[] = [];
  try {
    if (overlay) {
      made.push(overlay); // dropped even when the loading stops half-way (a cancel)
      await loadUntypedCells(db, info, col, kind, overlay, duck);
    }
    if (kind === 'date') {
      // a date's days are worked out once (text to timestamp is most of a query's time), into a table the queries read
      const days = engine.dialect === 'sqlite' ? `(CAST(strftime('%s', x) AS INTEGER) / 86400.0)` : `(epoch(TRY_CAST(x AS TIMESTAMP)) / 86400.0)`;
      const table = `profile_days_${++temps}`;
      await run(db, duck, `CREATE TEMP TABLE ${table} AS SELECT _row, x, raw, num, ${days} AS dx FROM ${from}`);
      made.push(table);
      from = `${table} AS v`;
    }
    const scratch = async (select: string) => {
      const table = `profile_scratch_${++temps}`;
      await run(db, duck, `CREATE TEMP TABLE ${table} AS ${select}`);
      made.push(table);
      return table;
    };
    return await f({ engine, col, kind, from, isNull, val, s, scratch });
  } finally {
    for (const table of made) await run(db, duck, `DROP TABLE IF EXISTS temp.${table}`);
  }
}

async function run(db: DB, duck: DuckConnection | null, sql: string): Promise<void> {
  if (duck) await duck.run(sql);
  else db.exec(sql);
}

/** The text of the cells the import could not type, read from the workspace a page at a time, judged here, loaded into the engine. */
async function loadUntypedCells(db: DB, info: DatasetInfo, col: DatasetColumn, kind: Kind, table: string, duck: DuckConnection | null): Promise<void> {
  const t = tableNames(info.id);
  const X = qid(col.name);
  // SQLite: only the cells whose typed value is NULL; DuckDB's typed rows are elsewhere, so its join keeps those
  const read =
    info.engine === 'duckdb'
      ? db.prepare(`SELECT _row, ${X} FROM ${qid(t.rawDiff)} WHERE ${X} IS NOT NULL AND _row > ? ORDER BY _row LIMIT ${ROW_SQL_CAP}`).raw(true)
      : db.prepare(`SELECT r._row, r.${X} FROM ${qid(rawLayout(db, info.id) === 'table' ? t.raw : t.rawDiff)} AS r JOIN ${qid(info.id)} AS d ON d._row = r._row WHERE d.${X} IS NULL AND r.${X} IS NOT NULL AND r._row > ? ORDER BY r._row LIMIT ${ROW_SQL_CAP}`).raw(true);
  const numberOf = (s: string): number | null => {
    if (kind === 'number') return toNumber(s);
    if (kind !== 'date') return null;
    const d = isoToDays(s);
    if (!Number.isNaN(d)) return d;
    const iso = normalizeDate(s);
    return iso ? isoToDays(iso) : null;
  };
  let append: (row: number, raw: string, n: number | null) => void;
  let done = () => {};
  if (duck) {
    await duck.run(`CREATE TEMP TABLE ${table} (_row BIGINT, raw VARCHAR, num DOUBLE)`);
    const appender = await duck.createAppender(table, 'main', 'temp');
    const w = duckRowWriter(appender, ['text', 'decimal']);
    append = (row, raw, n) => {
      w.buf[0] = row;
      w.buf[1] = raw;
      w.buf[2] = n;
      w.commit();
    };
    done = () => appender.closeSync();
  } else {
    db.exec(`CREATE TEMP TABLE ${table} (_row INTEGER PRIMARY KEY, raw TEXT, num REAL)`);
    const ins = db.prepare(`INSERT INTO temp.${table} VALUES (?, ?, ?)`);
    append = (row, raw, n) => void ins.run(row, raw, n);
  }
  for (let last = 0; ; ) {
    const page = read.all(last) as [number, string][];
    if (!page.length) break;
    for (const [row, raw] of page) if (!isMissingValue(raw)) append(row, raw, numberOf(raw));
    last = page[page.length - 1]![0];
  }
  done();
}

/**
 * Type-7 quantiles (as `quantileSorted`) of `expr` over a table of values `V` with counts `c`: the
 * running count in value order finds the order statistics, read back two per quantile.
 */
async function quantilesOf(r: ColumnRelation, counts: string, expr: string, m: number, ps: number[]): Promise<number[]> {
  const at = ps.map((p) => {
    const h = (m - 1) * p;
    const lo = Math.floor(h);
    return { lo, hi: Math.min(lo + 1, m - 1), frac: h - lo };
  });
  const ks = [...new Set(at.flatMap((a) => [a.lo, a.hi]))];
  const got = (await r.engine.all(
    `SELECT e, cum - c, cum FROM (SELECT e, c, sum(c) OVER (ORDER BY e ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum FROM (SELECT ${expr} AS e, sum(c) AS c FROM ${counts} GROUP BY e) AS q) AS o WHERE ${ks.map((k) => `(cum - c <= ${k} AND ${k} < cum)`).join(' OR ')}`,
  )) as [number, number, number][];
  const valueAt = (k: number) => Number(got.find(([, start, end]) => start <= k && k < end)![0]);
  return at.map((a) => valueAt(a.lo) + a.frac * (valueAt(a.hi) - valueAt(a.lo)));
}

interface NumericSummary {
  /** The scratch table of distinct values `V` and their counts `c`. */
  counts: string;
  m: number;
  distinct: number;
  st: Stats;
  mad: number;
  meanAd: number;
}

/** A number or date column's statistics, from its values grouped once in the engine (one scan of the rows; the rest reads the groups). */
async function numericSummary(r: ColumnRelation): Promise<NumericSummary | null> {
  const counts = await r.scratch(`SELECT V, count(*) AS c FROM (SELECT ${r.val} AS V FROM ${r.from}) AS q WHERE V IS NOT NULL GROUP BY V`);
  const [[m, distinct, min, max, sum]] = (await r.engine.all(`SELECT sum(c), count(*), min(V), max(V), sum(V * c) FROM ${counts}`)) as [[number | null, number, number, number, number]];
  if (!m) return null;
  const mean = sum / m;
  const [q1, median, q3] = (await quantilesOf(r, counts, 'V', m, [0.25, 0.5, 0.75])) as [number, number, number];
  const [[ss, ad]] = (await r.engine.all(`SELECT sum(c * (V - ${num(mean)}) * (V - ${num(mean)})), sum(c * abs(V - ${num(median)})) FROM ${counts}`)) as [[number, number]];
  const [mad] = (await quantilesOf(r, counts, `abs(V - ${num(median)})`, m, [0.5])) as [number];
  return { counts, m, distinct, st: { mean, median, std: m > 1 ? Math.sqrt(ss / (m - 1)) : 0, q1, q3, min, max }, mad, meanAd: ad / m };
}

function fencesOf(ns: NumericSummary): { iqr: Fences; mad: Fences | null } {
  return { iqr: tukeyFences(ns.st.q1, ns.st.q3), mad: madFencesOf(ns.st.median, ns.mad, ns.meanAd) };
}

const outsideSql = (f: Fences) => `(V < ${num(f.lower)} OR V > ${num(f.upper)})`;

/** Text columns judged value by value (phone, e-mail, boolean): SQL for the values that are valid without asking (a stored mobile number, 0/1). */
function surelyValidSql(type: ColumnType): string | null {
  switch (type) {
    case 'phone':
      // CN_E164_MOBILE with a prefix that is a mobile whatever follows; the rest are asked one by one
      return `(x GLOB '+861[3-9]${'[0-9]'.repeat(9)}' AND substr(x, 4, 3) IN (${cnSurelyMobilePrefixes().map(sqlText).join(', ')}))`;
    case 'email':
      return '(1 = 0)';
    case 'boolean':
      return 'x IN (0, 1)';
    default:
      return null;
  }
}

/** Invalid rows in row order, streamed: each one's `_row`, shown value and reason. */
async function* invalidRows(r: ColumnRelation): AsyncGenerator<{ row: number; value: Cell; reason: string }> {
  if (r.kind === 'text') {
    const surelyValid = surelyValidSql(r.col.type);
    if (!surelyValid) return;
    const memo = new Map<string, string | null>();
    for await (const [row, x, raw] of r.engine.each(`SELECT _row, x, raw FROM ${r.from} WHERE NOT ${r.isNull} AND NOT coalesce(${surelyValid}, 1 = 0) ORDER BY _row`)) {
      const v = (x ?? raw) as Cell;
      const key = String(v);
      let reason = memo.get(key);
      if (reason === undefined) {
        // memoised per value: libphonenumber is slow and bad values repeat
        reason = validity(r.col.type, v, 'CN');
        if (memo.size < 200_000) memo.set(key, reason);
      }
      if (reason) yield { row: row as number, value: v, reason };
    }
    return;
  }
  const unreadable = r.kind === 'date' ? 'unparsed_date' : 'not_a_number';
  const fractional = r.col.type === 'integer' ? ` OR coalesce(x, num) <> floor(coalesce(x, num))` : '';
  for await (const [row, x, raw, n] of r.engine.each(`SELECT _row, x, raw, num FROM ${r.from} WHERE (x IS NULL AND raw IS NOT NULL AND num IS NULL)${fractional} ORDER BY _row`))
    yield { row: row as number, value: (x ?? raw) as Cell, reason: x === null && n === null ? unreadable : 'not_integer' };
}

/** The pattern of a row's value as the profile counts it, or null when the row has none (missing, or fractional in an integer column). */
function patternOfRow(r: ColumnRelation, x: unknown, raw: unknown, n: unknown): string | null {
  if (x === null && raw === null) return null;
  if (r.kind !== 'text' && r.col.type === 'integer') {
    const v = (x ?? n) as number | null;
    if (v !== null && !Number.isInteger(v)) return null;
  }
  return patternOf(String(x ?? raw));
}

/** The rows' positions in row order that the pattern sample reads (every value up to 65,536 rows, else every ⌈n/65,536⌉-th). */
function sampledSql(r: ColumnRelation, rows: number, firstRow: number, lastRow: number): string {
  const stride = Math.max(1, Math.ceil(rows / PATTERN_SAMPLE));
  const cols = `_row, x, raw, num`;
  // in row order: patterns with equal counts keep the order they were first seen in
  if (stride === 1) return `SELECT ${cols} FROM ${r.from} WHERE NOT ${r.isNull} ORDER BY _row`;
  // no row ever deleted (always so on DuckDB): a row's position is its number, no need to count
  if (lastRow - firstRow + 1 === rows) return `SELECT ${cols} FROM ${r.from} WHERE (_row - ${firstRow}) % ${stride} = 0 AND NOT ${r.isNull} ORDER BY _row`;
  return `SELECT ${cols} FROM (SELECT ${cols}, ${r.isNull} AS missing, row_number() OVER (ORDER BY _row) - 1 AS i FROM ${r.from}) AS p WHERE i % ${stride} = 0 AND NOT missing ORDER BY _row`;
}

export interface SqlProfileOptions {
  rowCap: number;
  topK?: number;
  patternK?: number;
  maxBins?: number;
}

/** The profile of one column (row lists as `_row` numbers), with the definitions of `profileColumn`. */
export async function profileColumnSql(r: ColumnRelation, opts: SqlProfileOptions): Promise<ColumnProfile> {
  const { rowCap } = opts;
  const topK = opts.topK ?? 10;
  const patternK = opts.patternK ?? 10;
  const maxBins = opts.maxBins ?? 50;
  const type = r.col.type;
  const len = TYPED_AS_NUMBER.has(type) ? 'length(raw)' : 'length(coalesce(x, raw))';
  const B = r.kind === 'number' ? 'coalesce(x, num)' : 'NULL';
  const [[n, nulls, lenMin, lenMax, lenSum, lenN, nonInt, firstRow, lastRow]] = (await r.engine.all(
    `SELECT count(*), sum(CASE WHEN ${r.isNull} THEN 1 ELSE 0 END), min(L), max(L), sum(L), count(L), sum(CASE WHEN B <> floor(B) THEN 1 ELSE 0 END), min(_row), max(_row)
     FROM (SELECT _row, x, raw, num, CASE WHEN ${r.isNull} THEN NULL ELSE ${len} END AS L, ${B} AS B FROM ${r.from}) AS q`,
  )) as [[number, number | null, number | null, number | null, number, number, number | null, number, number]];
  const nonNull = n - (nulls ?? 0);

  // invalid values: counted from the stream, their first rows and examples kept
  let invalid = 0;
  const reasons: Record<string, number> = {};
  const invalidRowList: number[] = [];
  const examples: Cell[] = [];
  for await (const b of invalidRows(r)) {
    invalid++;
    reasons[b.reason] = (reasons[b.reason] ?? 0) + 1;
    if (invalidRowList.length < rowCap) invalidRowList.push(b.row);
    if (examples.length < 10 && !examples.includes(b.value)) examples.push(b.value);
  }

  // patterns of a systematic sample
  const pat = new Map<string, number>();
  let patternSample = 0;
  for await (const [, x, raw, nn] of r.engine.each(sampledSql(r, n, firstRow, lastRow))) {
    const p = patternOfRow(r, x, raw, nn);
    if (p === null) continue;
    patternSample++;
    pat.set(p, (pat.get(p) ?? 0) + 1);
  }
  const patterns = [...pat.entries()].sort((a, b) => b[1] - a[1]);
  const top3 = patterns.slice(0, 3).reduce((a, p) => a + p[1], 0);

  const out: Partial<ColumnProfile> = {};
  let distinct: number;
  let min: Cell = null;
  let max: Cell = null;
  let top: { value: Cell; count: number }[];
  if (r.kind === 'text') {
    // the values with their counts, grouped once: distinct, min, max and the top values read the groups
    const groups = await r.scratch(`SELECT S, count(*) AS c, min(_row) AS f, min(x) AS mx FROM (SELECT _row, x, ${r.s} AS S FROM ${r.from} WHERE NOT ${r.isNull}) AS q GROUP BY S`);
    [[distinct, min, max]] = (await r.engine.all(`SELECT count(*), min(S), max(S) FROM ${groups}`)) as [[number, string | null, string | null]];
    const got = await r.engine.all(`SELECT S, c, mx FROM ${groups} ORDER BY c DESC, f LIMIT ${topK}`);
    top = got.map(([sv, c, x]) => ({ value: (x ?? sv) as Cell, count: c as number }));
  } else {
    const ns = await numericSummary(r);
    distinct = ns?.distinct ?? 0;
    top = ns ? (await r.engine.all(`SELECT V, c FROM ${ns.counts} ORDER BY c DESC, V LIMIT ${topK}`)).map(([v, c]) => ({ value: v as number, count: c as number })) : [];
    if (ns) {
      const f = fencesOf(ns);
      out.outliers = { iqr: await outsideFences(r, ns, f.iqr, 'iqr', rowCap), mad: f.mad ? await outsideFences(r, ns, f.mad, 'mad', rowCap) : null };
      out.histogram = await histogramSql(r, ns, !nonInt && r.kind !== 'date', maxBins);
      ({ min, max } = placeStats(out, ns.st, type, top));
    }
  }
  const quality = columnScore({ count: n, nonNull, invalid, distinct, patternShare: patternSample ? top3 / patternSample : 1 }, type, undefined);
  return {
    type,
    count: n,
    nulls: nulls ?? 0,
    nonNull,
    distinct,
    distinctExact: true,
    min,
    max,
    ...out,
    top,
    topExact: true,
    patterns: patterns.slice(0, patternK).map(([pattern, count]) => ({ pattern, count })),
    patternsDistinct: patterns.length,
    patternSample,
    ...(lenN ? { length: { min: lenMin!, max: lenMax!, mean: lenSum / lenN } } : {}),
    invalid: { count: invalid, rows: invalidRowList, examples, reasons },
    quality,
  };
}

async function outsideFences(r: ColumnRelation, ns: NumericSummary, f: Fences, method: 'iqr' | 'mad', cap: number): Promise<OutlierHits> {
  const [[count]] = (await r.engine.all(`SELECT coalesce(sum(c), 0) FROM ${ns.counts} WHERE ${outsideSql(f)}`)) as [[number]];
  const rows = count ? (await r.engine.all(`SELECT _row FROM (SELECT _row, ${r.val} AS V FROM ${r.from}) AS q WHERE ${outsideSql(f)} ORDER BY _row LIMIT ${cap}`)).map((x) => x[0] as number) : [];
  return { method, lower: f.lower, upper: f.upper, count, rows, truncated: count > rows.length };
}

async function histogramSql(r: ColumnRelation, ns: NumericSummary, integer: boolean, maxBins: number): Promise<HistogramBin[]> {
  const { st, m } = ns;
  if (st.min === st.max) return [{ lo: st.min, hi: st.max, count: m }];
  const layout = binLayout(st.min, st.max, st.q1, st.q3, m, integer, maxBins);
  const counts = new Float64Array(layout.bins);
  const got = await r.engine.all(`SELECT floor((V - ${num(layout.lo)}) / ${num(layout.width)}) AS b, sum(c) FROM ${ns.counts} GROUP BY b`);
  // the engine's floor((x − lo) / width) is JavaScript's, on the same doubles; past-the-end bins fold in as there
  for (const [b, c] of got) counts[Math.min(layout.bins - 1, Math.max(0, Number(b)))]! += Number(c);
  return binsOf(counts, layout, st.max);
}

/** The rows behind one count of the profile, a page of `_row` numbers with the value as profiled, and the count. */
export async function problemRowsSql(
  r: ColumnRelation,
  a: { problem: Problem; pattern?: string; limit: number; offset: number },
): Promise<{ rows: { row: number; value: Cell }[]; total: number } | 'no_outliers'> {
  const want = a.offset + a.limit;
  const page: { row: number; value: Cell }[] = [];
  let total = 0;
  const keep = (row: number, value: Cell) => {
    if (total >= a.offset && total < want) page.push({ row, value });
    total++;
  };
  if (a.problem === 'null') {
    for await (const [row] of r.engine.each(`SELECT _row FROM ${r.from} WHERE ${r.isNull} ORDER BY _row`)) keep(row as number, null);
  } else if (a.problem === 'pattern') {
    for await (const [row, x, raw] of r.engine.each(`SELECT _row, x, raw FROM ${r.from} WHERE NOT ${r.isNull} ORDER BY _row`)) if (patternOf(String(x ?? raw)) === a.pattern) keep(row as number, (x ?? raw) as Cell);
  } else if (a.problem === 'invalid') {
    for await (const b of invalidRows(r)) keep(b.row, b.value);
  } else {
    if (r.kind === 'text') return 'no_outliers';
    const ns = await numericSummary(r);
    const f = ns ? fencesOf(ns)[a.problem === 'outlier_iqr' ? 'iqr' : 'mad'] : null;
    if (!ns || !f) return { rows: [], total: 0 };
    const [[count]] = (await r.engine.all(`SELECT coalesce(sum(c), 0) FROM ${ns.counts} WHERE ${outsideSql(f)}`)) as [[number]];
    const got = await r.engine.all(`SELECT _row, x, raw FROM (SELECT _row, x, raw, ${r.val} AS V FROM ${r.from}) AS q WHERE ${outsideSql(f)} ORDER BY _row LIMIT ${a.limit} OFFSET ${a.offset}`);
    return { rows: got.map(([row, x, raw]) => ({ row: row as number, value: (x ?? raw) as Cell })), total: count };
  }
  return { rows: page, total };
}
