/**
 * RFM of a dataset held in DuckDB, computed and written there: the per-customer summary, the
 * quintile scores, the segments and the channel mix are SQL, and the result is a DuckDB dataset of
 * one row per customer. Only a few numbers cross into JavaScript, and the workspace gets the
 * catalogue entry and the segmentation (whose members are read from the result, ./membership.ts).
 *
 * Why: at 5M orders (990k customers) reading the summary into JavaScript, writing the million result
 * rows into SQLite and committing them took 6 of the 9 s (profiled). Here the summary is keyed by
 * customer number (numberedRows, read in row ranges side by side), with the names joined before its
 * one sort into key order; then the measures and scores; the result is written in that order with no
 * join or sort, its text columns' compression told. Each step's time at 5M orders is in
 * docs/methods/bigdata.md (it moves with every change, so it is not repeated here).
 * The answers are the workspace route's (`rfmSegments` in analysis/segments/rfm.ts), cell by cell:
 * - ranks: the workspace ranks by value with ties in customer-key order; here row_number() over
 *   (value, position in key order), and score = ⌊rank · 5 / n⌋ + 1 (recency reversed);
 * - FM = round((F + M) / 2) is (F + M + 1) // 2; the 11-class map is the same GRID;
 * - the Chinese scheme's mean is an exact sum of cents (as segmentCn8 takes it), its median the
 *   mean of the two middle values;
 * - money is rounded to cents as Math.round does (⌊x · 100 + 0.5⌋ / 100), days as dayText gives them.
 */
import { AppError } from '../../../shared/errors';
import type { DatasetColumn, DatasetInfo } from '../../../shared/types';
import type { JobContext } from '../../jobs/types';
import { qid, sqlText, type DB } from '../../db/open';
import { createDuckTable, duckAll, dropDuckTable, watchedQuery, withDuck, type DuckConnection } from '../../db/duckdb';
import { GRID, type RfmScheme } from '../../analysis/segments/rfm';
import { byCustomerKey, eventSql, summarySql } from '../identity/events';
import { CUSTOMER_KEY_COLUMNS, prepareDuck } from '../identity/index';
import { getDataset, insertCatalog, nextDatasetId, roleColumn } from '../datasets/index';
import type { DefinitionsUsed } from '../definitions/index';
import { dayText, timeMs } from './source';

const DAY = 86_400_000;
const num = (v: unknown) => Number(v);

export interface RfmDuckArgs {
  asOf?: string;
  scheme: RfmScheme;
  threshold: 'mean' | 'median';
  excludeCancellations: boolean;
  recencyFrom: 'asOf' | 'dayAfterLast';
}

export interface RfmWritten {
  ds: DatasetInfo;
  customers: number;
  rowsUsed: number;
  rowsExcluded: number;
  asOf: string;
  definitions: DefinitionsUsed;
  summarySeconds: number;
  sizes: Map<string, number>;
}

/** The 11-class segment of scores r, f, m (SQL): GRID[round((f + m) / 2) − 1][r − 1]. */
function segment11Sql(r: string, f: string, m: string): string {
  const cells = GRID.flatMap((row, fm) => row.map((key, ri) => `WHEN ${fm * 5 + ri} THEN ${sqlText(key)}`));
  return `CASE ((${f} + ${m} + 1) // 2 - 1) * 5 + ${r} - 1 ${cells.join(' ')} END`;
}

/** The Chinese 8-class segment (SQL), against cuts computed as segmentCn8 computes them: recent = high R. */
function segmentCn8Sql(cut: { r: number; f: number; m: number }): string {
  const lit = (v: number) => `CAST('${v}' AS DOUBLE)`;
  const [R, F, M] = [`recency < ${lit(cut.r)}`, `frequency > ${lit(cut.f)}`, `monetary > ${lit(cut.m)}`];
  return `(CASE WHEN ${M} THEN 'important_' ELSE 'general_' END) || (CASE WHEN ${R} AND ${F} THEN 'value' WHEN ${R} THEN 'develop' WHEN ${F} THEN 'keep' ELSE 'retain' END)`;
}

