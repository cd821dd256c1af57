import { z } from 'zod';
import { datasetId } from './datasets';
import { jobKind } from './jobs';

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
  /** After the planned campaign: realised incremental conversions of the sent group against its held-out control. */
  'uplift/measure': z
    .object({
      plan: datasetId,
      orders: datasetId,
      /** When the planned campaign went out (ISO date-time); conversions count in (start, start + window]. */
      start: z.string().regex(/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/),
      windowDays: z.number().int().min(1).max(90).default(7),
    })
    .strict(),
};

export interface UpliftMeasureResult {
  plan: string;
  start: string;
  windowDays: number;
  send: { customers: number; converted: number; rate: number };
  control: { customers: number; converted: number; rate: number };
  /** (rate_send − rate_control) × sent customers, with a 95 % interval (Wald on the difference). */
  incremental: number;
  interval: [number, number];
  /** What the plan expected, for comparison. */
  expected: { incrementalConversions: number; interval: [number, number] } | null;
  verdictZh: string;
  verdictEn: string;
}

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
  /** The send group as a segment (exportable like any segment). */
  segmentationId: string;
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
  'uplift/measure': UpliftMeasureResult;
};

export const upliftJobs = {
  'uplift/fit': jobKind(upliftSchemas['uplift/fit']).returns<UpliftFitResult>(),
  'uplift/plan': jobKind(upliftSchemas['uplift/plan']).returns<UpliftPlanResult>(),
};
