/**
 * The dispatcher of the app and the browser host: name → handler, argument validation against the
 * zod schema (once, in main/rpc/answer.ts), and error mapping to the wire format. Services can trust
 * their inputs. The CLI answers through the same main/rpc/answer.ts, loading each domain on its
 * first call (main/services/domains.ts).
 */
import type { ZodType } from 'zod';
import { apiPolicies, apiSchemas, type ApiName, type ApiParsed, type ApiResult, type CallReply } from '../../shared/api';
import type { AppContext } from '../services/context';
import type { PolicyEffects } from '../services/policy';
import type { CallPolicy } from '../../shared/api/policy';
import { answerCall } from './answer';

/** Per call: `signal` aborts when the caller has gone away (e.g. the HTTP client disconnected); what the call's policy did first. */
export interface CallOptions extends PolicyEffects {
  signal?: AbortSignal;
}
export type Handler<K extends ApiName> = (args: ApiParsed<K>, ctx: AppContext, call?: CallOptions) => Promise<ApiResult<K>> | ApiResult<K>;
export type Handlers = { [K in ApiName]: Handler<K> };
/** The handlers of one domain: exactly the names its schema map declares. */
export type DomainHandlers<S> = { [K in keyof S & ApiName]: Handler<K> };

export type Dispatch = (name: string, args: unknown, call?: CallOptions) => Promise<CallReply>;

/**
 * `schemas` and `policies` default to the whole contract; a test (or a plug-in host) passes the
 * contract joined with one more domain's, and that domain's handlers joined to `handlers`:
 * nothing else needs to know about it. Each call's declared policy is applied here, once.
 */
export function createDispatcher(ctx: AppContext, handlers: Handlers, schemas: Record<string, ZodType> = apiSchemas, policies: Record<string, CallPolicy<never> | undefined> = apiPolicies): Dispatch {
  const own = (name: string) => Object.prototype.hasOwnProperty.call(schemas, name);
  return (name, args, call) => answerCall(ctx, name, args, call, (key) => (own(key) ? { schema: schemas[key]!, handler: handlers[key as ApiName] as Handler<never>, policy: policies[key] } : null));
}