/** Cuts of the Chinese scheme: each measure's mean (its exact sum of cents / n) or median. */
async function cn8Cuts(c: DuckConnection, table: string, threshold: 'mean' | 'median'): Promise<{ r: number; f: number; m: number }> {
  const cols = ['recency', 'frequency', 'monetary'] as const;
  if (threshold === 'mean') {
    const [row] = await duckAll(c, `SELECT count(*), ${cols.map((k) => `CAST(sum(CAST(round(${k} * 100) AS BIGINT)) AS VARCHAR)`).join(', ')} FROM ${table}`);
    const n = num(row![0]);
    const [r, f, m] = cols.map((_, j) => Number(row![j + 1]) / 100 / n);
    return { r: r!, f: f!, m: m! };
  }
  const out: number[] = [];
  for (const k of cols) {
    const rows = await duckAll(c, `SELECT ${k} FROM (SELECT ${k}, row_number() OVER (ORDER BY ${k}) - 1 AS i, count(*) OVER () AS n FROM ${table}) WHERE i = (n - 1) // 2 OR i = n // 2 ORDER BY i`);
    const lo = num(rows[0]![0]);
    const hi = num(rows[rows.length - 1]![0]);
    out.push((lo + hi) / 2);
  }
  return { r: out[0]!, f: out[1]!, m: out[2]! };
}

/**
 * Per-customer channel shares (the 8 most used channels) as SQL columns joined by customer key, as
 * channelMix in ./jobs.ts computes them: valid rows, share = round(n / total · 1000) / 1000.
 */
async function channelMixSql(db: DB, c: DuckConnection, info: DatasetInfo, numbered: boolean): Promise<{ columns: string[]; cte: string | null; select: string[] }> {
  const chName = roleColumn(info, 'channel');
  if (!chName) return { columns: [], cte: null, select: [] };
  const e = eventSql(db, info, { numbered });
  const ch = `CAST(${e.col(chName)} AS TEXT)`;
  const valid = `${e.status} = 'valid'`;
  const top = ((await duckAll(c, `SELECT ${ch} AS c, count(*) AS n FROM ${e.from} WHERE ${e.col(chName)} IS NOT NULL AND ${valid} GROUP BY 1 ORDER BY n DESC, c LIMIT 8`)) as [string][]).map((r) => r[0]);
  if (!top.length) return { columns: [], cte: null, select: [] };
  const cte = `mix AS (SELECT ${e.key} AS k, count(*) AS tot${top.map((k, j) => `, count(*) FILTER (WHERE ${ch} = ${sqlText(k)}) AS c${j}`).join('')} FROM ${e.from} WHERE ${valid} GROUP BY 1)`;
  const select = top.map((_, j) => `coalesce(floor((CAST(mix.c${j} AS DOUBLE) / mix.tot) * 1000 + 0.5) / 1000, 0)`);
  return { columns: top.map((k) => `channel_share_${k}`), cte, select };
}

/** The result's columns, on both engines. */
export function rfmColumns(mix: string[]): { name: string; type: DatasetColumn['type']; role: DatasetColumn['role'] }[] {
  return [
    ...CUSTOMER_KEY_COLUMNS,
    { name: 'recency', type: 'integer', role: null },
    { name: 'frequency', type: 'integer', role: null },
    { name: 'monetary', type: 'decimal', role: 'amount' },
    { name: 'first_purchase', type: 'date', role: null },
    { name: 'last_purchase', type: 'date', role: null },
    { name: 'tenure_days', type: 'integer', role: null },
    { name: 'r', type: 'integer', role: null },
    { name: 'f', type: 'integer', role: null },
    { name: 'm', type: 'integer', role: null },
    { name: 'segment', type: 'category', role: 'label' },
    ...mix.map((name) => ({ name, type: 'decimal' as const, role: null })),
  ];
}

/** The measures' values as their keys order them (after the value, position in key order `i`, 0 … n − 1): monetary as whole cents. */
const MEASURES = [(s: string) => `${s}recency`, (s: string) => `${s}frequency`, (s: string) => `round(${s}monetary * 100)`];

/**
 * Quintile scores of rfm_measures' n customers: score = ⌊rank · 5 / n⌋ + 1, rank being the place
 * in (value, position) order, as the workspace route ranks. A rank reaches score s + 1 exactly when
 * it is at least ⌈s · n / 5⌉, so a customer's score is 1 + how many of the keys at those ranks its
 * own key reaches. With each (value, position) packed into one BIGINT — (value − least) · 2^bits +
 * position — DuckDB finds those keys by selection, not sorting (quantile_disc takes the element at
 * index ⌈q · n⌉ − 1, so q = (rank + ½) / n): 0.2 s for the three measures at 990k customers, where
 * three window sorts took 0.5–0.65 s, and the result needs no join to a table of scores (0.15 s
 * more). Values too far apart to pack (money in the hundreds of billions) take the window sorts.
 * Returns each score's SQL over rfm_measures `s`, and what to join for it.
 */
