/** Migration 7: event semantics (status mappings per dataset, attribution window, as-of) and the identity layer's state. */
import type { Migration } from './index';

export const v7Definitions: Migration = {
  version: 7,
  name: 'definitions-identity',
  sql: `
    -- The status column in force for one dataset and the analyst's overrides of the inferred
    -- classes (JSON object raw value → class). column_name NULL = the column found by role/name.
    CREATE TABLE definitions_status (
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('order', 'sms')),
      column_name TEXT,
      overrides TEXT NOT NULL DEFAULT '{}',
      updated_at TEXT NOT NULL,
      PRIMARY KEY (dataset_id, kind)
    ) WITHOUT ROWID;
    -- Workspace-wide definitions (attribution window, as-of) and the revision counter that
    -- results record so a change of definitions marks them for recompute.
    CREATE TABLE definitions_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    -- Segmentations computed under an older revision of the definitions or identity are stale.
    ALTER TABLE segmentations ADD COLUMN definitions_rev INTEGER NOT NULL DEFAULT 0;
    -- The identity layer names each customer key by its primary member id (customers.phone is the canonical phone).
    ALTER TABLE customers ADD COLUMN member_id TEXT;
  `,
};
