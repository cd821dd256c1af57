/**
 * Opening a workspace file: SQLCipher key first (when encrypted), then pragmas, then
 * migrations. better-sqlite3-multiple-ciphers has the API of better-sqlite3 and reads plain
 * SQLite files too, so one driver serves encrypted and plain workspaces.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { AppError } from '../../shared/errors';
import { LATEST_VERSION, migrations, type Migration } from './migrations';

export type DB = Database.Database;

// URI file names (only ever built by openDatabase's `immutable` option below). The driver reads
// this once, when the first connection is opened.
process.env.SQLITE_USE_URI ??= '1';

/** A failure of the disk rather than of the file: full, I/O error, cannot create -shm/-wal. */
export function isDiskFailure(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  return code === 'disk_full' || /^SQLITE_(FULL|IOERR|CANTOPEN)/.test(code) || code === 'ENOSPC' || code === 'EDQUOT';
}

export const diskFullError = () =>
  new AppError('disk_full', 'The disk is full (or the workspace cannot be written there): free some space and try again.', '磁盘已满（或无法在此写入工作区）：请释放一些空间后重试。');

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** A plain SQLite file starts with a known 16-byte header; an encrypted one does not. */
export function isEncryptedFile(file: string): boolean {
  if (!existsSync(file) || statSync(file).size === 0) return false;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') !== SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

export interface OpenOptions {
  passphrase?: string | null;
  create?: boolean;
  readonly?: boolean;
  /** Skip migrations (used by the migration tests to build old files). */
  migrate?: boolean;
  /** Read the file as it is, without locks or -shm (a full disk); implies readonly. */
  immutable?: boolean;
  migrationList?: Migration[];
}

/**
 * Ready a plain database, in rollback-journal mode, to be re-keyed to a passphrase: SQLCipher 4's
 * pages are 4 KiB (`legacy=4`, what `applyKey` opens with), so a file made with larger pages is
 * rebuilt with 4 KiB ones first.
 */
export function prepareToEncrypt(db: DB): void {
  if (db.pragma('page_size', { simple: true }) !== 4096) {
    db.pragma('page_size = 4096');
    db.exec('VACUUM');
  }
  useSqlcipher4(db);
}

export function applyKey(db: DB, passphrase: string): void {
  useSqlcipher4(db);
  db.key(Buffer.from(passphrase, 'utf8'));
}

/** SQLCipher 4's format (what every encrypted workspace and backup is written in). */
function useSqlcipher4(db: DB): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
}

const NEW_PAGE_SIZE = 16384;

export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  const exists = existsSync(file);
  if (!exists && !opts.create) {
    throw new AppError('workspace_not_found', `Workspace file not found: ${file}`, `找不到工作区文件：${file}`);
  }
  const encrypted = exists && isEncryptedFile(file);
  if (encrypted && !opts.passphrase) {
    throw new AppError('passphrase_required', 'This workspace is encrypted: enter its passphrase.', '此工作区已加密：请输入密码。');
  }
  const name = opts.immutable ? `file:${file.split(/[\\/]/).map(encodeURIComponent).join('/')}?immutable=1` : file;
  const db = new Database(name, { readonly: !!opts.readonly || !!opts.immutable, fileMustExist: !opts.create });
  if (!opts.readonly && !opts.immutable) makePrivate(file);
  try {
    if (opts.passphrase) applyKey(db, opts.passphrase);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      if (isDiskFailure(e)) throw diskFullError();
      if (encrypted || opts.passphrase) {
        throw new AppError('wrong_passphrase', 'Wrong passphrase, or the file is not a Segmint workspace.', '密码错误，或该文件不是 Segmint 工作区。');
      }
      throw new AppError('not_a_workspace', 'This file is not a SQLite workspace.', '该文件不是 SQLite 工作区。');
    }
    // A new plain workspace gets 16 KiB pages (SQLite's default is 4 KiB): a big import's
    // commit checkpoints its whole WAL into the file page by page, and with 16 KiB pages the
    // 1M-row import's commit took 0.47 s against 0.75 s (64 KiB gained little more). An existing
    // file keeps its size; an encrypted one keeps SQLCipher's.
    if (!exists && !opts.passphrase) db.pragma(`page_size = ${NEW_PAGE_SIZE}`);
    if (!opts.readonly && !opts.immutable) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    // Large sorts (GROUP BY over millions of rows) spill to temp files instead of growing the heap;
    // an encrypted workspace keeps them in memory so no plaintext ever reaches a temp file.
    db.pragma(encrypted || opts.passphrase ? 'temp_store = MEMORY' : 'temp_store = FILE');
    db.pragma('cache_size = -65536');
    // a large sort (GROUP BY, ORDER BY, CREATE INDEX) may merge its runs on helper threads: RFM's
    // summary GROUP BY over 4.6M order lines took 5.4–6.2 s with two against 7.0–9.8 s with none
    db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
    if (opts.migrate !== false) migrate(db, opts.migrationList ?? migrations, !!opts.readonly || !!opts.immutable);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Workspace files are 0600 (those written by older versions were 0644); SQLite gives -wal/-shm the same mode. */
