/** Migration 11: a dataset's rows may live in the DuckDB engine beside the workspace; what SQLite keeps of them. */
import type { Migration } from './index';

export const v11Engines: Migration = {
  version: 11,
  name: 'engines',
  sql: `
    -- 'sqlite' (rows in this file) or 'duckdb' (rows in <workspace>.duckdb, read by the analyses that run there)
    ALTER TABLE datasets ADD COLUMN engine TEXT NOT NULL DEFAULT 'sqlite';
    -- A DuckDB dataset's distinct (member id, phone, e-mail) tuples, computed in DuckDB after each import so the
    -- identity build (synchronous, in SQLite) reads them like a SQLite dataset's GROUP BY; signature = what they were read from.
    CREATE TABLE engine_key_tuples (dataset_id TEXT NOT NULL, id TEXT, phone TEXT, email TEXT, n INTEGER NOT NULL, events INTEGER NOT NULL, first TEXT, last TEXT);
    CREATE INDEX engine_key_tuples_ds ON engine_key_tuples (dataset_id);
    CREATE TABLE engine_key_signatures (dataset_id TEXT PRIMARY KEY, signature TEXT NOT NULL);
  `,
};
