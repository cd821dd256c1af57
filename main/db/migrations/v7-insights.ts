/** Migration 7: tables of the insights domain. */
import type { Migration } from './index';

export const v7Insights: Migration = {
  version: 7,
  name: 'insights',
  sql: `
    CREATE TABLE IF NOT EXISTS insights_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};