function makePrivate(file: string): void {
  for (const f of [file, file + '-wal', file + '-shm']) {
    try {
      if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      /* not the owner, or a read-only file system: nothing to change */
    }
  }
}

/**
 * Open a workspace read-only because its disk is full: normally (a reader needs no space when
 * the -shm exists), else as an immutable file when everything is in the main file. When recent
 * changes are only in the -wal, reading without it would show old data: refuse clearly instead.
 */
export function openReadOnlyOnFullDisk(file: string, passphrase: string | null): DB {
  let db: DB;
  try {
    db = openDatabase(file, { readonly: true, passphrase });
  } catch (e) {
    if (!isDiskFailure(e)) throw e;
    const wal = file + '-wal';
    if (existsSync(wal) && statSync(wal).size > 0) throw diskFullError();
    db = openDatabase(file, { immutable: true, passphrase });
  }
  db.pragma('query_only = 1');
  return db;
}

/**
 * Runs `f`, whose writes go to TEMP tables only (an analysis's scratch tables). A workspace opened
 * read-only on a full disk also sets query_only, which refuses those too; its connection cannot write
 * the file (it is opened read-only), so query_only is lifted while `f` runs.
 */
export async function withTempTables<T>(db: DB, f: () => Promise<T>): Promise<T> {
  const lifted = db.readonly && db.pragma('query_only', { simple: true }) === 1;
  if (lifted) db.pragma('query_only = 0');
  try {
    return await f();
  } finally {
    if (lifted) db.pragma('query_only = 1');
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply pending migrations; refuse a file written by a newer Segmint. */
export function migrate(db: DB, list: Migration[] = migrations, readonly = false): number {
  const current = schemaVersion(db);
  const latest = list.length ? list[list.length - 1]!.version : 0;
  if (current > latest) {
    throw new AppError(
      'workspace_too_new',
      `This workspace was written by a newer Segmint (schema ${current}; this version knows up to ${latest}). Update Segmint to open it.`,
      `此工作区由更新版本的 Segmint 创建（架构版本 ${current}，当前版本最高支持 ${latest}）。请升级 Segmint 后再打开。`,
      { fileVersion: current, supported: latest },
    );
  }
  if (current === latest || readonly) return current;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version | 0}`);
    })();
  }
  return latest;
}

export { LATEST_VERSION };

/** Quote an SQL identifier (table/column names come from user files). */
export function qid(name: string): string {
  if (name.includes('\u0000')) throw new AppError('bad_identifier', 'Names cannot contain NUL characters.', '名称不能包含 NUL 字符。');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A text as an SQL string literal (both engines). */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * SQLite's sorter takes the page cache's size as its memory. With the workspace's 64 MB it sorts a
 * few large runs, which is slower (cache misses) than many runs of 4 MB merged: the RFM summary's
 * GROUP BY over 4.6M order lines took 8.8–12.3 s against 6.8–7.2 s (measured on one workspace).
 * The scan such a query makes reads pages in order, so it needs no large cache meanwhile (the SMS
 * report's GROUP BY over 1M sends: 2.9 → 1.8 s).
 */
export function withSmallSortRuns<T>(db: DB, run: () => T): T {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -4096');
  try {
    return run();
  } finally {
    db.pragma(`cache_size = ${Math.trunc(cache)}`);
  }
}
