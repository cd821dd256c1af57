/** Migration 8: saved connections to remote engines (ClickHouse HTTP, PostgreSQL wire), used read-only. */
import type { Migration } from './index';

export const v8Remote: Migration = {
  version: 8,
  name: 'remote-connections',
  sql: `
    -- The password sits in the workspace file, so it is encrypted exactly when the workspace is.
    CREATE TABLE remote_connections (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('clickhouse', 'postgres')),
      host TEXT NOT NULL,
      port INTEGER NOT NULL,
      user TEXT NOT NULL,
      password TEXT NOT NULL,
      database TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
