/** Migration 6: tables of the privacy domain. */
import type { Migration } from './index';

export const v6Privacy: Migration = {
  version: 6,
  name: 'privacy-exports',
  sql: `
    CREATE TABLE IF NOT EXISTS privacy_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};
