/** The real `segmint` bin in a child process, with its own data folder (SEGMINT_HOME). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './datasets';

export const segmintBin = path.join(repoRoot, 'bin', 'segmint.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `run(args)` gives exit code and output; `json(args)` adds --json, expects exit 0 and exactly one
 * JSON object on stdout (the CLI contract), and parses it. `extraArgs` go after every call's args.
 */
export function segmintIn(home: () => string, opts: { env?: Record<string, string>; extraArgs?: string[] } = {}) {
  const run = (args: string[], env: Record<string, string> = {}): CliRun => {
    const r = spawnSync(process.execPath, [segmintBin, ...args, ...(opts.extraArgs ?? [])], { encoding: 'utf8', env: { ...process.env, SEGMINT_HOME: home(), ...opts.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = (args: string[]) => {
    const r = run([...args, '--json']);
    expect(r.code, `segmint ${args.join(' ')}\n${r.stderr}`).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    return JSON.parse(r.stdout);
  };
  return { run, json };
}
