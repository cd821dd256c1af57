/** Migration 1: the catalog, settings and audit log. */
import type { Migration } from './index';

export const v1Init: Migration = {
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
};
