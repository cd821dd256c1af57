/**
 * CLI start-up: the whole `segmint datasets list --json` process (node start, bundle load, workspace
 * open, query, exit) on an empty workspace, 11 runs; the median and the spread are reported.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { round } from './sqlite';

export function startupBench(dir: string) {
  const home = path.join(dir, 'startup-home');
  const ws = path.join(dir, 'startup.segmint');
  const run = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/segmint.mjs', ...args, '--json'], { encoding: 'utf8', env: { ...process.env, SEGMINT_HOME: home } });
    if (r.status !== 0) throw new Error(`segmint ${args.join(' ')}: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  run(['workspace', 'create', ws]);
  const times = Array.from({ length: 11 }, () => run(['datasets', 'list', '--workspace', ws])).sort((a, b) => a - b);
  const bare = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return (performance.now() - t0) / 1000;
  }).sort((a, b) => a - b);
  return { command: 'segmint datasets list --json', runs: times.length, medianSeconds: round(times[5]!), minSeconds: round(times[0]!), maxSeconds: round(times[10]!), bareNodeMedianSeconds: round(bare[2]!), aimSeconds: 0.3 };
}
