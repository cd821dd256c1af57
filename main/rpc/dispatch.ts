/**
 * The one dispatcher every host uses: name → handler, argument validation against the zod
 * schema (once, here), and error mapping to the wire format. Services can trust their inputs.
 */
import type { ZodType } from 'zod';
import { apiPolicies, apiSchemas, type ApiName, type ApiParsed, type ApiResult, type CallReply } from '../../shared/api';
import { AppError, describeZod, isAppError } from '../../shared/errors';
import type { AppContext } from '../services/context';
import { beforeCall, maskAnswer, type PolicyEffects } from '../services/policy';
import type { CallPolicy } from '../../shared/api/policy';
import { diskFullError, isDiskFailure } from '../db/open';
import { engineError } from '../db/duckdb';

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
  return async (name, args, call) => {
    try {
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, name)) {
        throw new AppError('unknown_call', `Unknown call "${String(name)}".`, `未知调用“${String(name)}”。`);
      }
      const key = name as ApiName;
      const parsed = schemas[key]!.safeParse(args ?? {});
      if (!parsed.success) {
        const msg = describeZod(parsed.error);
        throw new AppError('bad_args', `Invalid arguments for ${key}: ${msg}`, `调用 ${key} 的参数无效：${msg}`, { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) });
      }
      const handler = handlers[key] as Handler<typeof key>;
      const policy = policies[key];
      const effects = await beforeCall(ctx, policy, parsed.data);
      const result = await handler(parsed.data as never, ctx, { ...call, ...effects });
      return { ok: true, result: maskAnswer(ctx, policy, result) };
    } catch (e) {
      if (isAppError(e)) return { ok: false, error: e.toInfo() };
      const unsupported = engineError(ctx.session?.db, e);
      if (unsupported) return { ok: false, error: unsupported.toInfo() };
      const sqlCode = String((e as { code?: unknown })?.code ?? '');
      if (sqlCode.startsWith('SQLITE_READONLY') && ctx.session?.readOnly) {
        return { ok: false, error: { code: 'workspace_read_only', en: 'This workspace is open read-only because its disk is full: free some space and open it again to make changes.', zh: '磁盘已满，此工作区以只读方式打开：请释放一些空间并重新打开后再修改。' } };
      }
      if (isDiskFailure(e)) return { ok: false, error: diskFullError().toInfo() };
      const msg = e instanceof Error ? e.message : String(e);
      if (process.env.SEGMINT_DEBUG) console.error(e);
      return { ok: false, error: { code: 'internal', en: `Internal error: ${msg}`, zh: `内部错误：${msg}` } };
    }
  };
}
