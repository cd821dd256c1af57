// `npm start`: the Electron app when its binary is installed; otherwise browser mode, said plainly.
// `npm run serve` (= --browser): browser mode explicitly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const browser = process.argv.includes('--browser');
const passthrough = process.argv.slice(2).filter((a) => a !== '--browser');

// Builds only the parts whose sources changed since their last build (a second start reuses dist/).
// SEGMINT_SKIP_BUILD=1 reuses dist/ as built (the test suite builds once, then runs this).
if (!process.env.SEGMINT_SKIP_BUILD) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// Find Electron's binary without require('electron'): recent versions try to download it on
// first require, which hangs or fails offline. install.js writes path.txt once the binary exists.
let electronBin = null;
if (!browser) {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const txt = path.join(dir, 'path.txt');
    if (existsSync(txt)) {
      const bin = path.join(dir, 'dist', readFileSync(txt, 'utf8').trim());
      if (existsSync(bin)) electronBin = bin;
    }
  } catch {
    electronBin = null;
  }
}

if (electronBin) {
  const child = spawn(electronBin, ['.', ...passthrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!browser) console.log('segmint: the Electron binary is not installed here, so Segmint starts in browser mode — open the URL below in your browser.');
  const child = spawn(process.execPath, ['dist/main/server.mjs', ...passthrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
}
