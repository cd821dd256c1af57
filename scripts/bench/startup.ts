/**
 * CLI start-up: the whole `segmint datasets list --json` process (node start, bundle load, workspace
 * open, query, exit) on an empty workspace, 11 runs; the median and the spread are reported, with
 * the median CPU time of the process (a shared box stretches the wall time, not the CPU time).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { round } from './sqlite';

/** CPU seconds (user + system) of this process's finished children, from /proc (Linux); null elsewhere. */
function childrenCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in USER_HZ (100/s)
  } catch {
    return null;
  }
}

export function startupBench(dir: string) {
  const home = path.join(dir, 'startup-home');
  const ws = path.join(dir, 'startup.segmint');
  const cpu: number[] = [];
  const run = (args: string[]) => {
    const c0 = childrenCpuSeconds();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/segmint.mjs', ...args, '--json'], { encoding: 'utf8', env: { ...process.env, SEGMINT_HOME: home } });
    if (r.status !== 0) throw new Error(`segmint ${args.join(' ')}: ${r.stderr}`);
    const c1 = childrenCpuSeconds();
    if (c0 !== null && c1 !== null) cpu.push(c1 - c0);
    return (performance.now() - t0) / 1000;
  };
  run(['workspace', 'create', ws]);
  cpu.length = 0;
  const times = Array.from({ length: 11 }, () => run(['datasets', 'list', '--workspace', ws])).sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const bare = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return (performance.now() - t0) / 1000;
  }).sort((a, b) => a - b);
  return { command: 'segmint datasets list --json', runs: times.length, medianSeconds: round(times[5]!), minSeconds: round(times[0]!), maxSeconds: round(times[10]!), medianCpuSeconds: cpu.length ? round(cpu[5]!) : null, bareNodeMedianSeconds: round(bare[2]!), aimSeconds: 0.3 };
}
