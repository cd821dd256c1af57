/**
 * `npm start` without Electron's binary: it must say so in one line and serve browser mode on
 * 127.0.0.1 (it used to hang: require('electron') tries to download the binary).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/datasets';
import { tempDir } from '../../helpers/app';

const hasElectronBinary = existsSync(path.join(repoRoot, 'node_modules', 'electron', 'path.txt'));

describe('npm start', () => {
  it.skipIf(hasElectronBinary)('falls back to browser mode with one clear line and a loopback URL', async () => {
    const t = tempDir();
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env: { ...process.env, SEGMINT_HOME: t.dir, SEGMINT_SKIP_BUILD: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL within 90 s:\n' + out)), 90_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /browser mode at (http:\/\/127\.0\.0\.1:\d+\/#token=[a-f0-9]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', () => reject(new Error('exited:\n' + out)));
    });
    expect(out).toMatch(/Electron binary is not installed here, so Segmint starts in browser mode/);
    const res = await fetch(url.replace(/#.*/, ''));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    t.cleanup();
  });
});
