/** Migration 5: tables of the customers domain. */
import type { Migration } from './index';

export const v5Customers: Migration = {
  version: 5,
  name: 'customers-dedupe',
  sql: `
    CREATE TABLE IF NOT EXISTS customers_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};
