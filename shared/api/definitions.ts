import { z } from 'zod';
import { datasetId } from './datasets';

/** Definitions (口径): status mappings per dataset, attribution window, as-of; and the identity layer's state. */
export const ORDER_STATUS_CLASS_NAMES = ['valid', 'cancelled', 'refunded', 'pending'] as const;
export const SMS_STATUS_CLASS_NAMES = ['delivered', 'accepted', 'unknown', 'failed'] as const;

export const definitionsSchemas = {
  'definitions/get': z.object({ datasetId: datasetId.optional() }).strict(),
  'definitions/set': z
    .object({
      datasetId: datasetId.optional(),
      kind: z.enum(['order', 'sms']).optional(),
      column: z.string().max(500).optional(),
      /** raw value → class ('' or 'auto' drops the override) */
      set: z.record(z.string().max(500), z.string().max(20)).optional(),
      windowDays: z.number().min(0.1).max(365).optional(),
      asOf: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.literal('')]).optional(),
    })
    .strict(),
  'identity/status': z.object({ rebuild: z.boolean().default(false) }).strict(),
};

export interface StatusValueInfo {
  raw: string;
  rows: number;
  inferred: string;
  cls: string;
  overridden: boolean;
}

export interface StatusDefinitionInfo {
  datasetId: string;
  datasetName: string;
  kind: 'order' | 'sms';
  column: string | null;
  columnChosen: boolean;
  noColumnClass: string;
  values: StatusValueInfo[];
}

export interface DefinitionsInfo {
  revision: number;
  windowDays: number;
  asOf: string | null;
  statuses: StatusDefinitionInfo[];
}

export interface IdentityStatus {
  customers: number;
  rebuilt: boolean;
  links: number;
  sharedKeys: number;
  builtAt: string | null;
  seconds: number | null;
  /** Seconds per build step (crm, keys, evidence, maps, stats, customers). */
  steps: Record<string, number> | null;
  datasets: { id: string; name: string; rows: number; linked: number }[];
}

export interface DefinitionsResults {
  'definitions/get': DefinitionsInfo;
  'definitions/set': DefinitionsInfo;
  'identity/status': IdentityStatus;
}

/** The definitions a report or export used (stated in every result that counts orders or sends). */
export interface DefinitionsUsedInfo {
  revision: number;
  windowDays: number;
  asOf: string | null;
  statuses: { datasetId: string; kind: 'order' | 'sms'; column: string | null; classes: Record<string, string[]> }[];
}
