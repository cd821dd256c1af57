import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  // per runner process: two Playwright runs at once must not stop each other's server
  const file = path.join(os.tmpdir(), `segmint-e2e-server-${process.pid}.json`);
  try {
    const { pid, dataDir } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; dataDir: string };
    process.kill(pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
