/** Contract of the insights domain (see shared/api.ts): lifecycle, geography, journeys, satisfaction. */
import { z } from 'zod';
import { datasetId } from './datasets';
import type { SegmentationInfo } from './segments';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates look like 2024-06-30');
export const STAGES = ['prospect', 'new', 'growing', 'mature', 'declining', 'churned', 'won_back'] as const;
export type Stage = (typeof STAGES)[number];

/** Lifecycle thresholds (days); anything left out takes the documented default. */
const lifecycleConfig = z
  .object({
    newDays: z.number().int().min(1).max(3650),
    oneTimeOverdueDays: z.number().int().min(1).max(3650),
    churnDays: z.number().int().min(1).max(3650),
    wonBackWindowDays: z.number().int().min(1).max(3650),
    overdueFactor: z.number().min(1).max(20),
    minOverdueDays: z.number().int().min(0).max(3650),
    trendWindowDays: z.number().int().min(1).max(3650),
    growthRatio: z.number().min(0).max(10),
    declineRatio: z.number().gt(0).max(1),
    minTrendPurchases: z.number().int().min(1).max(1000),
  })
  .partial()
  .strict();
export type LifecycleConfigArgs = z.infer<typeof lifecycleConfig>;

const lifecycleBase = {
  /** Transactions (customer id/phone, timestamp, amount). */
  datasetId,
  /** Optional customer list with a registration date (timestamp role): customers without purchases become prospects. */
  customersDataset: datasetId.optional(),
  /** Default: the last transaction date. */
  asOf: isoDate.optional(),
  config: lifecycleConfig.optional(),
};

