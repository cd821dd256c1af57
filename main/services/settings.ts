/** App-level settings and the recent-workspace list, kept in the data folder as JSON. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AppSettings } from '../../shared/api/app';
import type { RecentWorkspace } from '../../shared/types';
import type { AppContext } from './context';

interface SettingsFile extends AppSettings {
  recent: Omit<RecentWorkspace, 'exists'>[];
  window?: { width: number; height: number; x?: number; y?: number; maximized?: boolean };
}

const DEFAULTS: SettingsFile = { language: null, presentationMode: false, backupRetention: 10, recent: [] };

export function readSettings(ctx: AppContext): SettingsFile {
  try {
    return { ...DEFAULTS, ...(JSON.parse(readFileSync(ctx.settingsFile, 'utf8')) as Partial<SettingsFile>) };
  } catch {
    return { ...DEFAULTS };
  }
}

/** Atomic write: a crash never leaves half a settings file. */
export function writeSettings(ctx: AppContext, s: SettingsFile): void {
  const tmp = `${ctx.settingsFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 2), { mode: 0o600 });
  renameSync(tmp, ctx.settingsFile);
}

export function updateSettings(ctx: AppContext, patch: Partial<SettingsFile>): SettingsFile {
  const next = { ...readSettings(ctx), ...patch };
  writeSettings(ctx, next);
  return next;
}

export function publicSettings(s: SettingsFile): AppSettings {
  return { language: s.language, presentationMode: s.presentationMode, backupRetention: s.backupRetention };
}
