/**
 * THE contract between renderer (and CLI, and tests) and the services: one map of
 * 'domain/verb' → zod schema for the argument, and one map of result types. The dispatcher
 * validates every call once against these schemas; the renderer client is typed from `Api`.
 * Each domain declares its own part in shared/api/<domain>.ts; this file only joins them.
 */
import type { z } from 'zod';
import { appSchemas, type AppResults } from './api/app';
import { workspaceSchemas, type WorkspaceResults } from './api/workspace';
import { datasetsSchemas, type DatasetsResults } from './api/datasets';
import { jobsSchemas, type JobsResults } from './api/jobs';
import { importSchemas, type ImportResults } from './api/import';
import { segmentsSchemas, type SegmentsResults } from './api/segments';
import { dashboardSchemas, type DashboardResults } from './api/dashboard';
import { valueSchemas, type ValueResults } from './api/value';
import { smsSchemas, type SmsResults } from './api/sms';
import { textSchemas, type TextResults } from './api/text';
import { qualitySchemas, type QualityResults } from './api/quality';
import { customersSchemas, type CustomersResults } from './api/customers';
import { privacySchemas, type PrivacyResults } from './api/privacy';
import { insightsSchemas, type InsightsResults } from './api/insights';
import { definitionsSchemas, type DefinitionsResults } from './api/definitions';
import { remoteSchemas, type RemoteResults } from './api/remote';
import { upliftSchemas, type UpliftResults } from './api/uplift';
import { columnsSchemas, type ColumnsResults } from './api/columns';

export const apiSchemas = {
  ...appSchemas,
  ...workspaceSchemas,
  ...datasetsSchemas,
  ...jobsSchemas,
  ...importSchemas,
  ...segmentsSchemas,
  ...dashboardSchemas,
  ...valueSchemas,
  ...smsSchemas,
  ...textSchemas,
  ...qualitySchemas,
  ...customersSchemas,
  ...privacySchemas,
  ...insightsSchemas,
  ...definitionsSchemas,
  ...remoteSchemas,
  ...upliftSchemas,
  ...columnsSchemas,
};

export type ApiSchemas = typeof apiSchemas;
export type ApiName = keyof ApiSchemas;
export type ApiResults = AppResults & WorkspaceResults & DatasetsResults & JobsResults & ImportResults & SegmentsResults & DashboardResults & ValueResults & SmsResults & TextResults & QualityResults & CustomersResults & PrivacyResults & InsightsResults & DefinitionsResults & RemoteResults & UpliftResults & ColumnsResults;

/** What a caller passes (defaults may be omitted). */
export type ApiArgs<K extends ApiName> = z.input<ApiSchemas[K]>;
/** What a handler receives after validation (defaults filled in). */
export type ApiParsed<K extends ApiName> = z.output<ApiSchemas[K]>;
export type ApiResult<K extends ApiName> = ApiResults[K];

export type Api = { [K in ApiName]: (args: ApiArgs<K>) => Promise<ApiResult<K>> };

export const API_NAMES = Object.keys(apiSchemas) as ApiName[];

/** Wire format of one call's answer (HTTP body and ipc reply). */
export type CallReply<T = unknown> = { ok: true; result: T } | { ok: false; error: { code: string; en: string; zh: string; details?: unknown } };
