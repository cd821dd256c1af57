/** Migration 4: tables of the quality domain. */
import type { Migration } from './index';

export const v4Quality: Migration = {
  version: 4,
  name: 'quality-recipes',
  sql: `
    CREATE TABLE IF NOT EXISTS quality_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};
