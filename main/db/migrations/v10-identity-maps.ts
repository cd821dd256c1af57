/**
 * Migration 10: the identity layer keeps raw value → customer maps instead of one link row per
 * source row. Analyses join a dataset's id/phone/e-mail column to these small tables (rows are
 * never copied), so building identity costs a pass over the distinct values, not a write of every
 * row; the per-row links and the timeline are made on demand for the customer view. Also a
 * lasting cache of a status column's value counts.
 */
import type { Migration } from './index';

export const v10IdentityMaps: Migration = {
  version: 10,
  name: 'identity-maps',
  sql: `
    CREATE TABLE identity_ids (raw TEXT PRIMARY KEY, customer_id TEXT NOT NULL) WITHOUT ROWID;
    -- shared = 1: a phone/e-mail of family members; it resolves a row only when nothing else does
    CREATE TABLE identity_phones (raw TEXT PRIMARY KEY, customer_id TEXT NOT NULL, shared INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE identity_emails (raw TEXT PRIMARY KEY, customer_id TEXT NOT NULL, shared INTEGER NOT NULL) WITHOUT ROWID;
    -- distinct values and row counts of a status column, kept while the dataset's rows, batches and
    -- the column's type stay the same (every analysis of an orders or sends dataset asks; each answer
    -- is a scan of every row)
    CREATE TABLE column_value_counts (
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      column_name TEXT NOT NULL,
      signature TEXT NOT NULL,
      counts TEXT NOT NULL,
      PRIMARY KEY (dataset_id, column_name)
    ) WITHOUT ROWID;
    -- rebuild once from the rows
    DELETE FROM customers_meta WHERE key = 'identity';
  `,
};
