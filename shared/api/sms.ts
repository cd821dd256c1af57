import { z } from 'zod';
import { datasetId } from './datasets';

const unsubscribeRule = z.object({ kind: z.enum(['exact', 'contains', 'regex']), pattern: z.string().min(1).max(200) }).strict();
export type UnsubscribeRuleInput = z.infer<typeof unsubscribeRule>;

export const smsSchemas = {
  'sms/report': z
    .object({
      sends: datasetId,
      replies: datasetId.optional(),
      clicks: datasetId.optional(),
      /** Delivery receipts (phone, time, status report such as DELIVRD/UNDELIV): they decide delivery when given. */
      receipts: datasetId.optional(),
      orders: datasetId.optional(),
      windowDays: z.number().min(0.1).max(90).default(7),
      minCount: z.number().int().min(1).max(10_000).default(30),
    })
    .strict(),
  'sms/unsubscribes': z.object({ replies: datasetId }).strict(),
  /** A/B planner: customers per variant to detect p1 vs p2, and the power of a given size. */
  'sms/sample-size': z.object({ p1: z.number().gt(0).lt(1), p2: z.number().gt(0).lt(1), alpha: z.number().gt(0).lt(0.5).default(0.05), power: z.number().gt(0.5).lt(1).default(0.8), n: z.number().int().min(2).optional() }).strict(),
  'sms/rules/get': z.object({}).strict(),
  /** null = back to the built-in rules. */
  'sms/rules/set': z.object({ rules: z.array(unsubscribeRule).max(200).nullable() }).strict(),
  'sms/suppression/list': z.object({ search: z.string().max(100).optional(), limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).default(0) }).strict(),
  'sms/suppression/add': z.object({ phones: z.array(z.string().min(1).max(40)).min(1).max(100_000), reason: z.enum(['unsubscribe', 'complaint', 'manual']).default('manual'), detail: z.string().max(500).optional() }).strict(),
  'sms/suppression/remove': z.object({ phones: z.array(z.string().min(1).max(40)).min(1).max(100_000) }).strict(),
  'sms/suppression/sync': z.object({ replies: datasetId }).strict(),
  'sms/monitors': z.object({}).strict(),
  'sms/monitor/save': z
    .object({
      id: z.string().regex(/^mon_[a-f0-9]{12}$/).optional(),
      name: z.string().trim().min(1).max(200),
      sends: datasetId,
      replies: datasetId.optional(),
      clicks: datasetId.optional(),
      /** Delivery receipts (DELIVRD/UNDELIV): they decide delivered vs failed, as in the campaign report. */
      receipts: datasetId.optional(),
      thresholds: z
        .object({
          deliveryRateMin: z.number().min(0).max(1).nullable(),
          unsubscribeRateMax: z.number().min(0).max(1).nullable(),
          failRateMax: z.number().min(0).max(1).nullable(),
          clickRateMin: z.number().min(0).max(1).nullable(),
          minSends: z.number().int().min(1).max(1_000_000),
        })
        .partial()
        .strict()
        .default({}),
    })
    .strict(),
  'sms/monitor/delete': z.object({ id: z.string().regex(/^mon_[a-f0-9]{12}$/) }).strict(),
  'sms/alerts/ack': z.object({ monitorId: z.string().optional(), ids: z.array(z.number().int()).max(10_000).optional() }).strict(),
};

export interface MonitorThresholds {
  deliveryRateMin: number | null;
  unsubscribeRateMax: number | null;
  failRateMax: number | null;
  clickRateMin: number | null;
  /** Batches with fewer sends never alert. */
  minSends: number;
}

export interface MonitorKpis {
  sent: number;
  deliveryRate: number;
  failRate: number;
  clickRate: number | null;
  replyRate: number;
  unsubscribeRate: number;
}

export interface MonitorView {
  id: string;
  name: string;
  sends: string;
  replies: string | null;
  clicks: string | null;
  receipts: string | null;
  thresholds: MonitorThresholds;
  createdAt: string;
  trend: { batch: number; files: string; importedAt: string; kpis: MonitorKpis }[];
  alerts: { id: number; batch: number; kpi: keyof MonitorKpis; value: number; threshold: number; raisedAt: string; acknowledged: boolean }[];
}

export interface SuppressionEntry {
  phone: string;
  reason: 'unsubscribe' | 'complaint' | 'manual';
  source: string | null;
  detail: string | null;
  addedAt: string;
}

export interface VariantStats {
  variant: string;
  sent: number;
  delivered: number;
  clicked: number;
  replied: number;
  converted: number;
  rate: number;
  ci: [number, number];
}

export interface CampaignReport {
  campaign: string;
  sent: number;
  delivered: number;
  failed: number;
  unknown: number;
  /** Accepted by the gateway with no receipt (成功): not delivered. */
  accepted: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  converted: number;
  revenue: number;
  /** Refunded orders credited to this campaign's delivered sends: shown apart, never conversions. */
  refunded: number;
  refundedRevenue: number;
  cost: number;
  costPerConversion: number | null;
  roi: number | null;
  variants: VariantStats[];
  /** Message length as sent: encoding, segments per message, and rendered messages that spill into more segments than usual. */
  length: { encoding: 'GSM-7' | 'UCS-2' | 'mixed'; typicalSegments: number; maxSegments: number; spilled: number; segmentsSent: number; example: string | null } | null;
  abTest: { control: string; tests: { variant: string; diff: number; z: number; p: number; pHolm: number; ci: [number, number]; verdictZh: string; verdictEn: string }[] } | null;
}

export interface SmsReport {
  windowDays: number;
  campaigns: CampaignReport[];
  totals: { sent: number; delivered: number; clicked: number; replied: number; unsubscribed: number; converted: number; revenue: number; refunded: number; refundedRevenue: number; cost: number };
  grid: { weekday: number; hour: number; n: number; x: number; rate: number; sparse: boolean }[];
  bestSlot: { startHour: number; endHour: number; n: number; x: number; rate: number; lower: number; upper: number } | null;
  /** The weekday (0 = Monday) × hour cell with the highest Wilson lower bound, on delivered sends, with its counts. */
  bestCell: { weekday: number; hour: number; n: number; x: number; rate: number; lower: number; upper: number; recommendationEn: string; recommendationZh: string } | null;
  /** What the figures mean: window, status classes per dataset, as-of, the attribution rule. */
  definitions: SmsDefinitions;
}

export interface SmsDefinitions {
  windowDays: number;
  asOf: string | null;
  revision: number;
  statuses: { datasetId: string; kind: 'order' | 'sms'; column: string | null; classes: Record<string, string[]> }[];
  attributionEn: string;
  attributionZh: string;
}

export type SmsResults = {
  'sms/report': SmsReport;
  'sms/unsubscribes': { rows: { phone: string; time: string; text: string; rule: string }[] };
  'sms/sample-size': { perVariant: number; total: number; powerAtN: number | null; curve: { n: number; power: number }[] };
  'sms/rules/get': { rules: UnsubscribeRuleInput[]; isDefault: boolean };
  'sms/rules/set': { rules: UnsubscribeRuleInput[]; isDefault: boolean };
  'sms/suppression/list': { total: number; rows: SuppressionEntry[] };
  'sms/suppression/add': { added: number; already: number };
  'sms/suppression/remove': { removed: number };
  'sms/suppression/sync': { detected: number; added: number; already: number };
  'sms/monitors': { monitors: MonitorView[]; unacknowledged: number };
  'sms/monitor/save': MonitorView;
  'sms/monitor/delete': { deleted: string };
  'sms/alerts/ack': { acknowledged: number };
};
