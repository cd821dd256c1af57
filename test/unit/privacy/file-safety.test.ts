/**
 * Files hold customer data, so: everything Segmint writes is 0600 and its folders 0700 (also
 * files written by an older version, fixed on open); an export killed with -9 leaves no
 * `.segmint-tmp-…` file with customer rows once the app starts again. (A full disk: full-disk.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../../main/app';
import { repoRoot } from '../../helpers/datasets';
import { tempDir, importFile, type TestApp } from '../../helpers/app';

const mode = (f: string) => statSync(f).mode & 0o777;
const t = tempDir('segmint-files-');
afterAll(() => t.cleanup());

/** createApp with the helper's call() (errors thrown with their code). */
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

const CSV = '客户编号,姓名,手机号码\n' + Array.from({ length: 50 }, (_, i) => `C${i},客户${i},138${String(10000000 + i)}`).join('\n') + '\n';

describe('file modes', () => {
  it('workspace, -wal, -shm, settings, uploads, exports and backups are 0600; folders 0700', async () => {
    process.umask(0o022); // the usual default, which made all of these 0644
    const home = path.join(t.dir, 'modes');
    const app = appIn(home);
    const info = await app.call('workspace/create', { name: 'modes' });
    const csv = path.join(t.dir, 'c.csv');
    writeFileSync(csv, CSV);
    await importFile(app, csv, 'c');
    await app.call('settings/set', { presentationMode: false });
    app.ctx.requireSession().db.prepare('VACUUM INTO ?').run(path.join(app.ctx.backupsDir, 'b.segmint'));
    const exported = await app.call('audit/export', { download: true, fileName: 'audit.csv' } as never).catch(() => null);
    const files = [info.path, info.path + '-wal', info.path + '-shm', app.ctx.settingsFile, path.join(app.ctx.backupsDir, 'b.segmint')];
    if (exported) files.push((exported as { path: string }).path);
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
    expect(Object.fromEntries(files.map((f) => [path.basename(f), mode(f).toString(8)]))).toEqual(Object.fromEntries(files.map((f) => [path.basename(f), '600'])));
    for (const d of [home, app.ctx.workspacesDir, app.ctx.uploadsDir, app.ctx.backupsDir]) expect(mode(d).toString(8)).toBe('700');
    await app.close();
  });

  it('an older 0644 workspace and 0755 folders become private when opened', async () => {
    const home = path.join(t.dir, 'modes');
    const ws = path.join(home, 'workspaces', 'modes.segmint');
    chmodSync(ws, 0o644);
    chmodSync(home, 0o755);
    process.umask(0o022);
    const app = appIn(home);
    await app.call('workspace/open', { path: ws });
    expect(mode(ws).toString(8)).toBe('600');
    expect(mode(home).toString(8)).toBe('700');
    await app.close();
  });
});

describe('temp files of a killed export', () => {
  it('are removed when the app starts again', async () => {
    const home = path.join(t.dir, 'killed');
    const out = path.join(t.dir, 'exports-here');
    mkdirSync(out, { recursive: true });
    // A real process writing a never-ending export through the export writer, killed with -9.
    const script = `
      import { createApp } from ${JSON.stringify(path.join(repoRoot, 'main/app.ts'))};
      import { writeTable } from ${JSON.stringify(path.join(repoRoot, 'main/export/write.ts'))};
      createApp('cli', { dataDir: ${JSON.stringify(home)} });
      async function* rows() { for (let i = 0; ; i++) { yield ['客户' + i, '1380000' + String(i).padStart(4, '0')]; if (i % 500 === 0) await new Promise((r) => setTimeout(r, 5)); } }
      await writeTable({ path: ${JSON.stringify(path.join(out, 'customers.csv'))}, columns: ['姓名', '手机号码'], rows: rows() });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: 'ignore' });
    const temps = () => readdirSync(out).filter((f) => f.startsWith('.segmint-tmp-'));
    while (!(temps().length && statSync(path.join(out, temps()[0]!)).size > 10_000)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(temps()).toHaveLength(1); // customer rows left behind by the kill
    expect(mode(path.join(out, temps()[0]!)).toString(8)).toBe('600');
    const app = appIn(home);
    expect(temps()).toEqual([]);
    expect(existsSync(path.join(out, 'customers.csv'))).toBe(false);
    await app.close();
  });
});
