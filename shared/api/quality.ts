/** Contract of the quality domain (see shared/api.ts). */
import { z } from 'zod';

export const qualitySchemas = {
  'quality/ping': z.object({}).strict(),
};

export type QualityResults = {
  'quality/ping': { ok: true };
};
