import { z } from 'zod';
import { datasetId } from './datasets';

export const smsSchemas = {
  'sms/report': z
    .object({
      sends: datasetId,
      replies: datasetId.optional(),
      orders: datasetId.optional(),
      windowDays: z.number().min(0.1).max(90).default(7),
      minCount: z.number().int().min(1).max(10_000).default(30),
    })
    .strict(),
  'sms/unsubscribes': z.object({ replies: datasetId }).strict(),
};

export interface VariantStats {
  variant: string;
  sent: number;
  delivered: number;
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
  replied: number;
  unsubscribed: number;
  converted: number;
  revenue: number;
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
  totals: { sent: number; delivered: number; replied: number; unsubscribed: number; converted: number; revenue: number; cost: number };
  grid: { weekday: number; hour: number; n: number; x: number; rate: number; sparse: boolean }[];
  bestSlot: { startHour: number; endHour: number; n: number; x: number; rate: number; lower: number; upper: number } | null;
}

export type SmsResults = {
  'sms/report': SmsReport;
  'sms/unsubscribes': { rows: { phone: string; time: string; text: string; rule: string }[] };
};
