// `npm start`: the Electron app when its binary is installed; otherwise browser mode, said plainly.
// `npm run serve` (= --browser): browser mode explicitly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const browser = process.argv.includes('--browser');
const passthrough = process.argv.slice(2).filter((a) => a !== '--browser');

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let electronBin = null;
if (!browser) {
  try {
    const p = require('electron'); // the path of the binary, if it was downloaded
    if (typeof p === 'string' && existsSync(p)) electronBin = p;
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
