/** Starts browser mode exactly as a user would (built server + renderer) in a temp data folder. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'segmint-e2e-'));
  const child = spawn(process.execPath, ['dist/main/server.mjs', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[a-f0-9]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  process.env.SEGMINT_URL = url;
  process.env.SEGMINT_E2E_DATA = dataDir;
  writeFileSync(path.join(os.tmpdir(), `segmint-e2e-server-${process.pid}.json`), JSON.stringify({ pid: child.pid, dataDir, url })); // read by global-teardown in this same process
}
