/**
 * `datasets/query` is read-only by the engine, not by matching text: statements run on a separate
 * read-only connection with query_only on, anything SQLite does not call read-only is refused,
 * and PRAGMAs (which can change the connection or the whole process while counting as
 * read-only) run only from a short allow-list, however the statement is disguised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'sql-guard' });
});
afterAll(() => app.close());

const refusedCode = async (sql: string) => {
  try {
    await app.call('datasets/query', { sql });
    return 'ran';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

const HOSTILE_PRAGMAS = [
  "key='x'",
  "rekey='x'",
  'hard_heap_limit=100000',
  'soft_heap_limit=1',
  'locking_mode=EXCLUSIVE',
  'journal_mode=DELETE',
  'writable_schema=1',
  'query_only=0',
  'cache_size=1',
  'mmap_size=268435456',
  'wal_checkpoint(TRUNCATE)',
  'shrink_memory',
  'optimize',
  'busy_timeout=0',
  'foreign_keys=OFF',
  'trusted_schema=1',
  "cipher='rc4'",
  'integrity_check',
];
const DISGUISES = ['', '/**/', '  \n\t', '-- note\n', '/* a */ /* b */\n', 'pRaGmA_'];

describe('read-only SQL by the engine', () => {
  it('refuses every hostile PRAGMA however it is disguised, and the workspace keeps working', async () => {
    const heapBefore = app.ctx.session!.db.pragma('hard_heap_limit', { simple: true });
    const ran: string[] = [];
    for (const p of HOSTILE_PRAGMAS) {
      for (const d of DISGUISES) {
        const sql = d === 'pRaGmA_' ? `pRaGmA ${p}` : `${d}PRAGMA ${p}`;
        const code = await refusedCode(sql);
        if (code !== 'sql_not_read_only') ran.push(`${JSON.stringify(sql)} → ${code}`);
      }
    }
    expect(ran).toEqual([]);
    expect(app.ctx.session!.db.pragma('hard_heap_limit', { simple: true })).toBe(heapBefore);
    expect(app.ctx.session!.db.pragma('locking_mode', { simple: true })).toBe('normal');
    const r = await app.call('datasets/query', { sql: 'SELECT count(*) AS n FROM datasets' });
    expect(r.rows).toEqual([[0]]);
  });

  it('refuses ATTACH, transactions and writes, also behind a WITH or comments', async () => {
    for (const sql of [
      "/**/ATTACH DATABASE ':memory:' AS x",
      "-- x\nattach ':memory:' as y",
      '/**/BEGIN IMMEDIATE',
      'SAVEPOINT s',
      "WITH t AS (SELECT 1) INSERT INTO workspace_meta (key, value) VALUES ('k', 'v') RETURNING key",
      "/**/UPDATE workspace_meta SET value = 'x' RETURNING key",
      'CREATE TEMP TABLE t (x)',
      "VACUUM INTO '/tmp/segmint-stolen.db'",
    ]) {
      expect(await refusedCode(sql), sql).toBe('sql_not_read_only');
    }
    expect(app.ctx.session!.db.prepare("SELECT count(*) AS n FROM workspace_meta WHERE key = 'k'").get()).toEqual({ n: 0 });
  });

  it('runs SELECTs, WITH queries and the harmless schema PRAGMAs', async () => {
    expect((await app.call('datasets/query', { sql: '/* hi */ SELECT 1 + 1 AS two' })).rows).toEqual([[2]]);
    expect((await app.call('datasets/query', { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT sum(x) FROM c' })).rows).toEqual([[15]]);
    const info = await app.call('datasets/query', { sql: 'PRAGMA table_info(datasets)' });
    expect(info.rows.map((r) => r[1])).toContain('row_count');
    const tv = await app.call('datasets/query', { sql: "SELECT name FROM pragma_table_info('datasets') WHERE name = 'rows_in'" });
    expect(tv.rows).toEqual([['rows_in']]);
  });
});

describe('read-only SQL on an encrypted workspace', () => {
  it('queries with the key, also after the passphrase changes', async () => {
    const enc = testApp();
    try {
      await enc.call('workspace/create', { name: 'enc', passphrase: 'first secret' });
      expect((await enc.call('datasets/query', { sql: "SELECT value FROM workspace_meta WHERE key = 'name'" })).rows).toEqual([['enc']]);
      await enc.call('workspace/change-passphrase', { current: 'first secret', next: 'second secret' });
      expect((await enc.call('datasets/query', { sql: "SELECT value FROM workspace_meta WHERE key = 'name'" })).rows).toEqual([['enc']]);
    } finally {
      await enc.close();
    }
  });
});