export const insightsSchemas = {
  'insights/lifecycle': z
    .object({
      ...lifecycleBase,
      /** Second date for the transition matrix and Sankey (default: 90 days before asOf). */
      compareTo: isoDate.optional(),
      /** Months in the stage × month trend, ending at asOf. */
      months: z.number().int().min(2).max(60).default(12),
    })
    .strict(),
  'insights/lifecycle/segment': z
    .object({
      ...lifecycleBase,
      stages: z.array(z.enum(STAGES)).min(1).max(7),
      name: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  'insights/geo': z
    .object({
      /** Customers (or orders): region from a province/city column, else from phone numbers. */
      datasetId,
      measure: z.enum(['customers', 'revenue', 'response']).default('customers'),
      by: z.enum(['province', 'city']).default('province'),
      /** With by = city: the cities of this province (any spelling). */
      province: z.string().trim().min(1).max(60).optional(),
      /** revenue: orders joined by customer when the dataset itself has no amount. */
      orders: datasetId.optional(),
      /** response: SMS sends; a send responded when an order by the same phone followed within windowDays. */
      sends: datasetId.optional(),
      /** response: delivery receipts; only a receipt-confirmed (delivered) send can respond. */
      receipts: datasetId.optional(),
      windowDays: z.number().min(0.1).max(90).default(7),
      /** Segment mix per province. */
      segmentationId: z.string().min(1).max(64).optional(),
      /** Rows (response: sends) below this are not ranked by rate. */
      minCount: z.number().int().min(1).max(100_000).default(30),
    })
    .strict(),
  'insights/journeys': z
    .object({
      touches: datasetId,
      orders: datasetId,
      lookbackDays: z.number().int().min(1).max(365).default(30),
      collapseRepeats: z.boolean().default(false),
      by: z.enum(['channel', 'campaign']).default('channel'),
      top: z.number().int().min(1).max(200).default(20),
      /** Paths seen fewer times are left out of the best-converting ranking. */
      minPaths: z.number().int().min(1).max(100_000).default(20),
      halfLifeDays: z.number().min(0.1).max(365).default(7),
    })
    .strict(),
  'insights/satisfaction': z
    .object({
      datasetId,
      /** The score that the trend, groups and later-behaviour link use. */
      scale: z.enum(['nps', 'csat']).default('nps'),
      /** Group column (segment, region, channel …). */
      by: z.string().min(1).max(200).optional(),
      npsColumn: z.string().min(1).max(200).optional(),
      csatColumn: z.string().min(1).max(200).optional(),
      commentColumn: z.string().min(1).max(200).optional(),
      csatMin: z.number().int().min(0).max(10).default(1),
      csatMax: z.number().int().min(1).max(100).default(5),
      satisfiedFrom: z.number().int().min(1).max(100).default(4),
      /** Orders for the link to later churn and spend. */
      orders: datasetId.optional(),
      horizonDays: z.number().int().min(7).max(730).default(90),
    })
    .strict(),
};

export interface Interval {
  value: number;
  ci: [number, number];
  n: number;
}

export interface LifecycleResult {
  asOf: string;
  compareTo: string;
  customers: number;
  /** One row per stage in funnel order, with its suggested action. */
  stages: { stage: Stage; zh: string; en: string; count: number; share: number; actionZh: string; actionEn: string; priority: number; medianDaysSinceLast: number | null }[];
  /** Why customers got their stage (reason code → count). */
  reasons: Record<string, number>;
  trend: { months: string[]; counts: Record<Stage, number[]>; totals: number[] };
  transitions: {
    from: string;
    to: string;
    states: string[];
    counts: number[][];
    shares: number[][];
    nodes: { id: string; stage: string; side: 1 | 2; zh: string; en: string; value: number }[];
    links: { source: string; target: string; value: number }[];
  };
  /** Purchases with no usable customer, time or amount. */
  skippedRows: number;
  /** The status definitions the purchases were counted by. */
  definitions?: import('./definitions').DefinitionsUsedInfo;
}

export interface LifecycleSegmentResult {
  segmentation: SegmentationInfo;
  /** The per-customer stage table the rule runs on (reused for the same source, date and thresholds). */
  stageDataset: string;
  members: number;
}

export interface GeoRow {
  code: string;
  name: string;
  /** Feature name on the China map (provinces) or the city's short name. */
  mapName: string;
  /** English name (provinces); the city's name for cities. */
  english: string;
  /** Tile-grid position (provinces only). */
  tile: { row: number; col: number } | null;
  customers: number;
  /** The chosen measure: customers, revenue, or response rate (0–1). */
  value: number;
  share: number;
  /** response only. */
  sent?: number;
  responded?: number;
  ci?: [number, number];
  /** Fewer than minCount: shown, not ranked. */
  sparse: boolean;
  rank: number | null;
  /** Segment key → customers (when a segmentation was given). */
  mix?: Record<string, number>;
}

export interface GeoResult {
  measure: 'customers' | 'revenue' | 'response';
  by: 'province' | 'city';
  province: { code: string; name: string; mapName: string } | null;
  source: 'column' | 'phone';
  regionColumn: string | null;
  rows: GeoRow[];
  /** Customers whose place could not be read, and the commonest unreadable values. */
  unknown: number;
  unknownValues: { value: string; count: number }[];
  total: number;
  segments: { key: string; name: string; nameEn: string | null; color: string | null }[] | null;
  /** A first page of the customers in the chosen province (and city). */
  customers: { columns: string[]; rows: unknown[][]; total: number } | null;
}

export interface JourneyResult {
  lookbackDays: number;
  collapseRepeats: boolean;
  by: 'channel' | 'campaign';
  customers: number;
  touches: number;
  purchases: number;
  paths: number;
  convertingPaths: number;
  /** Purchases with no touch in the lookback window (not credited to any channel). */
  direct: { purchases: number; value: number };
  topPaths: { key: string; steps: string[]; paths: number; conversions: number; conversionRate: number; ci: [number, number]; value: number }[];
  /** Among paths seen ≥ minPaths times, by conversion rate. */
  bestPaths: { key: string; steps: string[]; paths: number; conversions: number; conversionRate: number; ci: [number, number]; value: number }[];
  sankey: { nodes: { name: string; label: string; step: number }[]; links: { source: string; target: string; value: number }[] };
  timings: {
    byStep: { from: number; to: number; n: number; medianDays: number | null; p90Days: number | null }[];
    betweenSteps: { n: number; medianDays: number | null; p90Days: number | null };
    lastTouchToPurchase: { n: number; medianDays: number | null; p90Days: number | null };
    firstTouchToPurchase: { n: number; medianDays: number | null; p90Days: number | null };
  };
  attribution: {
    models: { model: string; zh: string; en: string }[];
    byChannel: { name: string; credits: Record<string, { value: number; conversions: number }> }[];
    byCampaign: { name: string; credits: Record<string, { value: number; conversions: number }> }[];
    attributedConversions: number;
    attributedValue: number;
    unattributedConversions: number;
    unattributedValue: number;
  };
  unmatchedTouches: number;
}

export interface NpsSummary {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  se: number | null;
  ci: [number, number] | null;
}
export interface CsatSummary {
  n: number;
  satisfied: number;
  csat: number | null;
  ci: [number, number] | null;
  mean: number | null;
}

export interface SatisfactionResult {
  scale: 'nps' | 'csat';
  columns: { nps: string | null; csat: string | null; comment: string | null; time: string | null; by: string | null };
  answers: number;
  invalid: number;
  nps: NpsSummary | null;
  csat: CsatSummary | null;
  byGroup: { group: string; nps: NpsSummary | null; csat: CsatSummary | null }[];
  byMonth: { month: string; nps: NpsSummary | null; csat: CsatSummary | null }[];
  themes: {
    comments: number;
    sentiment: { positive: number; neutral: number; negative: number };
    /** Top words of the negative comments (complaints) and of the positive ones. */
    complaints: { term: string; count: number }[];
    praise: { term: string; count: number }[];
    /** Keywords per answer category (detractor/passive/promoter, or satisfied/not). */
    byCategory: { group: string; size: number; terms: { term: string; score: number }[] }[];
    examples: { text: string; score: number | null; sentiment: string }[];
  } | null;
  outcome: {
    horizonDays: number;
    censored: number;
    unmatched: number;
    groups: { group: string; n: number; churned: number; churnRate: number; churnCi: [number, number]; meanSpend: number; medianSpend: number }[];
    /** Detractors vs promoters (or not satisfied vs satisfied). */
    comparison: { a: string; b: string; churn: { rateA: number; rateB: number; diff: number; z: number; p: number; ci: [number, number] }; spend: { meanA: number; meanB: number; diff: number; t: number; df: number; p: number } } | null;
  } | null;
}

export type InsightsResults = {
  'insights/lifecycle': LifecycleResult;
  'insights/lifecycle/segment': LifecycleSegmentResult;
  'insights/geo': GeoResult;
  'insights/journeys': JourneyResult;
  'insights/satisfaction': SatisfactionResult;
};
