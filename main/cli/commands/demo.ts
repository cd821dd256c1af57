/** `segmint demo`: build the seeded demo workspace (same job as the app's "Open demo" button). */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../context';
import type { ApiResult } from '../../../shared/api';

const demo: CliCommand = {
  name: 'demo',
  usage: 'segmint demo [--seed N] [--customers N] [--json]   (builds "Segmint demo" in the data folder, SEGMINT_HOME)',
  summary: 'Build the demo workspace from its seed',
  workspace: 'none',
  async run(c) {
    const r: ApiResult<'demo/open'> = await c.call('demo/open', { seed: Number(c.flag('seed') ?? 42), customers: Number(c.flag('customers') ?? 2000) });
    const job = await c.waitJob(r.jobId);
    const res = job.result as { datasets: string[]; truth: string };
    c.output({ path: r.path, datasets: res.datasets, truth: res.truth }, () => `Demo workspace: ${r.path}\nDatasets: ${res.datasets.join(', ')}\nPlanted truth: ${res.truth}`);
  },
};

const bench: CliCommand = {
  name: 'bench',
  usage: 'segmint bench [sqlite|import|segments …] [--json]   (from a source checkout; writes bench-results/bench.json)',
  summary: 'Run the benchmarks (JSON figures beside their baselines)',
  workspace: 'none',
  async run(c) {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    const script = path.join(root, 'scripts', 'bench.mjs');
    if (!existsSync(script)) throw new AppError('no_bench', 'The benchmarks run from a source checkout (scripts/bench.mjs not found).', '基准测试需要在源码目录中运行（找不到 scripts/bench.mjs）。');
    const r = spawnSync(process.execPath, [script, ...c.args.positional], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new AppError('bench_failed', 'The benchmark run failed.', '基准测试运行失败。');
    const results = JSON.parse(readFileSync(path.join(root, 'bench-results', 'bench.json'), 'utf8'));
    c.output(results, () => JSON.stringify(results, null, 2));
  },
};

export const demoCommands: CliCommand[] = [demo, bench];
