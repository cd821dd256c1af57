/** Migration 5: tables of the customers domain. */
import type { Migration } from './index';

export const v5Customers: Migration = {
  version: 5,
  name: 'customers-dedupe',
  sql: `
    CREATE TABLE IF NOT EXISTS customers_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    -- One dedupe run: the scored candidate pairs of one dataset (rows = source _row numbers).
    CREATE TABLE customers_dedupe_runs (
      id TEXT PRIMARY KEY,
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      config TEXT NOT NULL,
      summary TEXT NOT NULL,
      threshold REAL NOT NULL,
      linkage TEXT NOT NULL,
      row_ids TEXT NOT NULL
    );
    -- Candidate pairs with the agreement level per field (comma separated, -1 = missing).
    CREATE TABLE customers_dedupe_pairs (
      run_id TEXT NOT NULL REFERENCES customers_dedupe_runs(id) ON DELETE CASCADE,
      a INTEGER NOT NULL,
      b INTEGER NOT NULL,
      probability REAL NOT NULL,
      weight REAL NOT NULL,
      levels TEXT NOT NULL,
      PRIMARY KEY (run_id, a, b)
    ) WITHOUT ROWID;
    -- Clusters (two rows or more) at the run's review threshold; cluster_id = smallest row.
    CREATE TABLE customers_dedupe_clusters (
      run_id TEXT NOT NULL REFERENCES customers_dedupe_runs(id) ON DELETE CASCADE,
      cluster_id INTEGER NOT NULL,
      source_row INTEGER NOT NULL,
      PRIMARY KEY (run_id, source_row)
    ) WITHOUT ROWID;
    CREATE INDEX customers_dedupe_clusters_id ON customers_dedupe_clusters(run_id, cluster_id);
    -- Review decisions: accept (must link), reject (cannot link), split (rows cut from the rest).
    CREATE TABLE customers_dedupe_decisions (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES customers_dedupe_runs(id) ON DELETE CASCADE,
      action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'split')),
      members TEXT NOT NULL,
      rows TEXT,
      at TEXT NOT NULL
    );
    -- Merges: each one a set of groups folded into golden records; undone_at set when reversed.
    CREATE TABLE customers_merges (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      undone_at TEXT,
      rules TEXT NOT NULL,
      clusters INTEGER NOT NULL,
      rows INTEGER NOT NULL
    );
    CREATE TABLE customers_merge_groups (
      merge_id TEXT NOT NULL REFERENCES customers_merges(id) ON DELETE CASCADE,
      cluster_id INTEGER NOT NULL,
      members TEXT NOT NULL,
      golden TEXT NOT NULL,
      provenance TEXT NOT NULL,
      PRIMARY KEY (merge_id, cluster_id)
    ) WITHOUT ROWID;
    -- The golden dataset derived from a source dataset (rebuilt from its active merges).
    CREATE TABLE customers_golden (
      dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
      golden_id TEXT NOT NULL
    );

    -- Single customer view (rebuilt by each link run).
    CREATE TABLE customers (
      customer_id TEXT PRIMARY KEY,
      name TEXT,
      phone TEXT,
      email TEXT,
      province TEXT,
      city TEXT,
      gender TEXT,
      birthday TEXT,
      name_pinyin TEXT,
      name_initials TEXT,
      name_simplified TEXT,
      phone_digits TEXT,
      records INTEGER NOT NULL,
      datasets INTEGER NOT NULL,
      events INTEGER NOT NULL,
      first_seen TEXT,
      last_seen TEXT,
      provenance TEXT
    );
    CREATE INDEX customers_initials ON customers(name_initials);
    CREATE TABLE customer_links (
      dataset_id TEXT NOT NULL,
      source_row INTEGER NOT NULL,
      customer_id TEXT NOT NULL,
      rule TEXT NOT NULL,
      score REAL NOT NULL,
      PRIMARY KEY (dataset_id, source_row)
    ) WITHOUT ROWID;
    CREATE INDEX customer_links_customer ON customer_links(customer_id);
    CREATE TABLE customer_events (
      customer_id TEXT NOT NULL,
      at TEXT NOT NULL,
      dataset_id TEXT NOT NULL,
      source_row INTEGER NOT NULL,
      kind TEXT NOT NULL,
      amount REAL,
      detail TEXT NOT NULL
    );
    CREATE INDEX customer_events_customer ON customer_events(customer_id, at);
  `,
};
