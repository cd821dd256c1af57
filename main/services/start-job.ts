import type { AppContext } from './context';

/** Start a job on the open workspace; the renderer hears about new datasets when it is done. */
export function startJob(ctx: AppContext, kind: string, args: unknown, label: string) {
  const s = ctx.requireSession();
  return ctx.jobs.start(kind, args, { label, dbPath: s.path, passphrase: s.passphrase, onDone: () => ctx.emit('datasets/changed', { id: null }) });
}
