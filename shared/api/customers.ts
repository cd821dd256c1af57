/**
 * Contract of the customers domain (see shared/api.ts): record dedupe with review and
 * reversible merges, and the single customer view (cross-dataset linking, search, profile,
 * timeline).
 */
import { z } from 'zod';
import { datasetId } from './datasets';
import { everyCall } from './policy';
import { jobKind } from './jobs';

const NORMALISERS = ['none', 'text', 'loose', 'digits', 'phone', 'email', 'simplified', 'pinyin', 'pinyinInitials', 'soundex', 'sortedTokens'] as const;
const COMPARATORS = ['exact', 'jaroWinkler', 'levenshtein', 'tokenSet', 'qgram', 'pinyin', 'tradSimp', 'name', 'numeric', 'date', 'tfidf'] as const;
const column = z.string().min(1).max(200);
const keySpec = z.object({ column, columnB: column.optional(), key: z.enum(NORMALISERS).optional(), prefix: z.number().int().min(1).max(50).optional() }).strict();

/** A dedupe/link config as plain data (the engine's MatchConfig without functions). */
export const matchConfigSchema = z
  .object({
    fields: z
      .array(
        z
          .object({
            name: column,
            column: column.optional(),
            columnB: column.optional(),
            normalise: z.enum(NORMALISERS).optional(),
            comparator: z.union([z.enum(COMPARATORS), z.array(z.enum(COMPARATORS)).min(1).max(4)]),
            options: z.object({ maxDist: z.number().optional(), q: z.number().int().min(1).max(6).optional(), scale: z.number().positive().optional(), scaleDays: z.number().positive().optional(), swapScore: z.number().min(0).max(1).optional(), order: z.enum(['dmy', 'mdy']).optional() }).strict().optional(),
            levels: z.array(z.number().min(0).max(1)).min(1).max(5).optional(),
            neverMatchBelow: z.number().min(0).max(1).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(40),
    blocking: z
      .array(
        z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('standard'), name: z.string().max(100).optional(), keys: z.array(keySpec).min(1).max(5), maxBlockSize: z.number().int().min(2).optional() }).strict(),
          z.object({ kind: z.literal('sorted'), name: z.string().max(100).optional(), keys: z.array(keySpec).min(1).max(5), window: z.number().int().min(2).max(100) }).strict(),
          z.object({ kind: z.literal('tokens'), name: z.string().max(100).optional(), column, columnB: column.optional(), normalise: z.enum(NORMALISERS).optional(), tokens: z.enum(['words', 'wordPairs', 'qgrams']).optional(), q: z.number().int().min(1).max(6).optional(), maxBlockSize: z.number().int().min(2).max(100_000) }).strict(),
        ]),
      )
      .min(1)
      .max(20),
    linkage: z.enum(['single', 'average', 'evidence']).optional(),
    /** Two records below `below` (one of the field's levels) on every one of these fields, each present, are different people whatever else agrees. */
    differentWhen: z.array(z.object({ field: column, below: z.number().min(0).max(1) }).strict()).min(2).max(5).optional(),
    em: z.object({ seed: z.number().int().optional(), maxIter: z.number().int().min(1).max(5000).optional(), restarts: z.number().int().min(1).max(20).optional() }).strict().optional(),
  })
  .strict();
export type MatchConfigInput = z.infer<typeof matchConfigSchema>;

export const SURVIVORSHIP_RULES = ['most_recent', 'most_complete', 'most_frequent', 'source_priority'] as const;
export type SurvivorshipRule = (typeof SURVIVORSHIP_RULES)[number];

const runId = z.string().regex(/^dd_[a-f0-9]{12}$/, 'run id looks like dd_…');
const mergeId = z.string().regex(/^mg_[a-f0-9]{12}$/, 'merge id looks like mg_…');
const threshold = z.number().min(0).max(1);

