/**
 * Contract of the privacy domain (see shared/api.ts): protected segment exports with message
 * templates and the suppression list (backups, the audit log and reports are domains of their own).
 *
 * Paths: the CLI and tests name files directly; the desktop renderer passes a path the user
 * chose in the native save dialog (`host/choose-save` grants it); the browser-mode renderer
 * passes `download: true` instead — the server writes into `<data>/exports/<id>/` and the file
 * is fetched once from `GET /api/download?id=…` (token in the header, like every API call).
 */
import { z } from 'zod';
import { destination, needsTarget, TARGET_MSG } from './files';
import { jobKind } from './jobs';

export const PROTECTIONS = ['keep', 'mask', 'pseudonym', 'drop'] as const;
export const PROTECT_KINDS = ['phone', 'name', 'email', 'id_number', 'address', 'generic'] as const;
/**
 * What an export is for, which decides what it may hold:
 * - gateway: a send list for an SMS gateway — the phone (in the gateway's format) and the message
 *   rendered from real values, nothing else; suppression always on; one row per phone; no
 *   spreadsheet escaping (a machine reads it) and no byte-order mark.
 * - agency: a list shared outside — every personal column masked, pseudonymised or dropped (keep
 *   is refused), no message.
 * - excel: a workbook for people — xlsx, formula-safe.
 * - custom: as chosen column by column.
 */
export const EXPORT_PURPOSES = ['gateway', 'agency', 'excel', 'custom'] as const;
export type ExportPurpose = (typeof EXPORT_PURPOSES)[number];
export type ProtectMode = (typeof PROTECTIONS)[number];
export type ProtectKind = (typeof PROTECT_KINDS)[number];

const protectSpec = z
  .object({ column: z.string().min(1).max(200), protect: z.enum(PROTECTIONS), kind: z.enum(PROTECT_KINDS).optional() })
  .strict();

/** What to export: a saved segment (its members) from a dataset, or a whole dataset. */
const exportSource = {
  /** A segment: its id, or its name / English name / key (the newest segmentation wins). */
  segmentId: z.string().min(1).max(200).optional(),
  /** The dataset whose rows are written; with a segment, only the members' rows. Default: the best-matching dataset with a phone column. */
  datasetId: z.string().min(1).max(200).optional(),
  /** Columns in order; default all of the dataset's. */
  columns: z.array(z.string().min(1).max(200)).max(2000).optional(),
  protect: z.array(protectSpec).max(2000).default([]),
  /** A message template rendered per row into `column` (validated before anything is written). */
  template: z.object({ text: z.string().min(1).max(2000), column: z.string().trim().min(1).max(100).default('短信内容') }).strict().optional(),
  /** Leave out rows whose phone is on the suppression list (default on; the count is reported). */
  suppression: z.boolean().default(true),
  purpose: z.enum(EXPORT_PURPOSES).default('custom'),
  /** Gateway send lists: a Chinese mobile as its 11 digits (national) or as +86… (e164). */
  phoneFormat: z.enum(['national', 'e164']).default('national'),
};


const needsSource = (a: { segmentId?: string; datasetId?: string }) => !!(a.segmentId || a.datasetId);
const SOURCE_MSG = { message: 'give segmentId or datasetId' };

export const privacySchemas = {
  'privacy/export/preview': z
    .object({ ...exportSource, sample: z.number().int().min(1).max(50).default(5) })
    .strict()
    .refine(needsSource, SOURCE_MSG),
  'privacy/export': z
    .object({ ...exportSource, ...destination, format: z.enum(['csv', 'xlsx']).default('csv'), encoding: z.enum(['utf-8', 'gbk', 'gb18030']).default('utf-8') })
    .strict()
    .refine(needsSource, SOURCE_MSG)
    .refine(needsTarget, TARGET_MSG),
};

export interface ExportColumnInfo {
  name: string;
  type: string;
  role: string | null;
  /** Detected kind of personal data (masks.ts detectPiiKind), or null. */
  pii: string | null;
  /** What the dialog proposes: mask personal columns, keep the rest. */
  suggested: ProtectMode;
}

export interface ExportSourceInfo {
  datasetId: string;
  datasetName: string;
  segment: { id: string; name: string; nameEn: string | null; segmentationId: string; segmentationName: string; size: number } | null;
  /** Column whose values are matched against the segment's member keys. */
  keyColumn: string | null;
  phoneColumn: string | null;
  /** Datasets that hold the segment's members (matched keys), best first. */
  candidates: { id: string; name: string; matched: number; rows: number; hasPhone: boolean }[];
}

export interface TemplateCheck {
  ok: boolean;
  errors: { code: string; en: string; zh: string; details?: unknown }[];
  fields: string[];
  unknownFields: string[];
  /** Segments of the template with every field at its fallback. */
  baseline: { encoding: string; segments: number; chars: number } | null;
  /** Over all rows to export: how many messages spill over, the total and largest segment counts. */
  spillover: number;
  totalSegments: number;
  maxSegments: number;
}

export interface RenderedSample {
  text: string;
  encoding: string;
  chars: number;
  segments: number;
  spillover: boolean;
  extraSegments: number;
  usedFallback: string[];
  missing: string[];
}

export interface ExportPreview extends ExportSourceInfo {
  columns: ExportColumnInfo[];
  /** Rows matched before suppression. */
  total: number;
  suppressed: number;
  suppression: 'applied' | 'off' | 'no_phone_column';
  /** Rows that will be written. */
  rows: number;
  /** Header as it will be written (dropped columns left out, the message column last). */
  header: string[];
  /** Protected sample rows as they will be written. */
  sample: unknown[][];
  messages: RenderedSample[];
  template: TemplateCheck | null;
  purpose: ExportPurpose;
  /** Gateway send lists: rows left out because the phone is not a phone, or was already listed. */
  invalidPhones: number;
  duplicatePhones: number;
}

export interface ExportResult {
  path: string;
  fileName: string;
  downloadId: string | null;
  datasetId: string;
  segment: ExportSourceInfo['segment'];
  rows: number;
  suppressed: number;
  suppression: ExportPreview['suppression'];
  columns: string[];
  protection: { column: string; protect: ProtectMode; kind: string | null }[];
  template: { column: string; spillover: number; totalSegments: number } | null;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  bytes: number;
  sha256: string;
  auditId: number;
  purpose: ExportPurpose;
  invalidPhones: number;
  duplicatePhones: number;
}



export type PrivacyResults = {
  'privacy/export/preview': ExportPreview;
  'privacy/export': { jobId: string; path: string; downloadId: string | null; fileName: string };
};


export const privacyJobs = {
  /** The call's export, its destination resolved (a path, or a one-time download's id). */
  'privacy/export': jobKind(
    z.object({ ...exportSource, keyColumn: z.string().min(1).max(200).optional(), path: z.string().min(1), fileName: z.string().min(1), downloadId: z.string().nullable(), format: z.enum(['csv', 'xlsx']), encoding: z.enum(['utf-8', 'gbk', 'gb18030']) }).strict(),
  ).returns<ExportResult>(),
};
