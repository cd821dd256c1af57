/** Contract of the insights domain (see shared/api.ts). */
import { z } from 'zod';

export const insightsSchemas = {
  'insights/ping': z.object({}).strict(),
};

export type InsightsResults = {
  'insights/ping': { ok: true };
};
