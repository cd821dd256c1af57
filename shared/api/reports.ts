/** Contract of the reports domain: self-contained HTML/PDF reports of the dashboard or a segmentation. */
import { z } from 'zod';
import { destination, needsTarget, TARGET_MSG, type FileResult } from './files';

export const reportsSchemas = {
  'reports/write': z
    .object({
      kind: z.enum(['dashboard', 'segment']),
      /** dashboard: a transactions dataset (default: the first that fits); segment: a segmentation id. */
      id: z.string().min(1).max(200).optional(),
      lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
      format: z.enum(['html', 'pdf']).default('html'),
      /** Mask personal values (customer keys in member samples). Default true. */
      masked: z.boolean().default(true),
      ...destination,
    })
    .strict()
    .refine(needsTarget, TARGET_MSG),
};

export interface ReportResult extends FileResult {
  kind: 'dashboard' | 'segment';
  format: 'html' | 'pdf';
  charts: number;
  /** Which PDF printer was used (electron / chromium), null for HTML. */
  printer: string | null;
}

export type ReportsResults = {
  'reports/write': ReportResult;
};
