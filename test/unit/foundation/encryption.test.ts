import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { testApp } from '../../helpers/app';
import { isEncryptedFile } from '../../../main/db/open';

const PHONE = '13912345678';
const NAME = '欧阳娜娜';

/** Writes recognisable customer data into the open workspace through the real store. */
function plant(app: ReturnType<typeof testApp>) {
  const db = app.ctx.requireSession().db;
  db.exec('CREATE TABLE planted (phone TEXT, name TEXT)');
  const ins = db.prepare('INSERT INTO planted VALUES (?, ?)');
  for (let i = 0; i < 500; i++) ins.run(PHONE, NAME);
}

function allBytes(file: string): Buffer {
  return Buffer.concat(['', '-wal'].map((s) => { try { return readFileSync(file + s); } catch { return Buffer.alloc(0); } }));
}

describe('encrypted workspaces', () => {
  it('hold no plaintext customer data, refuse a wrong passphrase, and can change or drop the passphrase', async () => {
    const app = testApp();
    const ws = await app.call('workspace/create', { name: 'secret', passphrase: 'correct horse' });
    expect(ws.encrypted).toBe(true);
    plant(app);
    await app.call('workspace/close', {});
    const bytes = allBytes(ws.path);
    expect(isEncryptedFile(ws.path)).toBe(true);
    expect(bytes.includes(Buffer.from(PHONE))).toBe(false);
    expect(bytes.includes(Buffer.from(NAME))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);

    await expect(app.call('workspace/open', { path: ws.path })).rejects.toMatchObject({ code: 'passphrase_required' });
    await expect(app.call('workspace/open', { path: ws.path, passphrase: 'wrong horse' })).rejects.toMatchObject({ code: 'wrong_passphrase' });

    await app.call('workspace/open', { path: ws.path, passphrase: 'correct horse' });
    await expect(app.call('workspace/change-passphrase', { current: 'nope', next: 'x' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    await app.call('workspace/change-passphrase', { current: 'correct horse', next: 'battery staple' });
    await app.call('workspace/close', {});
    await expect(app.call('workspace/open', { path: ws.path, passphrase: 'correct horse' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    await app.call('workspace/open', { path: ws.path, passphrase: 'battery staple' });
    const n = app.ctx.requireSession().db.prepare('SELECT count(*) AS n FROM planted').get() as { n: number };
    expect(n.n).toBe(500);

    // Backups of an encrypted workspace are encrypted too (the automatic one taken before the change included).
    const backup = await app.call('backups/create', {});
    const backupsDir = path.dirname(backup.path);
    for (const f of readdirSync(backupsDir)) {
      const b = readFileSync(path.join(backupsDir, f));
      expect(b.includes(Buffer.from(PHONE))).toBe(false);
    }
    // Decrypting on request.
    await app.call('workspace/change-passphrase', { current: 'battery staple', next: null });
    await app.call('workspace/close', {});
    expect(isEncryptedFile(ws.path)).toBe(false);
    await app.call('workspace/open', { path: ws.path });
    const audit = await app.call('audit/list', { limit: 50 });
    expect(audit.entries.filter((e) => e.action === 'workspace.passphrase_changed')).toHaveLength(2);
    await app.close();
  });

  it('a plain workspace (16 KiB pages) can be encrypted later (4 KiB pages) and then has no plaintext', async () => {
    const app = testApp();
    const ws = await app.call('workspace/create', { name: 'plain' });
    const pageSize = () => app.ctx.requireSession().db.pragma('page_size', { simple: true });
    expect(pageSize()).toBe(16384);
    plant(app);
    await app.call('workspace/change-passphrase', { next: 'now encrypted' });
    await app.call('workspace/close', {});
    expect(allBytes(ws.path).includes(Buffer.from(PHONE))).toBe(false);
    await app.call('workspace/open', { path: ws.path, passphrase: 'now encrypted' });
    expect(pageSize()).toBe(4096);
    expect(app.ctx.requireSession().db.prepare('SELECT count(*) AS n, min(name) AS name FROM planted').get()).toEqual({ n: 500, name: NAME });
    await app.close();
  });
});
