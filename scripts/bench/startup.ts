/**
 * CLI start-up: the whole `segmint datasets list --json` process (node start, bundle load, workspace
 * open, query, exit) on an empty workspace, 11 runs; the median and the spread are reported, with
 * the median CPU time of the process (a shared box stretches the wall time, not the CPU time).
 */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * App start-up as `npm run serve` runs it: `node scripts/start.mjs --browser` (build step included, which
 * reuses dist/ when the sources are unchanged) until the first screen is visible in Chromium (the
 * navigation bar rendered from the API's answers). One unmeasured start first, so the build is current;
 * then 3 measured starts, median reported.
 */
export async function serveBench(dir: string) {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const startOnce = async (i: number) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['scripts/start.mjs', '--browser', '--data-dir', path.join(dir, `serve-${i}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[a-f0-9]+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`start.mjs exited ${code}: ${out}`)));
      });
      const serverSeconds = (performance.now() - t0) / 1000;
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByTestId('nav-workspace').waitFor({ state: 'visible' });
      const firstScreenSeconds = (performance.now() - t0) / 1000;
      await page.close();
      return { serverSeconds, firstScreenSeconds };
    } finally {
      child.kill('SIGTERM');
      await new Promise((res) => (child.exitCode !== null ? res(null) : child.once('exit', res)));
    }
  };
  try {
    const first = await startOnce(0);
    const runs = [];
    for (let i = 1; i <= 3; i++) runs.push(await startOnce(i));
    runs.sort((a, b) => a.firstScreenSeconds - b.firstScreenSeconds);
    const med = runs[1]!;
    return { command: 'npm run serve (scripts/start.mjs --browser) → first screen in Chromium', firstStartSeconds: round(first.firstScreenSeconds), runs: runs.length, medianServerSeconds: round(med.serverSeconds), medianFirstScreenSeconds: round(med.firstScreenSeconds), maxFirstScreenSeconds: round(runs[2]!.firstScreenSeconds), aimSeconds: 3 };
  } finally {
    await browser.close();
  }
}
