/**
 * One backup API (backups/*): restore cancels running jobs first and waits for them; after
 * a plain workspace is encrypted no plaintext copy remains among its backups (each is re-keyed
 * to the new key, or deleted), and the answer says which.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testApp, importFile, type TestApp } from '../../helpers/app';
import { isEncryptedFile, openDatabase } from '../../../main/db/open';
import { API_NAMES } from '../../../shared/api';

const PHONE = '13987654321';
let app: TestApp;
afterEach(async () => app?.close());

function plant(a: TestApp, n = 300): void {
  const db = a.ctx.requireSession().db;
  db.exec('CREATE TABLE IF NOT EXISTS planted (phone TEXT, note TEXT)');
  const ins = db.prepare('INSERT INTO planted VALUES (?, ?)');
  for (let i = 0; i < n; i++) ins.run(PHONE, `row ${i}`);
}

describe('one backup API', () => {
  it('the contract has one set of backup calls (backups/*), no workspace/backup*', () => {
    const names: string[] = API_NAMES;
    expect(names.filter((n) => /backup|restore/.test(n)).sort()).toEqual(['backups/create', 'backups/list', 'backups/restore', 'backups/retention']);
  });

  it('encrypting a plain workspace leaves no plaintext backup: every backup is re-keyed and the answer lists them', async () => {
    app = testApp();
    const ws = await app.call('workspace/create', { name: 'plain then secret' });
    plant(app);
    await app.call('backups/create', { reason: 'one' });
    await app.call('backups/create', { reason: 'two' });
    const r = await app.call('workspace/change-passphrase', { next: 'now encrypted 1' });
    expect(r.encrypted).toBe(true);
    const { backups, dir } = await app.call('backups/list', {});
    expect(backups).toHaveLength(3); // two manual + the one taken before the change
    expect(backups.some((b) => b.reason === 'before passphrase change')).toBe(true);
    expect(r.backups.rekeyed.sort()).toEqual(backups.map((b) => b.name).sort());
    expect(r.backups.removed).toEqual([]);
    for (const f of readdirSync(dir)) {
      const file = path.join(dir, f);
      expect(isEncryptedFile(file), f).toBe(true);
      expect(readFileSync(file).includes(Buffer.from(PHONE)), `${f} holds plaintext`).toBe(false);
      // …and each is still a usable backup under the new key.
      const db = openDatabase(file, { passphrase: 'now encrypted 1', readonly: true, migrate: false });
      expect((db.prepare('SELECT count(*) AS n FROM planted').get() as { n: number }).n).toBe(300);
      db.close();
    }
    // A backup under the new key restores.
    app.ctx.requireSession().db.exec('DELETE FROM planted');
    await app.call('backups/restore', { backup: backups.find((b) => b.reason === 'one')!.name });
    expect((app.ctx.requireSession().db.prepare('SELECT count(*) AS n FROM planted').get() as { n: number }).n).toBe(300);
    expect(ws.path).toBe(app.ctx.requireSession().path);
  });

  it('a plaintext backup that cannot be re-keyed is deleted, and the answer says so', async () => {
    app = testApp();
    await app.call('workspace/create', { name: 'odd backup' });
    plant(app, 10);
    const { dir } = await app.call('backups/list', {});
    const b = await app.call('backups/create', { reason: 'manual' });
    // A damaged plaintext backup (truncated): SQLite cannot re-key it, but its bytes are plaintext.
    const bytes = readFileSync(b.path);
    writeFileSync(b.path, Buffer.concat([bytes.subarray(0, 100), Buffer.from(PHONE.repeat(10))]));
    const r = await app.call('workspace/change-passphrase', { next: 'now encrypted 2' });
    expect(r.backups.removed).toContain(b.name);
    for (const f of readdirSync(dir)) expect(isEncryptedFile(path.join(dir, f)), f).toBe(true);
  });

  it('restore cancels a running job first, waits for it, and restores a consistent workspace', async () => {
    app = testApp();
    await app.call('workspace/create', { name: 'busy' });
    plant(app, 5);
    const backup = await app.call('backups/create', { reason: 'before job' });
    // A long import: hundreds of thousands of rows written through the WAL in one transaction.
    const big = path.join(app.dir, 'big.csv');
    const lines = ['id,name,amount'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i},客户${i % 1000},${i % 997}.5`);
    writeFileSync(big, lines.join('\n'));
    const inspect = await app.call('import/inspect', { files: [{ path: big }] });
    const { jobId } = await app.call('import/start', { files: [{ path: big }], name: 'big', settings: inspect.settings });
    await new Promise<void>((resolve) => {
      const off = app.ctx.onEvent((name, p) => {
        if (name === 'job/progress' && (p as { id: string; done: number }).id === jobId && (p as { done: number }).done > 0) {
          off();
          resolve();
        }
      });
    });
    const r = await app.call('backups/restore', { backup: backup.name });
    expect(r.cancelledJobs).toBe(1);
    expect((await app.ctx.jobs.wait(jobId)).status).toBe('cancelled');
    const db = app.ctx.requireSession().db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT count(*) AS n FROM planted').get() as { n: number }).n).toBe(5);
    expect(await app.call('datasets/list', {})).toHaveLength(0);
    // The workspace is usable: a new import after the restore succeeds.
    const small = path.join(app.dir, 'small.csv');
    writeFileSync(small, 'id,name\n1,a\n2,b\n');
    await importFile(app, small, 'small');
    expect(await app.call('datasets/list', {})).toHaveLength(1);
  });

  it('a workspace with DuckDB datasets: a backup holds their rows too, a restore brings them back, retention removes both halves; encrypting is refused while they exist', async () => {
    app = testApp();
    await app.call('workspace/create', { name: 'with duckdb' });
    const csv = path.join(app.dir, 'orders.csv');
    writeFileSync(csv, ['order_id,member_id,amount', ...Array.from({ length: 500 }, (_, i) => `O${i},M${i % 80},${10 + (i % 37)}.5`)].join('\n') + '\n');
    const orders = await importFile(app, csv, 'orders', 'duckdb');
    const page = async () => (await app.call('datasets/rows', { id: orders, limit: 5000 })).rows;
    const before = await page();
    expect(before).toHaveLength(500);
    const b = await app.call('backups/create', { reason: 'with duck rows' });
    expect(existsSync(`${b.path}.duckdb`)).toBe(true);
    expect(b.sizeBytes).toBeGreaterThan(statSync(b.path).size);
    // encrypting would leave the DuckDB rows readable beside an encrypted workspace: refused, the datasets named
    await expect(app.call('workspace/change-passphrase', { next: 'secret 123' })).rejects.toThrow(/orders/);
    // deleted after the backup (its DuckDB table dropped), then restored: the rows are back, the same
    await app.call('datasets/delete', { id: orders, confirmName: 'orders' });
    expect(await app.call('datasets/list', {})).toHaveLength(0);
    await app.call('backups/restore', { backup: b.name });
    expect((await app.call('datasets/list', {})).map((d) => [d.name, d.engine])).toEqual([['orders', 'duckdb']]);
    expect(await page()).toEqual(before);
    // retention: a pruned backup takes its DuckDB copy with it
    const { dir } = await app.call('backups/list', {});
    await app.call('backups/retention', { keep: 1 });
    const left = readdirSync(dir);
    for (const f of left.filter((x) => x.endsWith('.duckdb'))) expect(left).toContain(f.slice(0, -'.duckdb'.length));
    expect(left.filter((x) => x.endsWith('.duckdb')).length).toBeLessThanOrEqual(1);
    // without DuckDB datasets the workspace can be encrypted; the DuckDB file (it still held the identity maps' copies)
    // goes, and so does every backup with a DuckDB copy: nothing readable stays beside the encrypted workspace
    await app.call('backups/retention', { keep: 10 });
    await app.call('datasets/delete', { id: orders, confirmName: 'orders' });
    const withDuck = (await app.call('backups/list', {})).backups.filter((x) => existsSync(`${x.path}.duckdb`)).map((x) => x.name);
    expect(withDuck.length).toBeGreaterThan(0);
    const r = await app.call('workspace/change-passphrase', { next: 'secret 123' });
    expect(r.encrypted).toBe(true);
    expect(r.backups.removed).toEqual(expect.arrayContaining(withDuck));
    const ws = app.ctx.requireSession().path;
    expect(readdirSync(path.dirname(ws)).filter((f) => f.startsWith(path.basename(ws)) && f.includes('.duckdb'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.duckdb'))).toEqual([]);
  }, 120_000);
});
