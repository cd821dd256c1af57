/** Contract of the customers domain (see shared/api.ts). */
import { z } from 'zod';

export const customersSchemas = {
  'customers/ping': z.object({}).strict(),
};

export type CustomersResults = {
  'customers/ping': { ok: true };
};
