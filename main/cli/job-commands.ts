/**
 * The commands that run a job, by name, readable before any command module loads: the CLI's entry
 * starts the job thread for them first thing (./main.ts). test/unit/cli/job-commands.test.ts checks
 * this list against the commands' own `runsJob`.
 */
export const JOB_COMMANDS: readonly string[] = [
  'import', 'export', 'segments export', 'columns set', 'demo', 'demo messy', 'dedupe', 'link', 'profile', 'recipe apply',
  'rfm', 'kmeans', 'clv', 'churn', 'rules', 'recommend', 'plan', 'text classify', 'uplift fit',
];

/**
 * Whether argv starts with the name of a command that runs a job (its words before the first flag; flags
 * written first leave the thread to start later, as the command is found).
 */
export function namesJobCommand(argv: readonly string[]): boolean {
  const first = argv.findIndex((a) => a.startsWith('-'));
  const words = argv.slice(0, first < 0 ? argv.length : first);
  return JOB_COMMANDS.includes(words.slice(0, 2).join(' ')) || JOB_COMMANDS.includes(words[0] ?? '');
}
