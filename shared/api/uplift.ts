import { z } from 'zod';
import { datasetId } from './datasets';

/** The randomised campaign an uplift model learns from, and the history its features come from. */
const sources = {
  /** The send list with each customer's arm (a variant column holding the control group's label too). */
  assignment: datasetId,
  orders: datasetId,
  replies: datasetId.optional(),
  /** Earlier sends (past SMS response, ignored sends). */
  sends: datasetId.optional(),
  /** A customer list with region and registration time. */
  profiles: datasetId.optional(),
  /** Label of the control arm; default: the value that reads as control (对照组, control, holdout…). */
  control: z.string().min(1).max(100).optional(),
  windowDays: z.number().int().min(1).max(90).default(7),
  learner: z.enum(['t_learner', 'class_transform']).default('t_learner'),
  base: z.enum(['logistic', 'gbm']).default('logistic'),
  seed: z.number().int().default(1),
};

export const upliftSchemas = {
  /** Job: fit on a random split, evaluate on the held-out part (Qini, AUUC, interval, verdict). */
  'uplift/fit': z.object({ ...sources, testShare: z.number().min(0.1).max(0.5).default(0.3) }).strict(),
  /** Job: fit on the whole campaign, rank the base for the next one; saves the send list as a dataset. */
  'uplift/plan': z
    .object({
      ...sources,
      budget: z.number().positive().optional(),
      size: z.number().int().min(1).optional(),
      controlShare: z.number().min(0).max(0.5).default(0.1),
      conversionValue: z.number().positive().default(100),
      costPerSend: z.number().min(0).default(0.05),
      unsubscribeCost: z.number().min(0).default(50),
      name: z.string().min(1).max(200).optional(),
    })
    .strict(),
};

export interface QiniSummary {
  variant: string;
  /** Held-out rows of this variant and of control. */
  rows: number;
  qini: number;
  qiniInterval: [number, number];
  auuc: number;
  /** Incremental conversions of sending this variant to every held-out customer. */
  all: number;
  /** The same coefficient for ranking by response probability alone. */
  responseQini: number;
  points: { fraction: number; incremental: number; uplift: number }[];
}

export interface UpliftFitResult {
  campaignStart: string;
  windowDays: number;
  customers: number;
  control: string;
  variants: string[];
  arms: { arm: string; customers: number; converted: number; unsubscribed: number }[];
  learner: string;
  base: string;
  trainRows: number;
  testRows: number;
  evaluation: QiniSummary[];
  verdictZh: string;
  verdictEn: string;
}

export interface UpliftPlanResult {
  datasetId: string;
  customers: number;
  send: number;
  control: number;
  /** Customers the model expects a positive net gain from. */
  positive: number;
  byVariant: Record<string, number>;
  expected: { incrementalConversions: number; interval: [number, number]; incrementalUnsubscribes: number; cost: number; netValue: number };
  sendTime: { alpha: number; customersWithHistory: number };
}

export type UpliftResults = {
  'uplift/fit': { jobId: string };
  'uplift/plan': { jobId: string };
};
