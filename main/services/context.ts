/**
 * The application context every handler receives: where data lives, the open workspace (at
 * most one per host), the job runner, the event emitter and the path grants. Hosts (Electron,
 * HTTP server, CLI, tests) each build one; services never import electron.
 */
import os from 'node:os';
import path from 'node:path';
import { chmodSync, mkdirSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { cleanStaleExportTemps, setExportTempLedger } from '../export/temp-files';
import type { Events, EventName } from '../../shared/events';
import type { DB } from '../db/open';
import { AppError } from '../../shared/errors';
import type { JobRunner } from '../jobs/runner';
import { maskDeep } from '../privacy/presentation';
import { workspaceNameMatcher } from '../privacy/known-names';

export type HostKind = 'electron' | 'browser' | 'cli' | 'test';

export interface Session {
  path: string;
  name: string;
  db: DB;
  /** Kept in memory only, so that worker threads can open their own connection. */
  passphrase: string | null;
  /** Opened read-only because the disk is full (main/db/open.ts openReadOnlyOnFullDisk). */
  readOnly?: boolean;
}


/** Things only some hosts can do (Electron's native dialogs). */
export interface HostServices {
  chooseFiles(opts: { multiple: boolean; filters?: { name: string; extensions: string[] }[] }): Promise<string[]>;
  chooseSavePath(opts: { defaultName: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
  reveal(file: string): Promise<void>;
}

export class AppContext {
  readonly dataDir: string;
  readonly workspacesDir: string;
  readonly uploadsDir: string;
  readonly backupsDir: string;
  readonly settingsFile: string;
  session: Session | null = null;
  /** Set by createApp (main/app.ts). */
  jobs!: JobRunner;
  hostServices: HostServices | null = null;
  /** Presentation mode: answers and events are masked before they leave (main/privacy/presentation.ts). */
  presentation = false;
  private listeners = new Set<(name: EventName, payload: unknown) => void>();
  /** Files the user chose in a native dialog or named on the command line. */
  private readGrants = new Set<string>();
  private writeGrants = new Set<string>();

  constructor(
    readonly host: HostKind,
    opts: { dataDir?: string } = {},
  ) {
    this.dataDir = path.resolve(opts.dataDir ?? process.env.SEGMINT_HOME ?? path.join(os.homedir(), 'Segmint'));
    this.workspacesDir = path.join(this.dataDir, 'workspaces');
    this.uploadsDir = path.join(this.dataDir, 'uploads');
    this.backupsDir = path.join(this.dataDir, 'backups');
    this.settingsFile = path.join(this.dataDir, 'settings.json');
    privateFiles();
    for (const d of [this.dataDir, this.workspacesDir, this.uploadsDir, this.backupsDir]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      try {
        chmodSync(d, 0o700); // folders made by an older version were 0755
      } catch {
        /* not ours to change (shared folder): leave it */
      }
    }
    // Exports in flight are listed here; temp files of a process that was killed are removed now.
    const ledger = path.join(this.dataDir, '.export-temps');
    setExportTempLedger(ledger);
    cleanStaleExportTemps(ledger);
  }

  emit<K extends EventName>(name: K, payload: Events[K]): void {
    const out = this.presentation && !name.startsWith('workspace/') ? (maskDeep(payload, { names: this.session ? workspaceNameMatcher(this.session.db) : null }) as Events[K]) : payload;
    for (const l of this.listeners) l(name, out);
  }

  onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requireSession(): Session {
    if (!this.session) throw new AppError('no_workspace', 'No workspace is open. Create or open one first.', '尚未打开工作区，请先新建或打开一个工作区。');
    return this.session;
  }

  grantRead(file: string): void {
    this.readGrants.add(path.resolve(file));
  }
  grantWrite(file: string): void {
    this.writeGrants.add(path.resolve(file));
  }

  /** The CLI and tests may name any file; the renderer only files granted by a dialog or uploaded. */
  checkRead(file: string): string {
    const abs = path.resolve(file);
    if (this.host === 'cli' || this.host === 'test') return abs;
    if (this.readGrants.has(abs) || isInside(abs, this.uploadsDir)) return abs;
    throw new AppError('path_not_allowed', 'That file was not chosen by the user and cannot be read.', '该文件未经用户选择，无法读取。', { path: abs });
  }

  checkWrite(file: string): string {
    const abs = path.resolve(file);
    if (this.host === 'cli' || this.host === 'test') return abs;
    if (this.writeGrants.has(abs) || isInside(abs, path.join(this.dataDir, 'exports'))) return abs;
    throw new AppError('path_not_allowed', 'That location was not chosen by the user and cannot be written.', '该位置未经用户选择，无法写入。', { path: abs });
  }

  /** Workspace files the host may open: its own folder, the recent list, or granted paths. */
  isKnownWorkspacePath(abs: string, recent: string[]): boolean {
    if (this.host === 'cli' || this.host === 'test') return true;
    return isInside(abs, this.workspacesDir) || recent.includes(abs) || this.readGrants.has(abs);
  }
}

/**
 * Everything Segmint creates holds customer data or points at it (workspaces and their -wal/-shm,
 * backups, uploads, settings, exports, reports): files 0600 and folders 0700, whatever the
 * user's umask. SQLite gives -wal/-shm the mode of the workspace file.
 */
function privateFiles(): void {
  if (!isMainThread) return; // the umask is per process; worker threads share it
  process.umask(process.umask() | 0o077);
}

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
