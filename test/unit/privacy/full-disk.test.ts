/**
 * A workspace on a full disk still opens — read-only, with a clear en/zh error for anything that
 * would write — instead of failing on the audit row that opening used to write first. The full
 * disk is real: a tiny tmpfs filled with dd (needs root to mount, as in CI).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../../main/app';
import { tempDir, importFile, type TestApp } from '../../helpers/app';

const t = tempDir('segmint-full-');
afterAll(() => t.cleanup());

function appIn(dataDir: string): TestApp {
  const app = createApp('test', { dataDir });
  return {
    ...app,
    dir: dataDir,
    async call(name, args) {
      const r = await app.dispatch(name, args);
      if (!r.ok) throw Object.assign(new Error(r.error.en), { code: r.error.code, zh: r.error.zh });
      return r.result as never;
    },
    close: () => app.shutdown(),
  } as TestApp;
}

// a send log (customer, phone, send time): the campaign report can run on it
const CSV = '客户编号,姓名,手机号码,发送时间\n' + Array.from({ length: 50 }, (_, i) => `C${i},客户${i},138${String(10000000 + i)},2026-03-0${1 + (i % 9)} 10:00:00`).join('\n') + '\n';

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

describe('a full disk', () => {
  it.skipIf(!canMount)('still opens the workspace, read-only, with a clear error for writes', async () => {
    const mnt = path.join(t.dir, 'tiny');
    mkdirSync(mnt);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]).status).toBe(0);
    try {
      const home = path.join(mnt, 'home');
      let app = appIn(home);
      const info = await app.call('workspace/create', { name: 'full' });
      const csv = path.join(t.dir, 'full.csv');
      writeFileSync(csv, CSV);
      const id = await importFile(app, csv, 'c');
      await app.call('identity/status', {}); // the identity layer, built while the disk has room
      await app.close();
      // Fill the disk.
      const filler = path.join(mnt, 'filler');
      const r = spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
      expect(r.status).not.toBe(0); // dd stops at "No space left on device"
      app = appIn(home);
      const opened = await app.call('workspace/open', { path: info.path });
      expect(opened).toMatchObject({ readOnly: true });
      expect((await app.call('datasets/rows', { id, offset: 0, limit: 5 })).total).toBe(50);
      expect((await app.call('datasets/query', { sql: `SELECT count(*) FROM ${id}` })).rows).toEqual([[50]]);
      // analyses that work in temporary tables still run: the campaign report and the rows behind a profile count
      expect((await app.call('sms/report', { sends: id, windowDays: 7, minCount: 30 })).totals.sent).toBe(50);
      expect((await app.call('quality/rows', { datasetId: id, column: '发送时间', problem: 'null', offset: 0, limit: 10 })).total).toBe(0);
      const err = await app.call('datasets/rename', { id, name: 'x' }).then(() => null, (e: { code: string; zh: string }) => e);
      expect(err).toMatchObject({ code: 'workspace_read_only' });
      expect(err!.zh).toMatch(/只读/);
      await app.close();
      // Space again: it opens writable.
      rmSync(filler);
      app = appIn(home);
      expect(await app.call('workspace/open', { path: info.path })).toMatchObject({ readOnly: false });
      expect((await app.call('datasets/rename', { id, name: 'renamed' })).name).toBe('renamed');
      await app.close();
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });
});
