/**
 * The CLI's entry starts the job thread before any command module loads, for the commands named in
 * main/cli/job-commands.ts, told which domain's jobs to load: that list must be exactly the commands
 * that run a job, each with the domain of its job.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMANDS } from '../../../main/cli/index';
import { JOB_COMMANDS, jobCommandDomain, jobThreadHint, workspaceOf } from '../../../main/cli/job-commands';
import { JOB_DOMAINS, jobFn, loadJobDomain } from '../../../main/jobs/kinds';

describe('the commands whose job thread starts first thing', () => {
  it('are exactly the commands that run a job, each with its job\'s domain', () => {
    expect(JOB_COMMANDS).toEqual(Object.fromEntries(COMMANDS.filter((c) => c.runsJob).map((c) => [c.name, c.runsJob])));
    for (const domain of Object.values(JOB_COMMANDS)) expect(JOB_DOMAINS).toContain(domain);
  });

  it('are read from the words before the first flag', () => {
    expect(jobCommandDomain(['rfm', '--dataset', 'orders', '--json'])).toBe('segments');
    expect(jobCommandDomain(['import', 'orders.csv', '--name', 'orders'])).toBe('import');
    expect(jobCommandDomain(['text', 'classify', '--dataset', 'x'])).toBe('text');
    expect(jobCommandDomain(['segments', 'export', 'champions'])).toBe('privacy');
    expect(jobCommandDomain(['demo', 'messy'])).toBe('demo');
    expect(jobCommandDomain(['datasets', 'list', '--workspace', 'rfm'])).toBe(null);
    expect(jobCommandDomain(['text', 'dictionary', '--remove', 'rfm'])).toBe(null);
    expect(jobCommandDomain(['--json', 'rfm'])).toBe(null);
    expect(jobCommandDomain(['constructor'])).toBe(null);
    expect(jobCommandDomain([])).toBe(null);
  });

  it('tell the thread whether the workspace has a DuckDB file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-hint-'));
    try {
      const ws = path.join(dir, 'w.segmint');
      expect(workspaceOf(['rfm', '--workspace', ws, '--json'])).toBe(ws);
      expect(workspaceOf([`--workspace=${ws}`])).toBe(ws);
      expect(jobThreadHint('segments', ws)).toEqual({ expect: 'segments', duck: false });
      writeFileSync(`${ws}.duckdb`, '');
      expect(jobThreadHint('segments', ws)).toEqual({ expect: 'segments', duck: true });
      expect(jobThreadHint('value', undefined)).toEqual({ expect: 'value', duck: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('job kinds load by domain', () => {
  it('each domain\'s kinds are named for it; a kind of no domain, or not its domain\'s, is none', async () => {
    for (const domain of JOB_DOMAINS) {
      const kinds = Object.keys(await loadJobDomain(domain));
      expect(kinds.length, domain).toBeGreaterThan(0);
      for (const kind of kinds) expect(kind.startsWith(`${domain}/`), kind).toBe(true);
    }
    expect(typeof (await jobFn('segments/rfm'))).toBe('function');
    for (const kind of ['segments/nosuch', 'constructor/x', '__proto__/x', 'toString', 'segments/toString']) expect(await jobFn(kind), kind).toBeUndefined();
  });
});
