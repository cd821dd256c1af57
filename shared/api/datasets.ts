import { z } from 'zod';
import type { DatasetInfo, RowsPage } from '../types';
import { declarePolicies } from './policy';

export const datasetId = z.string().regex(/^[a-z0-9_]{1,64}$/, 'dataset id must be lowercase letters, digits or _');

const filter = z.object({
  column: z.string().min(1),
  op: z.enum(['eq', 'ne', 'contains', 'gt', 'lt', 'gte', 'lte', 'empty', 'notEmpty']),
  value: z.union([z.string(), z.number(), z.null()]).optional(),
});

export const datasetsSchemas = {
  'datasets/list': z.object({}).strict(),
  'datasets/get': z.object({ id: datasetId }).strict(),
  'datasets/rows': z
    .object({
      id: datasetId,
      table: z.enum(['typed', 'raw', 'quarantine']).default('typed'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
      sort: z.array(z.object({ column: z.string().min(1), dir: z.enum(['asc', 'desc']) })).max(3).default([]),
      filters: z.array(filter).max(20).default([]),
      search: z.string().max(200).optional(),
    })
    .strict(),
  'datasets/rename': z.object({ id: datasetId, name: z.string().trim().min(1).max(200) }).strict(),
  'datasets/delete': z.object({ id: datasetId, confirmName: z.string() }).strict(),
  'datasets/query': z.object({ sql: z.string().min(1).max(100_000), params: z.array(z.union([z.string(), z.number(), z.null()])).default([]), limit: z.number().int().min(1).max(100_000).default(1000), timeoutSeconds: z.number().int().min(1).max(86_400).optional() }).strict(),
};

export type DatasetsResults = {
  'datasets/list': DatasetInfo[];
  'datasets/get': DatasetInfo;
  'datasets/rows': RowsPage;
  'datasets/rename': DatasetInfo;
  'datasets/delete': { deleted: string };
  'datasets/query': { columns: string[]; rows: unknown[][]; truncated: boolean };
};

export const datasetsPolicies = declarePolicies(datasetsSchemas, {
  'datasets/delete': { confirmDataset: (a) => ({ id: a.id, typed: a.confirmName }), backupBefore: (a) => `deleting dataset ${a.id}` },
});
