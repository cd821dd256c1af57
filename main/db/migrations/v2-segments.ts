/** Migration 2: segmentations and their members. */
import type { Migration } from './index';

export const v2Segments: Migration = {
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
};
