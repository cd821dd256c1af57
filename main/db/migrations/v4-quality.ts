/** Migration 4: tables of the quality domain. */
import type { Migration } from './index';

export const v4Quality: Migration = {
  version: 4,
  name: 'quality-recipes',
  sql: `
    -- Latest quality profile per dataset (JSON of shared/api/quality QualityProfile).
    CREATE TABLE IF NOT EXISTS quality_profiles (
      dataset_id TEXT PRIMARY KEY,
      profile TEXT NOT NULL,
      score REAL NOT NULL,
      created_at TEXT NOT NULL
    );
    -- Cleaning recipes (JSON of shared/api/recipe Recipe, defaults filled).
    CREATE TABLE IF NOT EXISTS recipes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      dataset_id TEXT,
      recipe TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
