#!/usr/bin/env node
// The `segmint` command. Runs the built CLI (dist/main/cli.mjs); from a fresh checkout it
// builds main first (esbuild, about a second).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'main', 'cli.mjs');
if (!existsSync(cli)) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--main-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(1);
}
await import(pathToFileURL(cli).href);
