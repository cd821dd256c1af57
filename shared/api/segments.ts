import { z } from 'zod';
import { datasetId } from './datasets';
import { declarePolicies } from './policy';
import { jobKind } from './jobs';
import type { DefinitionsUsedInfo } from './definitions';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
const segId = z.string().regex(/^sg_[a-z0-9]+$/);
const transform = z.enum(['none', 'log1p', 'standardize', 'minmax']);

/** Rule-based segments: a tree of AND/OR groups over a dataset's columns, compiled to SQL. */
export type RuleNode =
  | { kind: 'group'; op: 'and' | 'or'; children: RuleNode[] }
  | { kind: 'cond'; column: string; op: RuleOp; value?: string | number | null; value2?: string | number | null; values?: (string | number)[] };
export type RuleOp = 'eq' | 'ne' | 'in' | 'between' | 'contains' | 'before' | 'after' | 'lastDays' | 'empty' | 'notEmpty' | 'gt' | 'gte' | 'lt' | 'lte';
const ruleOp = z.enum(['eq', 'ne', 'in', 'between', 'contains', 'before', 'after', 'lastDays', 'empty', 'notEmpty', 'gt', 'gte', 'lt', 'lte']);
const scalar = z.union([z.string().max(1000), z.number(), z.null()]);
export const ruleSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('group'), op: z.enum(['and', 'or']), children: z.array(ruleSchema).max(50) }).strict(),
    z.object({ kind: z.literal('cond'), column: z.string().min(1), op: ruleOp, value: scalar.optional(), value2: scalar.optional(), values: z.array(z.union([z.string(), z.number()])).max(1000).optional() }).strict(),
  ]),
);

export const segmentsSchemas = {
  'segments/rfm': z
    .object({
      datasetId,
      name: z.string().trim().min(1).max(200).optional(),
      asOf: isoDate.optional(),
      scheme: z.enum(['11', 'cn8']).default('11'),
      threshold: z.enum(['mean', 'median']).default('mean'),
      excludeCancellations: z.boolean().default(true),
      recencyFrom: z.enum(['asOf', 'dayAfterLast']).default('asOf'),
    })
    .strict(),
  'segments/kmeans': z
    .object({
      datasetId,
      features: z.array(z.string().min(1)).min(1).max(50),
      transforms: z.array(transform).max(3).default(['log1p', 'standardize']),
      k: z.number().int().min(2).max(50).optional(),
      kRange: z.tuple([z.number().int().min(2), z.number().int().max(20)]).optional(),
      nInit: z.number().int().min(1).max(100).default(10),
      maxIter: z.number().int().min(1).max(2000).default(300),
      tol: z.number().positive().max(1).default(1e-4),
      seed: z.number().int().min(0).max(2 ** 31).default(0),
      name: z.string().trim().min(1).max(200).optional(),
    })
    .strict()
    .refine((a) => (a.k === undefined) !== (a.kRange === undefined), { message: 'give either k or kRange' }),
  'segments/list': z.object({ datasetId: datasetId.optional() }).strict(),
  'segments/explore': z.object({ segmentationId: segId }).strict(),
  'segments/compare': z.object({ segmentationId: segId, a: z.string().min(1), b: z.string().min(1) }).strict(),
  'segments/rule-count': z.object({ datasetId, rule: ruleSchema }).strict(),
  'segments/rule-save': z.object({ datasetId, name: z.string().trim().min(1).max(200), rule: ruleSchema }).strict(),
  'segments/tiers': z.object({ datasetId, measure: z.string().min(1), name: z.string().trim().min(1).max(200).optional() }).strict(),
  'segments/migration': z.object({ datasetId, from: isoDate, to: isoDate, scheme: z.enum(['11', 'cn8']).default('11') }).strict(),
  'segments/rename': z.object({ segmentationId: segId, key: z.string().min(1), name: z.string().trim().min(1).max(100), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional() }).strict(),
  'segments/delete': z.object({ segmentationId: segId }).strict(),
  /** Run a saved segmentation again with its saved definition (new as-of data → new version). */
  'segments/recompute': z.object({ segmentationId: segId }).strict(),
};

/** The default name of a value-tier segmentation, in the caller's language (the screen's, the CLI's). */
export function tierSegmentationName(measure: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `价值分层 · ${measure}` : `Value tiers by ${measure}`;
}

export interface SegmentInfo {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  color: string | null;
  size: number;
}

/** What a rule selects: distinct key values (what a saved rule segment lists), and customers through the identity (null until it is built). */
export interface RuleCount {
  count: number;
  total: number;
  /** The key column counted (member id, else phone, else e-mail); null: rows are counted. */
  key: string | null;
  customers: number | null;
  customersTotal: number | null;
  sql: string;
}

export interface SegmentationInfo {
  id: string;
  name: string;
  kind: 'rfm' | 'kmeans' | 'rule' | 'tier';
  sourceDataset: string | null;
  resultDataset: string | null;
  params: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  asOf: string | null;
  createdAt: string;
  /** Computed under older definitions (status mappings, window, as-of): recompute to follow the change. */
  stale?: boolean;
  segments: SegmentInfo[];
}

export interface ExploreResult {
  segmentation: SegmentationInfo;
  features: string[];
  profiles: { key: string; name: string; size: number; share: number; mean: number[]; median: number[] }[];
  zscores: number[][];
  overallMean: number[];
}

export interface CompareResult {
  features: { feature: string; meanA: number; meanB: number; diff: number; t: number; p: number; cohenD: number }[];
  sizeA: number;
  sizeB: number;
}

export interface KMeansCurve {
  curve: { k: number; inertia: number; silhouette: number }[];
  n: number;
}

export type SegmentsResults = {
  'segments/rfm': { jobId: string };
  'segments/kmeans': { jobId: string };
  'segments/list': SegmentationInfo[];
  'segments/explore': ExploreResult;
  'segments/compare': CompareResult;
  'segments/rule-count': RuleCount;
  'segments/rule-save': SegmentationInfo;
  'segments/tiers': SegmentationInfo;
  'segments/migration': { jobId: string };
  'segments/rename': SegmentationInfo;
  'segments/delete': { deleted: string };
  'segments/recompute': { jobId: string | null; segmentation: SegmentationInfo | null };
};

export const segmentsPolicies = declarePolicies(segmentsSchemas, {
  'segments/delete': { backupBefore: (a) => `deleting segmentation ${a.segmentationId}` },
});

export interface RfmJobResult {
  segmentation: SegmentationInfo;
  datasetId: string;
  customers: number;
  rowsUsed: number;
  rowsExcluded: number;
  definitions: DefinitionsUsedInfo;
  /** Seconds the per-customer summary took (the SQL where the rows live, and reading its result). */
  summarySeconds: number;
}
export interface KMeansFit { segmentation: SegmentationInfo; datasetId: string; inertia: number; silhouette: number | null; sizes: number[]; dropped: number }
export interface MigrationResult { links: { from: string; to: string; count: number }[]; from: string; to: string; names: Record<string, { zh: string; en: string }> }

export const segmentsJobs = {
  'segments/rfm': jobKind(segmentsSchemas['segments/rfm']).returns<RfmJobResult>(),
  /** With a k range: the elbow/silhouette curve; with one k: the fitted segmentation. */
  'segments/kmeans': jobKind(segmentsSchemas['segments/kmeans']).returns<KMeansCurve | KMeansFit>(),
  'segments/migration': jobKind(segmentsSchemas['segments/migration']).returns<MigrationResult>(),
};
