/**
 * Numbered schema migrations of a workspace file. Append only: never edit a released
 * migration, add the next number. Each runs in its own transaction and is recorded in
 * schema_migrations; PRAGMA user_version mirrors the highest applied number so a newer file
 * can be refused before anything touches it.
 */
import { v4Quality } from './v4-quality';
import { v5Customers } from './v5-customers';
import { v6Privacy } from './v6-privacy';
import { v7Definitions } from './v7-definitions';
import { v8Remote } from './v8-remote';
import { v9MonitorReceipts } from './v9-monitor-receipts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'init',
    sql: `
      CREATE TABLE workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('import', 'derived')),
        source_name TEXT,
        source_size INTEGER,
        source_sha256 TEXT,
        encoding TEXT,
        dialect TEXT,
        settings TEXT,
        columns TEXT NOT NULL,
        rows_in INTEGER NOT NULL DEFAULT 0,
        row_count INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        parent_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT,
        object_id TEXT,
        rows INTEGER,
        details TEXT
      );
      CREATE INDEX audit_log_action ON audit_log(action, at);
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        args TEXT,
        result TEXT,
        error TEXT,
        started_at TEXT,
        finished_at TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'segments',
    sql: `
      CREATE TABLE segmentations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rfm', 'kmeans', 'rule', 'tier')),
        source_dataset TEXT REFERENCES datasets(id) ON DELETE CASCADE,
        result_dataset TEXT REFERENCES datasets(id) ON DELETE SET NULL,
        params TEXT NOT NULL,
        summary TEXT,
        as_of TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE segments (
        id TEXT PRIMARY KEY,
        segmentation_id TEXT NOT NULL REFERENCES segmentations(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        name_en TEXT,
        color TEXT,
        definition TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (segmentation_id, key)
      );
      CREATE TABLE segment_members (
        segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        customer TEXT NOT NULL,
        PRIMARY KEY (segment_id, customer)
      ) WITHOUT ROWID;
      CREATE INDEX segment_members_customer ON segment_members(customer);
    `,
  },
  {
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
  },
  v4Quality,
  v5Customers,
  v6Privacy,
  v7Definitions,
  v8Remote,
  v9MonitorReceipts,
];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;
