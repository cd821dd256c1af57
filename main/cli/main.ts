/**
 * The `segmint` command's entry. For a command that runs a job, the job thread starts before the
 * CLI's own modules load (../jobs/spare.ts): it compiles the job kinds while this thread compiles the
 * commands and opens the workspace, on two cores instead of one after the other.
 */
import { startEarlySpare } from '../jobs/spare';
import { namesJobCommand } from './job-commands';

const argv = process.argv.slice(2);
if (namesJobCommand(argv) && !argv.includes('--help')) startEarlySpare();
const { runCli } = await import('./index');
process.exitCode = await runCli(argv);
