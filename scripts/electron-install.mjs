// Runs Electron's own binary download in a child process. On machines without access to
// Electron's download host (CI, air-gapped laptops) it fails; we print one line and carry on,
// because browser mode (`npm run serve`) needs no Electron binary at all.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
let installJs;
try {
  installJs = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies
}
if (!existsSync(installJs)) process.exit(0);
const r = spawnSync(process.execPath, [installJs], { stdio: 'pipe', timeout: 180_000 });
if (r.status === 0) {
  console.log('segmint: Electron binary installed.');
} else {
  console.log('segmint: Electron binary could not be downloaded; `npm start` will use browser mode (see README, Troubleshooting).');
}
process.exit(0);
