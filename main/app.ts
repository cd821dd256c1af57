/** Builds one application (context + job runner + dispatcher) for a host. */
import { AppContext, type HostKind } from './services/context';
import { JobRunner } from './jobs/runner';
import { createDispatcher } from './rpc/dispatch';
import { handlers } from './services/handlers';
import { closeWorkspace } from './services/workspace';
import { readSettings } from './services/settings';

export interface App {
  ctx: AppContext;
  dispatch: ReturnType<typeof createDispatcher>;
  shutdown(): Promise<void>;
}

export function createApp(host: HostKind, opts: { dataDir?: string } = {}): App {
  const ctx = new AppContext(host, opts);
  ctx.jobs = new JobRunner(ctx);
  // The CLI prints what the analyst asked for; hosts with a screen honour presentation mode.
  if (host !== 'cli') ctx.presentation = readSettings(ctx).presentationMode;
  const dispatch = createDispatcher(ctx, handlers);
  return {
    ctx,
    dispatch,
    async shutdown() {
      await ctx.jobs.cancelAll();
      closeWorkspace(ctx);
    },
  };
}
