/**
 * `segmint` — the headless command line over the same services as the app.
 * Contract: --json prints one JSON object on stdout and nothing else; progress and logs go to
 * stderr; exit 0 success, 1 user error (one line, zh or en by --lang/locale), 2 usage error.
 * The process starts at ./main.ts.
 */
import { createLazyApp, type App } from '../app-core';
import { isAppError } from '../../shared/errors';
import { checkFlags, parseArgs, UsageError } from './args';
import { exitQuietlyOnClosedPipe } from './stdio';
import { jobThreadHint, workspaceOf } from './job-commands';
import { CliContext, type CliCommand } from './context';
import { coreCommands, readPassphrase } from './commands/core';
import { demoCommands } from './commands/demo';
import { segmentCommands } from './commands/segments';
import { valueCommands } from './commands/value';
import { smsCommands } from './commands/sms';
import { textCommands } from './commands/text';
import { qualityCommands } from './commands/quality';
import { customersCommands } from './commands/customers';
import { privacyCommands } from './commands/privacy';
import { reportsCommands } from './commands/reports';
import { backupsCommands } from './commands/backups';
import { insightsCommands } from './commands/insights';
import { definitionsCommands } from './commands/definitions';
import { remoteCommands } from './commands/remote';
import { upliftCommands } from './commands/uplift';
import { columnsCommands } from './commands/columns';

export const COMMANDS: CliCommand[] = [...coreCommands, ...segmentCommands, ...valueCommands, ...smsCommands, ...textCommands, ...qualityCommands, ...customersCommands, ...privacyCommands, ...reportsCommands, ...backupsCommands, ...insightsCommands, ...definitionsCommands, ...remoteCommands, ...upliftCommands, ...columnsCommands, ...demoCommands];
const GLOBAL_BOOLEANS = new Set(['json', 'help']);

function detectLang(argv: string[]): 'zh' | 'en' {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : (process.env.SEGMINT_LANG ?? process.env.LC_ALL ?? process.env.LANG ?? '');
  return /^zh/i.test(v ?? '') ? 'zh' : 'en';
}

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'segmint — Segmint on the command line (same services as the app)',
    '',
    'Usage: segmint <command> [args] [--workspace PATH] [--passphrase-env VAR] [--json] [--lang zh|en] [--out FILE] [--format csv|xlsx] [--mask COLUMNS]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Run `segmint <command> --help` for its usage.',
  ].join('\n');
}

function findCommand(positional: string[]): { cmd: CliCommand; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = positional.slice(0, words).join(' ');
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd) return { cmd, rest: positional.slice(words) };
  }
  return null;
}

export async function runCli(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const lang = detectLang(argv);
  let app: App | null = null;
  try {
    const booleans = new Set([...GLOBAL_BOOLEANS, ...COMMANDS.flatMap((c) => c.booleanFlags ?? [])]);
    const parsed = parseArgs(argv, booleans);
    if (parsed.positional.length === 0) {
      process.stdout.write(help() + '\n');
      return parsed.flags.has('help') ? 0 : 2;
    }
    const found = findCommand(parsed.positional);
    if (!found) throw new UsageError(`unknown command "${parsed.positional.slice(0, 2).join(' ')}"`);
    if (parsed.flags.has('help')) {
      process.stdout.write(found.cmd.usage + '\n');
      return 0;
    }
    // Read argv again with only this command's boolean flags: another command's boolean may be
    // a flag with a value here (e.g. `text dictionary --remove WORD`).
    const own = parseArgs(argv, new Set([...GLOBAL_BOOLEANS, ...(found.cmd.booleanFlags ?? [])]));
    const ownFound = findCommand(own.positional);
    if (ownFound?.cmd !== found.cmd) throw new UsageError(`unknown command "${own.positional.slice(0, 2).join(' ')}"`);
    checkFlags(own, found.cmd);
    app = createLazyApp('cli', { dataDir: process.env.SEGMINT_HOME });
    // The same hint as main.ts's early spare: when that one was not started (flags before the command
    // words), this spare still preloads DuckDB for a workspace that has a DuckDB file.
    if (found.cmd.runsJob) app.ctx.jobs.prewarm(jobThreadHint(found.cmd.runsJob, workspaceOf(argv)));
    const c = new CliContext(app, { positional: ownFound.rest, flags: own.flags }, lang);
    c.commandName = found.cmd.name;
    if (found.cmd.workspace === 'required') {
      const ws = c.flag('workspace') ?? process.env.SEGMINT_WORKSPACE;
      if (!ws) throw new UsageError(`${found.cmd.name} needs --workspace PATH`);
      await c.call('workspace/open', { path: ws, passphrase: readPassphrase(c) });
    }
    await found.cmd.run(c);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(lang === 'zh' ? `segmint: ${e.zh}\n（运行 segmint --help 查看用法）\n` : `segmint: ${e.message}\n(run segmint --help)\n`);
      return 2;
    }
    if (isAppError(e)) {
      process.stderr.write(`segmint: ${lang === 'zh' ? e.zh : e.message}\n`);
      return 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`segmint: ${lang === 'zh' ? '内部错误：' : 'internal error: '}${msg}\n`);
    if (process.env.SEGMINT_DEBUG) console.error(e);
    return 1;
  } finally {
    await app?.shutdown().catch(() => {});
  }
}

