/**
 * Crash safety: a job killed with SIGKILL in the middle of its transaction leaves the workspace
 * exactly as before — integrity_check ok, same tables, same catalog, same audit log.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { repoRoot } from '../../helpers/datasets';
import { tempDir } from '../../helpers/app';

const cli = path.join(repoRoot, 'dist', 'main', 'cli.mjs');

function snapshot(file: string) {
  const db = new Database(file, { readonly: true });
  const integrity = db.pragma('integrity_check', { simple: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const catalog = db.prepare('SELECT id, name, row_count FROM datasets ORDER BY id').all();
  // Opening the workspace is itself audited (and committed before the job starts).
  const audit = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action <> 'workspace.opened'").get();
  const rows = db.prepare('SELECT count(*) AS n FROM ds_1').get();
  db.close();
  return { integrity, tables, catalog, audit, rows };
}

describe('a job killed mid-transaction', () => {
  it('leaves the workspace unchanged (3 kills)', async () => {
    if (!existsSync(cli)) spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--main-only'], { cwd: repoRoot });
    const t = tempDir();
    const ws = path.join(t.dir, 'crash.segmint');
    const small = path.join(t.dir, 'small.csv');
    writeFileSync(small, 'id,name\n1,张三\n2,李四\n');
    const big = path.join(t.dir, 'big.csv');
    const lines = ['id,name,amount,when'];
    for (let i = 0; i < 600_000; i++) lines.push(`${i},客户${i % 1000},${i % 997}.5,2024-03-${String((i % 28) + 1).padStart(2, '0')}`);
    writeFileSync(big, lines.join('\n'));
    const env = { ...process.env, SEGMINT_HOME: t.dir, SEGMINT_PROGRESS: 'lines' };
    expect(spawnSync(process.execPath, [cli, 'workspace', 'create', ws], { env }).status).toBe(0);
    expect(spawnSync(process.execPath, [cli, 'import', small, '--workspace', ws], { env }).status).toBe(0);
    const before = snapshot(ws);
    expect(before.integrity).toBe('ok');

    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [cli, 'import', big, '--workspace', ws], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      // The job commits only at its end: kill -9 once it reports 20–80% of the bytes read,
      // i.e. in the middle of its transaction.
      let killed = false;
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = [...err.matchAll(/progress ([\d.]+)/g)].pop();
        if (!killed && m && Number(m[1]) >= 0.2 && Number(m[1]) <= 0.8) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      await new Promise((r) => child.once('exit', r));
      expect(killed, 'the import finished before it could be killed').toBe(true);
      expect(child.signalCode).toBe('SIGKILL');
      expect(snapshot(ws)).toEqual(before);
    }
    t.cleanup();
  });
});
