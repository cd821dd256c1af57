import { z } from 'zod';
import { datasetId } from './datasets';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const dashboardSchemas = {
  'dashboard/summary': z
    .object({
      datasetId,
      from: isoDate.optional(),
      to: isoDate.optional(),
      channel: z.string().max(200).optional(),
      region: z.string().max(200).optional(),
      segmentationId: z.string().regex(/^sg_[a-z0-9]+$/).optional(),
      segment: z.string().max(200).optional(),
    })
    .strict(),
};

export interface Kpis {
  customers: number;
  activeCustomers: number;
  revenue: number;
  orders: number;
  aov: number;
  repeatRate: number;
  /** Refunded order lines in the period (absolute amount), shown apart from revenue. */
  refunded?: number;
}

export interface DashboardSummary {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  kpis: Kpis;
  previousKpis: Kpis;
  monthly: { month: string; revenue: number; orders: number; customers: number }[];
  byChannel: { key: string; revenue: number; orders: number }[] | null;
  byRegion: { key: string; revenue: number; orders: number }[] | null;
  bySegment: { key: string; name: string; revenue: number; customers: number }[] | null;
  heatmap: { weekday: number; hour: number; orders: number }[];
  channels: string[];
  regions: string[];
  /** The status definitions the orders were counted by. */
  definitions?: import('./definitions').DefinitionsUsedInfo;
}

export type DashboardResults = { 'dashboard/summary': DashboardSummary };
