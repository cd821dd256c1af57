/**
 * The CLI's entry starts the job thread before any command module loads, for the commands named in
 * main/cli/job-commands.ts: that list must be exactly the commands that run a job.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../main/cli/index';
import { JOB_COMMANDS, namesJobCommand } from '../../../main/cli/job-commands';

describe('the commands whose job thread starts first thing', () => {
  it('are exactly the commands that run a job', () => {
    expect([...JOB_COMMANDS].sort()).toEqual(COMMANDS.filter((c) => c.runsJob).map((c) => c.name).sort());
  });

  it('are read from the words before the first flag', () => {
    expect(namesJobCommand(['rfm', '--dataset', 'orders', '--json'])).toBe(true);
    expect(namesJobCommand(['import', 'orders.csv', '--name', 'orders'])).toBe(true);
    expect(namesJobCommand(['text', 'classify', '--dataset', 'x'])).toBe(true);
    expect(namesJobCommand(['demo', 'messy'])).toBe(true);
    expect(namesJobCommand(['datasets', 'list', '--workspace', 'rfm'])).toBe(false);
    expect(namesJobCommand(['text', 'dictionary', '--remove', 'rfm'])).toBe(false);
    expect(namesJobCommand(['--json', 'rfm'])).toBe(false);
    expect(namesJobCommand([])).toBe(false);
  });
});
