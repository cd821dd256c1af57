import { z } from 'zod';
import { COLUMN_TYPES, ROLES, type ColumnType, type DatasetColumn, type Role } from '../types';
import { datasetId } from './datasets';
import { jobKind } from './jobs';

/** Fixing what the importer guessed: a column's role and type, after import. */
export const columnsSchemas = {
  /** Job (a new type re-reads every raw value); a role alone changes at once. */
  'columns/set': z
    .object({
      datasetId,
      column: z.string().min(1).max(200),
      /** null: no role. */
      role: z.enum(ROLES as [Role, ...Role[]]).nullable().optional(),
      type: z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]]).optional(),
    })
    .strict(),
};

export interface ColumnChange {
  datasetId: string;
  column: DatasetColumn;
  before: { type: ColumnType; role: Role | null };
  /** Cells re-read from the raw table (0 when only the role changed) and how many fit the new type. */
  retyped: number;
  invalid: number;
  /** Results made before (segmentations, reports) are now stale: recompute them. */
  revision: number;
}

export type ColumnsResults = { 'columns/set': { jobId: string } };

export const columnsJobs = {
  'columns/set': jobKind(columnsSchemas['columns/set']).returns<ColumnChange>(),
};
