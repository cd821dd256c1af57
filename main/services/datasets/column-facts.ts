/**
 * Facts about a column's cells, kept in the workspace (column_facts) while the cells cannot have
 * changed: the dataset's rows, batches and the column's type stay the same (`cellsSignature`).
 *
 * 'unique': every row has a value and no two rows share it, compared as text. An orders export with
 * one row per order has unique order ids; then a customer's distinct orders are simply their rows,
 * and RFM's frequency needs no count(DISTINCT …) — which was half of DuckDB's summary query at
 * 5M orders (4.2 s with it, 2.1 s without, measured). Order-line exports (one row per item) are not
 * unique and keep the DISTINCT.
 *
 * 'modest': every amount's magnitude is below 1e30, so an exact decimal sum holds them all and a money
 * sum needs no second sum for the absurd ones (`moneySum`): 0.15–0.2 s of DuckDB's 5M-order summary.
 *
 * 'no_c_prefix': no order id starts with 'C' (the Online Retail convention for a cancellation invoice),
 * so RFM's filter on it keeps every row and the order id column need not be read at all: a text column
 * of 5M values to scan and decompress, 0.15–0.25 s of DuckDB's 5M-order summary in a fresh process.
 */
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { duckAll, type DuckConnection } from '../../db/duckdb';

/** What a column's cells were read from: a fact (or value counts) holds while this stays the same. */
export function cellsSignature(db: DB, info: DatasetInfo, column: string): string {
  const type = info.columns.find((c) => c.name === column)?.type ?? null;
  const batches = db.prepare('SELECT batch, last_row FROM dataset_batches WHERE dataset_id = ? ORDER BY batch').raw(true).all(info.id);
  return JSON.stringify([info.createdAt, info.rowCount, type, batches]);
}

export type ColumnFact = 'unique' | 'modest' | 'no_c_prefix';

/** SQL answering 1 when the fact holds for `column`, else 0; the same on both engines. */
export function factSql(info: DatasetInfo, column: string, fact: ColumnFact): string {
  if (fact === 'modest') return `SELECT CASE WHEN coalesce(max(abs(${qid(column)})), 0) < 1e30 THEN 1 ELSE 0 END FROM ${qid(info.id)}`;
  const text = `CAST(${qid(column)} AS ${info.engine === 'duckdb' ? 'VARCHAR' : 'TEXT'})`;
  if (fact === 'no_c_prefix') return `SELECT CASE WHEN count(*) FILTER (WHERE ${text} LIKE 'C%') = 0 THEN 1 ELSE 0 END FROM ${qid(info.id)}`;
  return `SELECT CASE WHEN count(*) = count(DISTINCT ${text}) THEN 1 ELSE 0 END FROM ${qid(info.id)}`;
}

/** The stored fact, or null when it was never read for the cells as they are now. */
export function knownFact(db: DB, info: DatasetInfo, column: string, fact: ColumnFact): boolean | null {
  return storedFact(db, info, column, fact, cellsSignature(db, info, column));
}

function storedFact(db: DB, info: DatasetInfo, column: string, fact: ColumnFact, signature: string): boolean | null {
  const v = db.prepare('SELECT value FROM column_facts WHERE dataset_id = ? AND column_name = ? AND fact = ? AND signature = ?').pluck().get(info.id, column, fact, signature) as number | undefined;
  return v === undefined ? null : v === 1;
}

/** A DuckDB dataset's column: read in DuckDB (a job, asynchronous) when not known, so synchronous SQL builders find it with `knownFact`. */
export async function readDuckFact(db: DB, c: DuckConnection, info: DatasetInfo, column: string, fact: ColumnFact): Promise<void> {
  const signature = cellsSignature(db, info, column);
  if (storedFact(db, info, column, fact, signature) !== null) return;
  const [[v]] = (await duckAll(c, factSql(info, column, fact))) as [[number]];
  if (db.readonly || db.pragma('query_only', { simple: true })) return;
  db.prepare('INSERT INTO column_facts VALUES (?, ?, ?, ?, ?) ON CONFLICT (dataset_id, column_name, fact) DO UPDATE SET signature = excluded.signature, value = excluded.value').run(info.id, column, fact, signature, Number(v) === 1 ? 1 : 0);
}