async function quintileScores(c: DuckConnection, job: JobContext, n: number): Promise<{ r: string; f: string; m: string; join: string }> {
  const range = (await duckAll(c, `SELECT ${MEASURES.map((v) => `min(${v('')}), max(${v('')})`).join(', ')} FROM rfm_measures`))[0]!.map(num);
  const bits = Math.max(1, Math.ceil(Math.log2(n)));
  // each value must be a BIGINT itself, and the spread of values times the positions must fit one
  const packs = MEASURES.every((_, j) => Math.abs(range[2 * j]!) < 2 ** 62 && Math.abs(range[2 * j + 1]!) < 2 ** 62 && (range[2 * j + 1]! - range[2 * j]! + 1) * 2 ** bits < 2 ** 62);
  if (!packs) {
    const score = (v: string) => `(row_number() OVER (ORDER BY ${v}, i) - 1) * 5 // ${n} + 1`;
    // scored on the measures alone (sorting whole rows three times took 0.4 s more at 990k customers)
    await watchedQuery(c, job, 'duckdb', () => c.run(`CREATE OR REPLACE TEMP TABLE rfm_scores AS SELECT i, 6 - (${score('recency')}) AS r, ${score('frequency')} AS f, ${score('monetary')} AS m FROM rfm_measures`));
    return { r: 'r', f: 'f', m: 'm', join: ' JOIN rfm_scores USING (i)' };
  }
  const key = (j: number, s: string) => `(CAST(${MEASURES[j]!(s)} AS BIGINT) - ${range[2 * j]}) * ${2 ** bits} + ${s}i`;
  const ranks = [1, 2, 3, 4].map((k) => Math.ceil((k * n) / 5)).filter((p) => p < n);
  if (!ranks.length) return { r: '5', f: '1', m: '1', join: '' }; // one customer: every score is 1 (recency reversed: 5)
  const q = ranks.map((p) => (p + 0.5) / n).join(', ');
  const [cuts] = (await duckAll(c, `SELECT ${MEASURES.map((_, j) => `CAST(quantile_disc(${key(j, '')}, [${q}]) AS VARCHAR)`).join(', ')} FROM rfm_measures`)) as string[][];
  const score = (j: number) => `1 + ${cuts![j]!.match(/\d+/g)!.map((x) => `(${key(j, 's.')} >= ${x})::INTEGER`).join(' + ')}`;
  return { r: `6 - (${score(0)})`, f: score(1), m: score(2), join: '' };
}

