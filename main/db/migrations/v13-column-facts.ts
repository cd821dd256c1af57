/** Migration 13: facts about a column's cells kept while they cannot have changed (services/datasets/column-facts.ts). */
import type { Migration } from './index';

export const v13ColumnFacts: Migration = {
  version: 13,
  name: 'column facts',
  sql: `
    -- e.g. fact 'unique': every row has a value and no two rows share it (as text); value 1 or 0.
    -- signature: what the fact was read from (rows, batches, the column's type), as for value counts
    CREATE TABLE column_facts (
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      column_name TEXT NOT NULL,
      fact TEXT NOT NULL,
      signature TEXT NOT NULL,
      value INTEGER NOT NULL,
      PRIMARY KEY (dataset_id, column_name, fact)
    ) WITHOUT ROWID;
  `,
};