export const customersSchemas = {
  /** Job: score candidate pairs of one dataset and store the run (pairs, clusters at the threshold). */
  'customers/dedupe': z.object({ datasetId, config: matchConfigSchema.optional(), threshold: threshold.default(0.5) }).strict(),
  'customers/runs': z.object({ datasetId: datasetId.optional() }).strict(),
  'customers/run': z.object({ runId }).strict(),
  /** Preview at another threshold: clusters, pairs, sizes — no re-scoring, nothing written. */
  'customers/recluster': z.object({ runId, threshold }).strict(),
  /** Review list at a threshold (which becomes the run's review threshold). */
  'customers/clusters': z
    .object({ runId, threshold: threshold.optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(20), status: z.enum(['all', 'pending', 'accepted', 'merged']).default('all') })
    .strict(),
  'customers/decide': z.object({ runId, clusterId: z.number().int().min(1), action: z.enum(['accept', 'reject', 'split']), rows: z.array(z.number().int().min(1)).min(1).max(10_000).optional() }).strict(),
  'customers/merge': z
    .object({
      runId,
      scope: z.enum(['accepted', 'all']).default('accepted'),
      rules: z.record(z.string(), z.enum(SURVIVORSHIP_RULES)).default({}),
      defaultRule: z.enum(SURVIVORSHIP_RULES).default('most_complete'),
      dateColumn: column.optional(),
      sourceColumn: column.optional(),
      sourcePriority: z.array(z.string().max(200)).max(100).optional(),
    })
    .strict(),
  'customers/merges': z.object({ datasetId: datasetId.optional(), runId: runId.optional() }).strict(),
  'customers/unmerge': z.object({ mergeId }).strict(),
  /** Job: the single customer view over several datasets. */
  'customers/link': z
    .object({
      datasets: z.array(datasetId).min(1).max(20),
      threshold: threshold.default(0.5),
      /** Fuzzy config for the datasets with names (default: from column roles). */
      config: matchConfigSchema.optional(),
      /** Fuzzy link between two datasets: each record matches at most one of the other. */
      oneToOne: z.boolean().default(false),
      /** Also look for duplicates inside each dataset with names (default true). */
      dedupeWithin: z.boolean().default(true),
    })
    .strict(),
  'customers/link/summary': z.object({}).strict(),
  'customers/search': z.object({ q: z.string().max(200).default(''), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  'customers/get': z.object({ customerId: z.string().min(1).max(200) }).strict(),
};

export interface DedupeFieldInfo {
  name: string;
  column: string;
  comparator: string;
  levels: number[];
  /** Match weight (log2 m/u) per level; the last level is "below the lowest threshold". */
  weights: number[];
  m: number[];
  u: number[];
}

export interface ClusterStats {
  threshold: number;
  clusters: number;
  /** Rows in clusters of two or more. */
  rowsInClusters: number;
  /** Scored pairs at or above the threshold. */
  pairs: number;
  /** Size → number of clusters of that size. */
  sizes: { size: number; clusters: number }[];
}

export interface DedupeRun {
  runId: string;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  rows: number;
  /** Candidate pairs compared after blocking. */
  pairsCompared: number;
  possiblePairs: number;
  reductionRatio: number;
  linkage: string;
  /** Review threshold (last one chosen for the review list). */
  threshold: number;
  fields: DedupeFieldInfo[];
  ignoredColumns: string[];
  blocking: { name: string; pairs: number; newPairs: number }[];
  lambda: number;
  converged: boolean;
  /** Fields whose agreement counts against a match: the fit is probably not a duplicate model. */
  suspectFields: string[];
  seconds: number;
  /** Candidate pairs per match-probability bin of 0.05 (20 bins). */
  scoreHistogram: number[];
  stats: ClusterStats;
  config: MatchConfigInput;
}

export type ClusterStatus = 'pending' | 'accepted' | 'merged';

export interface ReviewCluster {
  clusterId: number;
  status: ClusterStatus;
  size: number;
  /** Lowest and highest match probability among the cluster's scored pairs. */
  minScore: number;
  maxScore: number;
  rows: { row: number; values: Record<string, unknown> }[];
  /** Columns whose (normalised) values are not all the same. */
  differing: string[];
  pairs: { a: number; b: number; probability: number; levels: number[] }[];
}

export interface ReviewPage {
  runId: string;
  threshold: number;
  total: number;
  columns: string[];
  fields: string[];
  clusters: ReviewCluster[];
  stats: ClusterStats;
}

export interface MergeInfo {
  mergeId: string;
  runId: string;
  datasetId: string;
  datasetName: string;
  goldenDatasetId: string | null;
  createdAt: string;
  undoneAt: string | null;
  clusters: number;
  rows: number;
  rules: Record<string, SurvivorshipRule>;
  defaultRule: SurvivorshipRule;
}

export interface LinkSummary {
  linkedAt: string;
  datasets: { id: string; name: string; rows: number; linked: number; customers: number; person: boolean }[];
  customers: number;
  /** Records linked to a customer. */
  links: number;
  /** Records by the strongest evidence that joined them to another record ('single' = alone). */
  byRule: Record<'customer_id' | 'phone' | 'email' | 'fuzzy' | 'single', number>;
  /** Customers with records in two or more datasets. */
  multiDataset: number;
  /** Customers with two or more records in the datasets with names (duplicates found). */
  multiRecord: number;
  events: number;
  fuzzyPairs: number;
  /** Engine passes: dedupe inside each dataset with names, link between each pair of them. */
  fuzzyPasses: { name: string; pairsCompared: number; matches: number; skipped: boolean; suspectFields: string[] }[];
  unlinked: number;
  seconds: number;
}

export interface CustomerRow {
  customerId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  province: string | null;
  city: string | null;
  records: number;
  datasets: number;
  events: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface CustomerProfile {
  customer: CustomerRow & { gender: string | null; birthday: string | null; provenance: Record<string, { datasetId: string; row: number; candidates: number }> };
  sources: { datasetId: string; datasetName: string; row: number; rule: string; score: number; values: Record<string, unknown> }[];
  /** Linked records left out of `sources` (large event datasets are capped per dataset). */
  moreSources: number;
  segments: { segmentationId: string; segmentation: string; segmentKey: string; segment: string; segmentEn: string | null; color: string | null; key: string }[];
  timeline: { at: string; datasetId: string; datasetName: string; row: number; kind: 'order' | 'sms' | 'reply' | 'click' | 'record' | 'event'; amount: number | null; detail: { column: string; role: string | null; value: unknown }[] }[];
}

export type CustomersResults = {
  'customers/dedupe': { jobId: string };
  'customers/runs': { runs: DedupeRun[] };
  'customers/run': DedupeRun;
  'customers/recluster': ClusterStats;
  'customers/clusters': ReviewPage;
  'customers/decide': { runId: string; clusterId: number; action: 'accept' | 'reject' | 'split'; stats: ClusterStats };
  'customers/merge': MergeInfo & { skipped: number };
  'customers/merges': { merges: MergeInfo[] };
  'customers/unmerge': MergeInfo;
  'customers/link': { jobId: string };
  'customers/link/summary': LinkSummary | null;
  'customers/search': { total: number; rows: CustomerRow[] };
  'customers/get': CustomerProfile;
};

/** Customer records name people: presentation mode masks person names too. Merges are reversible; the backup is the second net. */
export const customersPolicies = everyCall(customersSchemas, { mask: 'persons' }, {
  'customers/merge': { backupBefore: (a) => `merging duplicates of run ${a.runId}` },
});

export const customersJobs = {
  'customers/dedupe': jobKind(customersSchemas['customers/dedupe']).returns<DedupeRun>(),
  'customers/link': jobKind(customersSchemas['customers/link']).returns<LinkSummary>(),
};
