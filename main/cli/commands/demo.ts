/** `segmint demo`: build the seeded demo workspace (same job as the app's "Open demo" button). */
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

export const demoCommands: CliCommand[] = [demo];
