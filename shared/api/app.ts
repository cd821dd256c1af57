import { z } from 'zod';
import type { Lang } from '../types';
import { everyCall } from './policy';

export const appSchemas = {
  'app/info': z.object({}).strict(),
  'settings/get': z.object({}).strict(),
  'settings/set': z
    .object({
      language: z.enum(['zh-CN', 'en']).optional(),
      presentationMode: z.boolean().optional(),
      backupRetention: z.number().int().min(1).max(100).optional(),
    })
    .strict(),
  /** Native file dialogs (Electron only); chosen paths are granted to later calls. */
  'host/choose-files': z.object({ multiple: z.boolean().default(false), filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional() }).strict(),
  'host/choose-save': z.object({ defaultName: z.string().min(1).max(255), filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional() }).strict(),
};

export interface AppSettings {
  language: Lang | null;
  presentationMode: boolean;
  backupRetention: number;
}

export type AppResults = {
  'app/info': { version: string; host: 'electron' | 'browser' | 'cli' | 'test'; dataDir: string; platform: string; systemLocale: string };
  'settings/get': AppSettings;
  'settings/set': AppSettings;
  'host/choose-files': { paths: string[] };
  'host/choose-save': { path: string | null };
};

/** App metadata and settings carry no data: presentation mode leaves them alone. */
export const appPolicies = everyCall(appSchemas, { mask: 'none' });
