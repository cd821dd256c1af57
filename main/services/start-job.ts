import type { AppContext } from './context';
import type { JobInput, JobKind } from '../../shared/api';

/** Start a job on the open workspace (its arguments checked against the contract); the renderer hears about new datasets when it is done. */
export function startJob<K extends JobKind>(ctx: AppContext, kind: K, args: JobInput<K>, label: string) {
  const s = ctx.requireSession();
  return ctx.jobs.start(kind, args, { label, dbPath: s.path, passphrase: s.passphrase, onDone: () => ctx.emit('datasets/changed', { id: null }) });
}
