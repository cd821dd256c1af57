/** `segmint demo`: build the seeded demo workspace (same job as the app's "Open demo" button). */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../context';
import type { ApiResult } from '../../../shared/api';
import { createWorkspace } from '../../services/workspace';
import { UsageError } from '../args';

const demo: CliCommand = {
  name: 'demo',
  usage: 'segmint demo [--seed N] [--customers N] [--json]   (builds "Segmint demo" in the data folder, SEGMINT_HOME)',
  summary: 'Build the demo workspace from its seed',
  workspace: 'none',
  runsJob: 'demo',
  async run(c) {
    const r: ApiResult<'demo/open'> = await c.call('demo/open', { seed: Number(c.flag('seed') ?? 42), customers: Number(c.flag('customers') ?? 2000) });
    const res = await c.jobResult('demo/build', r.jobId);
    c.output({ path: r.path, datasets: res.datasets, truth: res.truth }, () => `Demo workspace: ${r.path}\nDatasets: ${res.datasets.join(', ')}\nPlanted truth: ${res.truth}`);
  },
};

const messy: CliCommand = {
  name: 'demo messy',
  usage: 'segmint demo messy --out DIR [--people N] [--seed S] [--workspace NEW.segmint] [--json]',
  summary: 'Write a messy brand export with its planted truth (truth.json); with --workspace, import it the way a user would',
  workspace: 'none',
  runsJob: 'demo',
  async run(c) {
    const out = c.flag('out');
    if (!out) throw new UsageError('demo messy needs --out DIR');
    const people = Number(c.flag('people') ?? 3000);
    const seed = Number(c.flag('seed') ?? 7);
    if (!Number.isInteger(people) || people < 50 || people > 200_000) throw new UsageError('--people is a whole number from 50 to 200000');
    if (!Number.isInteger(seed)) throw new UsageError('--seed is a whole number');
    const { writeMessyBrand } = await import('../../demo/messy/write'); // loaded by the command that uses it (CLI start-up)
    const w = writeMessyBrand(path.resolve(out), { seed, people });
    const imported: { dataset: string; datasetId: string; rowsImported: number; rowsQuarantined: number; encoding: string }[] = [];
    const ws = c.flag('workspace');
    if (ws) {
      // the normal import path: detection of encoding, dialect, types and roles, nothing tidied first
      createWorkspace(c.app.ctx, { name: path.basename(ws).replace(/\.segmint$/i, ''), path: path.resolve(ws) });
      for (const f of w.files) {
        const refs = [{ path: f.file }];
        const inspected = await c.call('import/inspect', { files: refs });
        const { jobId } = await c.call('import/start', { files: refs, name: f.dataset, settings: inspected.settings });
        const s = await c.jobResult('import/run', jobId);
        imported.push({ dataset: s.name, datasetId: s.datasetId, rowsImported: s.rowsImported, rowsQuarantined: s.rowsQuarantined, encoding: s.encoding });
      }
    }
    const t = w.truth;
    c.output(
      { dir: path.resolve(out), files: w.files, truth: w.truthFile, people: t.people, orderLines: t.orderLines, campaigns: t.campaigns.map((x) => x.campaign), workspace: ws ? path.resolve(ws) : null, imported },
      () => [`Messy brand (${t.people} people, seed ${seed}) → ${path.resolve(out)}`, ...w.files.map((f) => `  ${path.basename(f.file)} (${f.encoding}) → ${f.dataset}`), `Planted truth: ${w.truthFile}`, ...(ws ? [`Imported into ${path.resolve(ws)}: ${imported.map((i) => `${i.dataset} ${i.rowsImported}`).join(', ')}`] : [])].join('\n'),
    );
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

export const demoCommands: CliCommand[] = [demo, messy, bench];
