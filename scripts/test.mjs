// `npm test`: typecheck → layer rules → build → unit + contract (vitest) → Electron security lint
// (electronegativity) → e2e (Playwright, real Chromium). Totals come from the runners' JSON
// reports; the last line is `tests: N passed, N failed, N skipped`; exit 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv[2]; // optional: unit | e2e
mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}
function check(label, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

// 1. Typecheck (counts as one check).
check('typecheck', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
// 1b. Layer rules (dependency-cruiser, .dependency-cruiser.cjs): contract, engine, services, renderer.
check('layers', run('layers', 'npx', ['depcruise', 'main', 'shared', 'renderer', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']));
// 2. Build (needed by the CLI tests and the e2e suite).
const built = run('build', process.execPath, ['scripts/build.mjs']);
check('build', built);

// 3. Unit + contract tests.
if (only !== 'e2e') {
  rmSync('test-results/vitest.json', { force: true });
  run('unit + contract', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
  if (existsSync('test-results/vitest.json')) {
    const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    if (v.numFailedTests > 0 || v.numFailedTestSuites > 0) failures.push('vitest');
    if (v.numFailedTestSuites > 0 && v.numFailedTests === 0) failed += v.numFailedTestSuites; // a suite that failed to load
  } else check('vitest report', false);
}

// 4. Electron security lint: no high or medium findings.
if (only !== 'unit' && only !== 'e2e') {
  check('electronegativity', run('electronegativity', process.execPath, ['scripts/electronegativity.mjs']));
}

// 5. End-to-end in Chromium.
if (only !== 'unit' && built) {
  rmSync('test-results/e2e.json', { force: true });
  run('e2e', 'npx', ['playwright', 'test']);
  if (existsSync('test-results/e2e.json')) {
    const p = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
    if (p.stats.unexpected > 0) failures.push('e2e');
    if ((p.errors ?? []).length > 0 && p.stats.expected + p.stats.unexpected === 0) check('e2e setup', false);
  } else check('e2e report', false);
}

if (failures.length) console.log(`\nfailed: ${failures.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
