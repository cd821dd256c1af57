/**
 * THE contract between renderer (and CLI, and tests) and the services: one map of
 * 'domain/verb' → zod schema for the argument, and one map of result types. The dispatcher
 * validates every call once against these schemas; the renderer client is typed from `Api`.
 * Each domain declares its own part in shared/api/<domain>.ts; this file only joins them.
 */
import type { z } from 'zod';
import { joinTyped } from './join';
import type { CallPolicy } from './api/policy';
import { appSchemas, appPolicies, type AppResults } from './api/app';
import { workspaceSchemas, workspacePolicies, type WorkspaceResults } from './api/workspace';
import { datasetsSchemas, datasetsPolicies, type DatasetsResults } from './api/datasets';
import { jobsSchemas, type JobsResults } from './api/jobs';
import { demoSchemas, demoJobs, type DemoResults } from './api/demo';
import { importSchemas, importJobs, type ImportResults } from './api/import';
import { segmentsSchemas, segmentsPolicies, segmentsJobs, type SegmentsResults } from './api/segments';
import { dashboardSchemas, type DashboardResults } from './api/dashboard';
import { valueSchemas, valueJobs, type ValueResults } from './api/value';
import { smsSchemas, type SmsResults } from './api/sms';
import { textSchemas, textJobs, type TextResults } from './api/text';
import { qualitySchemas, qualityJobs, type QualityResults } from './api/quality';
import { customersSchemas, customersPolicies, customersJobs, type CustomersResults } from './api/customers';
import { privacySchemas, privacyJobs, type PrivacyResults } from './api/privacy';
import { auditSchemas, type AuditResults } from './api/audit';
import { backupsSchemas, backupsPolicies, type BackupsResults } from './api/backups';
import { reportsSchemas, type ReportsResults } from './api/reports';
import { insightsSchemas, type InsightsResults } from './api/insights';
import { definitionsSchemas, type DefinitionsResults } from './api/definitions';
import { remoteSchemas, type RemoteResults } from './api/remote';
import { upliftSchemas, upliftJobs, type UpliftResults } from './api/uplift';
import { columnsSchemas, columnsJobs, type ColumnsResults } from './api/columns';

/** Every call's schema; a name two domains declare throws at load. */
export const apiSchemas = joinTyped(
  'call',
  appSchemas,
  workspaceSchemas,
  datasetsSchemas,
  jobsSchemas,
  demoSchemas,
  importSchemas,
  segmentsSchemas,
  dashboardSchemas,
  valueSchemas,
  smsSchemas,
  textSchemas,
  qualitySchemas,
  customersSchemas,
  privacySchemas,
  auditSchemas,
  backupsSchemas,
  reportsSchemas,
  insightsSchemas,
  definitionsSchemas,
  remoteSchemas,
  upliftSchemas,
  columnsSchemas,
);

/** Every job kind: its argument schema (checked when it starts) and its result type. */
export const apiJobs = joinTyped('job kind', demoJobs, importJobs, segmentsJobs, valueJobs, textJobs, qualityJobs, customersJobs, privacyJobs, upliftJobs, columnsJobs);
export type ApiJobs = typeof apiJobs;
export type JobKind = keyof ApiJobs;
/** What a job function receives (defaults filled in). */
export type JobArgs<K extends JobKind> = z.output<ApiJobs[K]['args']>;
/** What a caller may pass when starting it. */
export type JobInput<K extends JobKind> = z.input<ApiJobs[K]['args']>;
export type JobResult<K extends JobKind> = NonNullable<ApiJobs[K]['result']>;
export const JOB_KINDS = Object.keys(apiJobs) as JobKind[];

/** Declared per-call policies (shared/api/policy.ts); a call without one gets the defaults. */
export const apiPolicies: Partial<Record<ApiName, CallPolicy<never>>> = joinTyped('call policy', appPolicies, workspacePolicies, datasetsPolicies, segmentsPolicies, customersPolicies, backupsPolicies);

export type ApiSchemas = typeof apiSchemas;
export type ApiName = keyof ApiSchemas;
export type ApiResults = AppResults & WorkspaceResults & DatasetsResults & JobsResults & DemoResults & ImportResults & SegmentsResults & DashboardResults & ValueResults & SmsResults & TextResults & QualityResults & CustomersResults & PrivacyResults & AuditResults & BackupsResults & ReportsResults & InsightsResults & DefinitionsResults & RemoteResults & UpliftResults & ColumnsResults;

/** What a caller passes (defaults may be omitted). */
export type ApiArgs<K extends ApiName> = z.input<ApiSchemas[K]>;
/** What a handler receives after validation (defaults filled in). */
export type ApiParsed<K extends ApiName> = z.output<ApiSchemas[K]>;
export type ApiResult<K extends ApiName> = ApiResults[K];

export type Api = { [K in ApiName]: (args: ApiArgs<K>) => Promise<ApiResult<K>> };

export const API_NAMES = Object.keys(apiSchemas) as ApiName[];

/** Wire format of one call's answer (HTTP body and ipc reply). */
export type CallReply<T = unknown> = { ok: true; result: T } | { ok: false; error: { code: string; en: string; zh: string; details?: unknown } };
