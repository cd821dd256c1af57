// `npm run bench [-- section...]`: builds main, then runs the benchmark sections and writes
// bench-results/bench.json. Every figure sits beside the baseline measured in the same run.
import { spawnSync } from 'node:child_process';
const b = spawnSync(process.execPath, ['scripts/build.mjs', '--main-only'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(1);
const r = spawnSync('npx', ['tsx', 'scripts/bench/index.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
