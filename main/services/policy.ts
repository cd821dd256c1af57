/**
 * Applies a call's declared policy (shared/api/policy.ts) around its handler, in one order for
 * every call: typed-name confirmation → cancel jobs → backup → the handler → presentation masking.
 */
import type { CallPolicy, MaskClass } from '../../shared/api/policy';
import type { AppContext } from './context';
import { checkTypedName, getDataset } from './datasets';
import { backupBefore } from './backups/index';
import { maskDeep } from '../privacy/presentation';
import { workspaceNameMatcher } from '../privacy/known-names';

/** What a handler learns from its policy: how many jobs the `exclusive` step cancelled. */
export interface PolicyEffects {
  cancelledJobs?: number;
}

export async function beforeCall(ctx: AppContext, policy: CallPolicy<never> | undefined, args: unknown): Promise<PolicyEffects> {
  if (!policy) return {};
  const p = policy as CallPolicy<unknown>;
  const effects: PolicyEffects = {};
  if (p.confirmDataset) {
    const { id, typed } = p.confirmDataset(args);
    checkTypedName(getDataset(ctx.requireSession().db, id).name, typed);
  }
  if (p.exclusive) effects.cancelledJobs = await ctx.jobs.cancelAll();
  if (p.backupBefore) backupBefore(ctx, p.backupBefore(args));
  return effects;
}

/** Presentation mode: nothing personal leaves the services unmasked, unless the call is declared metadata. */
export function maskAnswer(ctx: AppContext, policy: CallPolicy<never> | undefined, result: unknown): unknown {
  const mask: MaskClass = policy?.mask ?? 'data';
  if (!ctx.presentation || mask === 'none') return result;
  return maskDeep(result, { personNames: mask === 'persons', names: ctx.session ? workspaceNameMatcher(ctx.session.db) : null });
}
