/** Contract of the privacy domain (see shared/api.ts). */
import { z } from 'zod';

export const privacySchemas = {
  'privacy/ping': z.object({}).strict(),
};

export type PrivacyResults = {
  'privacy/ping': { ok: true };
};
