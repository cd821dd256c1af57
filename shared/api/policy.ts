/**
 * What the registration does around a call, declared once beside its schema (in the spirit of
 * Actual's `mutator(undoable(fn))`): the dispatcher applies it to every call that declares it
 * (main/services/policy.ts), so no handler hand-places a backup, a job cancel or a masking rule.
 */
import type { z, ZodType } from 'zod';

/** What presentation mode masks in an answer: nothing (app metadata), data values, or data values and person names. */
export type MaskClass = 'none' | 'data' | 'persons';

export interface CallPolicy<A = unknown> {
  /**
   * The call replaces, closes or rewrites the file jobs write into: the workspace's running and
   * queued jobs are cancelled (and their threads awaited) first. The number reaches the handler
   * as `call.cancelledJobs`.
   */
  exclusive?: true;
  /** The analyst must have typed the dataset's name; checked before anything else happens (a refused call backs nothing up). */
  confirmDataset?: (args: A) => { id: string; typed: string };
  /** A backup of the open workspace is taken first, under this reason (shown in the backup list). */
  backupBefore?: (args: A) => string;
  /** Presentation-mode masking of the answer; 'data' when not declared. */
  mask?: MaskClass;
}

export type CallPolicies<S extends Record<string, ZodType>> = { [K in keyof S]?: CallPolicy<z.output<S[K]>> };

/** A domain's policies, typed against its schemas (a policy for an undeclared call does not compile). */
export function declarePolicies<S extends Record<string, ZodType>>(_schemas: S, policies: CallPolicies<S>): CallPolicies<S> {
  return policies;
}

/** The same policy for every call of a domain (e.g. person-name masking for customers/*), with per-call additions. */
export function everyCall<S extends Record<string, ZodType>>(schemas: S, policy: CallPolicy, extra: CallPolicies<S> = {}): CallPolicies<S> {
  const out: Record<string, CallPolicy> = {};
  for (const name of Object.keys(schemas)) out[name] = { ...policy, ...(extra[name as keyof S] as CallPolicy | undefined) };
  return out as CallPolicies<S>;
}
