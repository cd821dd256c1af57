/** Contract of the audit domain: the log of what changed or left the workspace (imports, exports, definition changes, remote queries…). */
import { z } from 'zod';
import type { AuditEntry } from '../types';
import { destination, needsTarget, TARGET_MSG, type FileResult } from './files';

export const auditSchemas = {
  'audit/list': z
    .object({ limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0), action: z.string().optional() })
    .strict(),
  'audit/actions': z.object({}).strict(),
  'audit/export': z
    .object({ action: z.string().max(100).optional(), ...destination })
    .strict()
    .refine(needsTarget, TARGET_MSG),
};

export type AuditResults = {
  'audit/list': { entries: AuditEntry[]; total: number };
  'audit/actions': { action: string; count: number }[];
  'audit/export': FileResult & { rows: number };
};
