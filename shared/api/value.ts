import { z } from 'zod';
import { datasetId } from './datasets';
import { jobKind } from './jobs';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const valueSchemas = {
  'value/clv': z
    .object({
      datasetId,
      calibrationEnd: isoDate.optional(),
      observationEnd: isoDate.optional(),
      unit: z.enum(['weeks', 'days']).default('weeks'),
      horizonMonths: z.number().int().min(1).max(120).default(12),
      discountMonthly: z.number().min(0).max(0.5).default(0.01),
      seed: z.number().int().min(0).default(0),
    })
    .strict(),
  'value/churn': z
    .object({
      datasetId,
      label: z.string().min(1),
      positive: z.string().optional(),
      /** Define churn by a rule on a column instead of a label value, e.g. recency > 180 days.
       * The rule's column is then left out of the features (it would leak the answer). */
      labelRule: z.object({ op: z.enum(['gt', 'gte', 'lt', 'lte', 'eq']), value: z.union([z.number(), z.string()]) }).strict().optional(),
      features: z.array(z.string().min(1)).max(200).optional(),
      testShare: z.number().min(0.1).max(0.5).default(0.3),
      seed: z.number().int().min(0).default(0),
      l2: z.number().min(0).max(1000).default(1),
      /** 'logistic' (interpretable coefficients) or 'gbm' (gradient-boosted trees, gain importance). */
      model: z.enum(['logistic', 'gbm']).default('logistic'),
      threshold: z.number().min(0).max(1).default(0.5),
    })
    .strict(),
  'value/rules': z
    .object({ datasetId, minSupport: z.number().gt(0).max(1).default(0.02), minConfidence: z.number().min(0).max(1).default(0.3), maxLength: z.number().int().min(2).max(6).default(3), excludeCancellations: z.boolean().default(true) })
    .strict(),
  'value/recommend': z.object({ datasetId, topN: z.number().int().min(1).max(50).default(10), cutoff: isoDate.optional() }).strict(),
  'value/forecast': z.object({ datasetId, measure: z.enum(['revenue', 'orders', 'customers']).default('revenue'), grain: z.enum(['month', 'week']).default('month'), horizon: z.number().int().min(1).max(36).default(6) }).strict(),
};

export interface ClvResult {
  datasetId: string;
  segmentationId: string;
  customers: number;
  calibrationEnd: string;
  observationEnd: string;
  unit: 'weeks' | 'days';
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; converged: boolean };
  gammaGamma: { p: number; q: number; v: number; logLikelihood: number; converged: boolean; repeatBuyers: number } | null;
  independence: { pearson: number } | null;
  /** Seconds spent on the per-customer summary (SQL in the engine that holds the rows, and reading its rows). */
  summarySeconds: number;
  holdout: { period: number; actual: number; predicted: number }[];
  pAliveMatrix: { frequency: number; recency: number; pAlive: number; customers: number }[];
  clvHistogram: { from: number; to: number; customers: number }[];
  totalClv: number;
}

export interface ChurnResult {
  datasetId: string;
  n: number;
  positives: number;
  auc: number;
  model: 'logistic' | 'gbm';
  roc: { fpr: number; tpr: number }[];
  confusion: { tp: number; fp: number; tn: number; fn: number; precision: number; recall: number; f1: number; accuracy: number; threshold: number };
  coefficients: { feature: string; weight: number }[];
  scoresDataset: string;
}

export interface RulesResult {
  baskets: number;
  itemsets: number;
  rules: { antecedent: string[]; consequent: string[]; support: number; confidence: number; lift: number; leverage: number; conviction: number | null }[];
  labels: Record<string, string>;
}

export interface RecommendResult {
  datasetId: string;
  hitRate: { cf: number; popularity: number; customers: number; cutoff: string; k: number };
  customers: number;
}

export interface ForecastResult {
  periods: string[];
  values: number[];
  fitted: number[];
  future: string[];
  forecast: number[];
  lower: number[];
  upper: number[];
  seasonal: boolean;
  method: 'holt-winters-additive' | 'holt-winters-multiplicative' | 'holt-linear';
  params: { alpha: number; beta: number; gamma: number };
}

export type ValueResults = {
  'value/clv': { jobId: string };
  'value/churn': { jobId: string };
  'value/rules': { jobId: string };
  'value/recommend': { jobId: string };
  'value/forecast': ForecastResult;
};

export const valueJobs = {
  'value/clv': jobKind(valueSchemas['value/clv']).returns<ClvResult>(),
  'value/churn': jobKind(valueSchemas['value/churn']).returns<ChurnResult>(),
  'value/rules': jobKind(valueSchemas['value/rules']).returns<RulesResult>(),
  'value/recommend': jobKind(valueSchemas['value/recommend']).returns<RecommendResult>(),
};
