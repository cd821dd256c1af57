import { z } from 'zod';
import { COLUMN_TYPES, ROLES, type ColumnType, type Role } from '../types';
import { datasetId } from './datasets';
import { jobKind } from './jobs';

/** A file to import: an upload streamed to the server (browser mode), or a path the user chose
 * in a native dialog (Electron) or named on the command line. Paths are checked against the
 * grants of the current host — a renderer cannot name arbitrary files. */
export const fileRef = z.union([
  z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/) }).strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);
export type FileRef = z.infer<typeof fileRef>;

export const encodingName = z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'gb18030', 'big5', 'latin1']);
export type EncodingName = z.infer<typeof encodingName>;

export const dialectSchema = z
  .object({
    delimiter: z.string().min(1).max(4),
    quote: z.union([z.literal('"'), z.literal("'"), z.null()]),
    header: z.boolean(),
    lineEnding: z.enum(['\n', '\r\n', '\r', 'mixed']),
    skipLines: z.number().int().min(0).max(1000),
    /** Drop the blanks right after a delimiter (", "-separated files such as FEBRL). */
    skipInitialSpace: z.boolean().optional(),
    /** Every line ends with one extra delimiter (Excel's trailing commas): that empty last field is not a column. */
    trailingDelimiter: z.boolean().optional(),
  })
  .strict();
export type DialectSettings = z.infer<typeof dialectSchema>;

export const importColumnSchema = z
  .object({
    source: z.string(),
    name: z.string().trim().min(1).max(200),
    type: z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]]),
    role: z.enum(ROLES as [Role, ...Role[]]).nullable(),
    include: z.boolean().default(true),
    dateOrder: z.enum(['ymd', 'dmy', 'mdy']).optional(),
    /** How the values must be read: 'yyyymmdd', 'excel-serial' or 'epoch' (dates). */
    dateFormat: z.enum(['yyyymmdd', 'excel-serial', 'epoch']).optional(),
    /** Default country for phone numbers without a country code (CN unless the data says otherwise). */
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .strict();

/** The saved, replayable import settings (`--settings S.json`). */
export const importSettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    encoding: encodingName,
    dialect: dialectSchema,
    sheet: z.union([z.string(), z.number().int().min(0)]).optional(),
    columns: z.array(importColumnSchema).min(1),
  })
  .strict();
export type ImportSettings = z.infer<typeof importSettingsSchema>;

/**
 * Past this size the import suggests the DuckDB engine: on this project's 2-core bench machine a 5M-order
 * file (390 MB) takes 30–44 s per RFM in SQLite and a few seconds in DuckDB (docs/methods/bigdata.md);
 * from about 250 MB (3M rows) an analysis in SQLite passes 20 s.
 */
export const DUCKDB_SUGGESTED_BYTES = 250 * 2 ** 20;

export const importSchemas = {
  'import/inspect': z
    .object({
      files: z.array(fileRef).min(1).max(50),
      encoding: z.union([z.literal('auto'), encodingName]).default('auto'),
      dialect: dialectSchema.partial().optional(),
      sheet: z.union([z.string(), z.number().int().min(0)]).optional(),
      previewRows: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'import/start': z
    .object({
      files: z.array(fileRef).min(1).max(50),
      name: z.string().trim().min(1).max(200),
      settings: importSettingsSchema,
      /** Append the rows to this earlier import (next batch of SMS result files) instead of creating a dataset. */
      appendTo: datasetId.optional(),
      /** Where the rows go: the workspace (SQLite, the default) or the DuckDB file beside it (large files). */
      engine: z.enum(['sqlite', 'duckdb']).optional(),
    })
    .strict(),
};

export interface InspectColumn {
  source: string;
  name: string;
  type: ColumnType;
  role: Role | null;
  fitShare: number;
  nonEmpty: number;
  distinct: number;
  examples: string[];
  badExamples: string[];
  dateOrder?: 'ymd' | 'dmy' | 'mdy';
  dateFormat?: 'yyyymmdd' | 'excel-serial' | 'epoch';
  defaultCountry?: string;
  note?: string;
}

export interface InspectResult {
  files: { name: string; size: number; kind: 'text' | 'xlsx' }[];
  encoding: EncodingName;
  encodingDetected: { encoding: EncodingName; confidence: number; reason: string };
  dialect: DialectSettings;
  dialectConfidence: number;
  sheets: string[] | null;
  header: string[];
  preview: string[][];
  columns: InspectColumn[];
  warnings: { code: string; en: string; zh: string }[];
  /** Suggested settings, ready to pass to import/start (or to save for replay). */
  settings: ImportSettings;
}

export interface ImportSummary {
  datasetId: string;
  name: string;
  rowsIn: number;
  rowsImported: number;
  rowsQuarantined: number;
  blankLines: number;
  encoding: EncodingName;
  delimiter: string;
  header: boolean;
  columns: { name: string; type: ColumnType; role: Role | null; invalid: number; invalidReasons?: Record<string, number> }[];
  seconds: number;
  bytes: number;
  /** 1 for a new dataset; 2, 3 … for appended batches. */
  batch: number;
  /** The name asked for, when another dataset had it and this one was stored as "name (2)". */
  renamedFrom?: string;
  /** A replies dataset (reply text + phone): its unsubscribe replies went onto the suppression list with it. */
  suppression?: { detected: number; added: number; already: number };
}

export type ImportResults = {
  'import/inspect': InspectResult;
  'import/start': { jobId: string };
};

/** A file the import reads: its path on this machine (already granted), shown name, size and reader. */
const sourceFile = z.object({ path: z.string().min(1), name: z.string().min(1), size: z.number().int().min(0), kind: z.enum(['text', 'xlsx']) }).strict();

export const importJobs = {
  'import/run': jobKind(z.object({ files: z.array(sourceFile).min(1), name: z.string().min(1), settings: importSettingsSchema, appendTo: z.string().optional(), engine: z.enum(['sqlite', 'duckdb']).optional() }).strict()).returns<ImportSummary>(),
};
