/**
 * A small argv parser: positional words, `--flag value`, `--flag=value`, boolean flags; and the
 * check that every flag given is one the command knows (its usage line is the list), so that a
 * misspelt `--powr 0.9` is a usage error instead of being silently ignored.
 */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** A wrong command line: exit 2, with the message in English and Chinese. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly zh: string = message,
  ) {
    super(message);
  }
}

export function parseArgs(argv: string[], booleanFlags: Set<string>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (booleanFlags.has(name)) flags.set(name, true);
      else {
        const v = argv[i + 1];
        if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`--${name} needs a value`, `--${name} 需要一个值`);
        flags.set(name, v);
        i++;
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS = ['workspace', 'passphrase-env', 'json', 'lang', 'help'] as const;

/**
 * The flags a command accepts: the `--name`s of its usage line, its boolean flags and the global
 * ones; a command that writes `--out` also takes the export writer's `--format` and `--mask`.
 */
export function knownFlags(cmd: { usage: string; booleanFlags?: string[] }): Set<string> {
  const known = new Set<string>([...GLOBAL_FLAGS, ...(cmd.booleanFlags ?? [])]);
  for (const m of cmd.usage.matchAll(/--([a-z0-9][a-z0-9-]*)/g)) known.add(m[1]!);
  if (known.has('out')) for (const f of ['format', 'mask']) known.add(f);
  return known;
}

/** Refuse a flag the command does not know (usage error, exit 2), before anything runs. */
export function checkFlags(parsed: ParsedArgs, cmd: { name: string; usage: string; booleanFlags?: string[] }): void {
  const known = knownFlags(cmd);
  const unknown = [...parsed.flags.keys()].filter((f) => !known.has(f));
  if (unknown.length === 0) return;
  const list = unknown.map((f) => `--${f}`).join(', ');
  throw new UsageError(
    `unknown flag${unknown.length > 1 ? 's' : ''} ${list} for "segmint ${cmd.name}". Usage: ${cmd.usage}`,
    `“segmint ${cmd.name}”不认识参数 ${list}。用法：${cmd.usage}`,
  );
}
