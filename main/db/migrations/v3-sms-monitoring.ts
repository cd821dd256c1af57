/** Migration 3: SMS monitoring and import batches. */
import type { Migration } from './index';

export const v3SmsMonitoring: Migration = {
  version: 3,
  name: 'sms-monitoring',
  sql: `
    -- Each import or later append of result files into a dataset is one batch (a _row range),
    -- so KPIs can be followed batch by batch.
    CREATE TABLE dataset_batches (
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      batch INTEGER NOT NULL,
      first_row INTEGER NOT NULL,
      last_row INTEGER NOT NULL,
      files TEXT NOT NULL,
      sha256 TEXT,
      imported_at TEXT NOT NULL,
      PRIMARY KEY (dataset_id, batch)
    );
    -- Phones that must not be contacted (unsubscribed, complained, added by hand). Exports
    -- leave them out unless told otherwise. phone = E.164 as typed by import.
    CREATE TABLE suppression (
      phone TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      source TEXT,
      detail TEXT,
      added_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE campaign_monitors (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      sends TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      replies TEXT REFERENCES datasets(id) ON DELETE SET NULL,
      clicks TEXT REFERENCES datasets(id) ON DELETE SET NULL,
      thresholds TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE monitor_alerts (
      id INTEGER PRIMARY KEY,
      monitor_id TEXT NOT NULL REFERENCES campaign_monitors(id) ON DELETE CASCADE,
      batch INTEGER NOT NULL,
      kpi TEXT NOT NULL,
      value REAL NOT NULL,
      threshold REAL NOT NULL,
      raised_at TEXT NOT NULL,
      acknowledged INTEGER NOT NULL DEFAULT 0,
      UNIQUE (monitor_id, batch, kpi)
    );
    -- Batches of datasets imported before this version: one batch each.
    INSERT INTO dataset_batches (dataset_id, batch, first_row, last_row, files, sha256, imported_at)
      SELECT id, 1, 1, row_count, coalesce(source_name, ''), source_sha256, created_at FROM datasets WHERE kind = 'import';
  `,
};
