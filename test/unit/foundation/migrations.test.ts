import { describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase, schemaVersion } from '../../../main/db/open';
import { LATEST_VERSION, migrations, type Migration } from '../../../main/db/migrations';
import { tempDir } from '../../helpers/app';

describe('workspace migrations', () => {
  it('a fresh file gets every migration, recorded in the file', () => {
    const t = tempDir();
    const db = openDatabase(path.join(t.dir, 'a.segmint'), { create: true });
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    t.cleanup();
  });

  it('upgrades an older file in place and keeps its data', () => {
    const t = tempDir();
    const file = path.join(t.dir, 'old.segmint');
    const v1 = openDatabase(file, { create: true, migrationList: migrations.slice(0, 1) });
    v1.prepare("INSERT INTO workspace_meta VALUES ('name', 'old one')").run();
    v1.close();
    const next: Migration = { version: migrations.length + 1, name: 'test_add_table', sql: 'CREATE TABLE test_added (x INTEGER);' };
    const db = openDatabase(file, { migrationList: [...migrations, next] });
    expect(schemaVersion(db)).toBe(next.version);
    expect((db.prepare("SELECT value FROM workspace_meta WHERE key = 'name'").get() as { value: string }).value).toBe('old one');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'test_added'").get()).toBeTruthy();
    db.close();
    t.cleanup();
  });

  it('refuses a file written by a newer version, with a clear message, without touching it', () => {
    const t = tempDir();
    const file = path.join(t.dir, 'new.segmint');
    openDatabase(file, { create: true }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    let err: (Error & { code?: string; zh?: string }) | null = null;
    try {
      openDatabase(file);
    } catch (e) {
      err = e as Error & { code?: string };
    }
    expect(err?.code).toBe('workspace_too_new');
    expect(err?.message).toMatch(/newer Segmint/);
    expect(err?.zh).toMatch(/更新版本/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 5);
    check.close();
    t.cleanup();
  });
});
