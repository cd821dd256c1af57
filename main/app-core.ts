/** Assembles one application (context + job runner + dispatcher) for a host, from a contract given whole (main/app.ts) or loaded per domain (the CLI). */
import { AppContext, type HostKind } from './services/context';
import { JobRunner, type JobSpecs } from './jobs/runner';
import type { Dispatch } from './rpc/dispatch';
import { closeWorkspace } from './services/workspace';
import { readSettings } from './services/settings';
import { lazyDomains } from './services/domains';

export interface App {
  ctx: AppContext;
  dispatch: Dispatch;
  shutdown(): Promise<void>;
}

export function assembleApp(host: HostKind, opts: { dataDir?: string }, contract: { jobs: JobSpecs; dispatcher: (ctx: AppContext) => Dispatch }): App {
  const ctx = new AppContext(host, opts);
  ctx.jobs = new JobRunner(ctx, contract.jobs);
  // The CLI prints what the analyst asked for; hosts with a screen honour presentation mode.
  if (host !== 'cli') ctx.presentation = readSettings(ctx).presentationMode;
  const dispatch = contract.dispatcher(ctx);
  return {
    ctx,
    dispatch,
    async shutdown() {
      await ctx.jobs.cancelAll();
      await ctx.jobs.releaseSpare();
      closeWorkspace(ctx);
    },
  };
}

/**
 * The app with each domain's schemas and handlers loaded on its first call (the CLI: a command
 * that touches one domain does not build every domain's schemas nor compile their code).
 */
export function createLazyApp(host: HostKind, opts: { dataDir?: string } = {}): App {
  const domains = lazyDomains();
  return assembleApp(host, opts, { jobs: domains.jobs, dispatcher: (ctx) => domains.dispatcher(ctx) });
}
