/**
 * The `segmint` command's entry. For a command that runs a job, the job thread starts before the
 * CLI's own modules load (../jobs/spare.ts): it compiles the command's domain's jobs (and DuckDB's
 * library, for a workspace with a DuckDB file) while this thread compiles the commands and opens the
 * workspace, on two cores instead of one after the other.
 */
import { startEarlySpare } from '../jobs/spare';
import { jobCommandDomain, jobThreadHint, workspaceOf } from './job-commands';

const argv = process.argv.slice(2);
const domain = jobCommandDomain(argv);
if (domain && !argv.includes('--help')) startEarlySpare(jobThreadHint(domain, workspaceOf(argv)));
const { runCli } = await import('./index');
process.exitCode = await runCli(argv);
