/**
 * The commands that run a job, by name, with their job's domain, readable before any command module
 * loads: the CLI's entry starts the job thread for them first thing (./main.ts), told which domain's
 * jobs to load. test/unit/cli/job-commands.test.ts checks this list against the commands' own `runsJob`.
 */
import { existsSync } from 'node:fs';
import type { JobDomain } from '../jobs/kinds';
import type { WorkerStart } from '../jobs/types';

export const JOB_COMMANDS: Readonly<Record<string, JobDomain>> = {
  import: 'import', export: 'privacy', 'segments export': 'privacy', 'columns set': 'columns', demo: 'demo', 'demo messy': 'demo',
  dedupe: 'customers', link: 'customers', profile: 'quality', 'recipe apply': 'quality', rfm: 'segments', kmeans: 'segments',
  clv: 'value', churn: 'value', rules: 'value', recommend: 'value', plan: 'uplift', 'text classify': 'text', 'uplift fit': 'uplift',
};

/**
 * The domain of the job the command named by argv runs (its words before the first flag; flags
 * written first leave the thread to start later, as the command is found), or null.
 */
export function jobCommandDomain(argv: readonly string[]): JobDomain | null {
  const first = argv.findIndex((a) => a.startsWith('-'));
  const words = argv.slice(0, first < 0 ? argv.length : first);
  const two = words.slice(0, 2).join(' ');
  return Object.hasOwn(JOB_COMMANDS, two) ? JOB_COMMANDS[two]! : Object.hasOwn(JOB_COMMANDS, words[0] ?? '') ? JOB_COMMANDS[words[0]!]! : null;
}

/** What a job thread started for the command is told: its domain, and whether the workspace named has a DuckDB file (whose library it then loads too). */
export function jobThreadHint(domain: JobDomain, workspace: string | undefined): Omit<WorkerStart, 'standby'> {
  return { expect: domain, duck: !!workspace && existsSync(`${workspace}.duckdb`) };
}

/** The --workspace of argv (or SEGMINT_WORKSPACE), read before the CLI's own argument parser loads. */
export function workspaceOf(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--workspace');
  if (at >= 0) return argv[at + 1];
  const eq = argv.find((a) => a.startsWith('--workspace='));
  return eq ? eq.slice('--workspace='.length) : process.env.SEGMINT_WORKSPACE;
}