/** RFM of a DuckDB dataset, its result written as a DuckDB dataset named `named(as-of day)` (see the head of this file). A result table left by a failure is dropped, here or when the job's transaction rolls back (a cancel after the result was written). */
export async function rfmInDuck(job: JobContext, info: DatasetInfo, a: RfmDuckArgs, named: (asOf: string) => string, settings: Record<string, unknown>): Promise<RfmWritten> {
  const db = job.db;
  const id = nextDatasetId(db);
  let made = false;
  try {
    return await withDuck(db, async (c) => {
      await prepareDuck(db, c);
      const t0 = performance.now();
      // keyed by customer number where the rows are numbered (an integer to group by, and to join the names by)
      const q = summarySql(db, info.id, { asOf: a.asOf, excludeCancellations: a.excludeCancellations, numbered: true });
      const numbered = q.p.numbered;
      // inserted in key order: each summary row's rowid is its customer's position in key order
      // with each customer's key, member id and phone (identity_names), joined here, before the one sort into key order
      await c.run(`CREATE OR REPLACE TEMP TABLE rfm_summary (k ${numbered ? 'INTEGER' : 'VARCHAR'}, customer_id VARCHAR, member_id VARCHAR, phone VARCHAR, first DOUBLE, last DOUBLE, freq BIGINT, money DOUBLE, lines BIGINT)`);
      await watchedQuery(c, job, 'duckdb', () => c.run(`INSERT INTO rfm_summary ${byCustomerKey(q.p, q.sql, { names: true })}`));
      const [[n, used, maxLast]] = (await duckAll(c, 'SELECT count(*), coalesce(sum(lines), 0), max(last) FROM rfm_summary')) as [unknown, unknown, unknown][];
      const [[total]] = (await duckAll(c, `SELECT count(*) FROM ${qid(info.id)}`)) as [unknown][];
      const summarySeconds = +((performance.now() - t0) / 1000).toFixed(2);
      const customers = num(n);
      if (customers === 0) throw new AppError('no_customers', 'No transactions left after the filters: nothing to score.', '过滤后没有交易记录，无法计算 RFM。');
      job.progress(1, 3, 'compute');
      const asOfMs = a.asOf ? timeMs(a.asOf) + DAY - 1 : num(maxLast);
      const asDay = Math.floor(asOfMs / DAY);
      const plus = a.recencyFrom === 'dayAfterLast' ? 1 : 0;
      const day = (ms: string) => `CAST(DATE '1970-01-01' + CAST(floor(${ms} / ${DAY}) AS INTEGER) AS VARCHAR)`;
      const mix = await channelMixSql(db, c, info, numbered);
      const columns = rfmColumns(mix.columns);
      // a view: its few sums per customer are cheaper done again than the keys and phones copied once more (0.1 s)
      await c.run(`CREATE OR REPLACE TEMP VIEW rfm_measures AS SELECT rowid AS i, k, customer_id, member_id, phone, CAST(${asDay} - floor(last / ${DAY}) + ${plus} AS BIGINT) AS recency, freq AS frequency, floor(money * 100 + 0.5) / 100 AS monetary, first, last FROM rfm_summary`);
      const segment = a.scheme === 'cn8' ? segmentCn8Sql(await cn8Cuts(c, 'rfm_measures', a.threshold)) : segment11Sql('r', 'f', 'm');
      const score = await quintileScores(c, job, customers);
      // keys and phones nearly all distinct, days and segments few: told, DuckDB skips choosing per segment
      await createDuckTable(c, id, columns.map((col) => ({ ...col, compression: col.type === 'id' || col.type === 'phone' ? 'fsst' : col.type === 'date' || col.type === 'category' ? 'dictionary' : undefined })));
      made = true;
      job.onRollback?.(() => dropDuckTable(db, id)); // the catalogue entry below rolls back with the job: the table goes too
      const insert = `INSERT INTO ${qid(id)} ${mix.cte ? `WITH ${mix.cte} ` : ''}
        SELECT s.i + 1, s.customer_id, s.member_id, s.phone, s.recency, s.frequency, s.monetary, ${day('s.first')}, ${day('s.last')}, CAST(${asDay} - floor(s.first / ${DAY}) AS BIGINT), ${score.r} AS r, ${score.f} AS f, ${score.m} AS m, ${segment}${mix.select.map((x) => `, ${x}`).join('')}
        FROM rfm_measures s${score.join}${mix.cte ? ' LEFT JOIN mix ON mix.k = s.k' : ''}${score.join || mix.cte ? ' ORDER BY s.i' : ''}`;
      await watchedQuery(c, job, 'duckdb', () => c.run(insert));
      const sizes = new Map(((await duckAll(c, `SELECT segment, count(*) FROM ${qid(id)} GROUP BY 1`)) as [string, unknown][]).map(([k, v]) => [k, num(v)]));
      await c.run('DROP VIEW IF EXISTS temp.rfm_measures');
      for (const t of ['rfm_summary', 'rfm_scores']) await c.run(`DROP TABLE IF EXISTS temp.${t}`);
      job.progress(2, 3, 'save');
      const definitions = { ...q.p.definitions, asOf: dayText(asOfMs) };
      insertCatalog(db, { id, name: named(dayText(asOfMs)), kind: 'derived', columns: columns.map((col) => ({ ...col, source: col.name, invalid: 0 })), rowsIn: customers, rowCount: customers, quarantined: 0, parentId: info.id, settings: { ...settings, definitions }, engine: 'duckdb' });
      const rowsUsed = num(used);
      return { ds: getDataset(db, id), customers, rowsUsed, rowsExcluded: num(total) - rowsUsed, asOf: dayText(asOfMs), definitions, summarySeconds, sizes };
    });
  } catch (e) {
    if (made) await dropDuckTable(db, id).catch(() => undefined);
    throw e;
  }
}
