/**
 * One call answered: argument validation against the call's zod schema (once, here), its declared
 * policy, the handler, and error mapping to the wire format. The dispatchers (main/rpc/dispatch.ts,
 * every domain loaded; main/services/domains.ts, each domain loaded on its first call) differ only
 * in how they find a call's entry.
 */
import type { ZodType } from 'zod';
import type { ApiName, CallReply } from '../../shared/api';
import { AppError, describeZod, isAppError } from '../../shared/errors';
import type { AppContext } from '../services/context';
import { beforeCall, maskAnswer } from '../services/policy';
import type { CallPolicy } from '../../shared/api/policy';
import { diskFullError, isDiskFailure } from '../db/open';
import { engineError } from '../db/duckdb';
import type { CallOptions, Handler } from './dispatch';

/** What a call needs: its schema, handler and declared policy (none: the defaults). */
export interface CallEntry {
  schema: ZodType;
  handler: Handler<never>;
  policy: CallPolicy<never> | undefined;
}

/** `find` gives the call's entry, or null for a name the contract does not have. */
export async function answerCall(ctx: AppContext, name: unknown, args: unknown, call: CallOptions | undefined, find: (name: string) => CallEntry | null | Promise<CallEntry | null>): Promise<CallReply> {
  try {
    const found = typeof name === 'string' ? find(name) : null;
    const entry = found instanceof Promise ? await found : found; // a loaded contract answers without an extra turn
    if (!entry) {
      throw new AppError('unknown_call', `Unknown call "${String(name)}".`, `未知调用“${String(name)}”。`);
    }
    const key = name as ApiName;
    const parsed = entry.schema.safeParse(args ?? {});
    if (!parsed.success) {
      const msg = describeZod(parsed.error);
      throw new AppError('bad_args', `Invalid arguments for ${key}: ${msg}`, `调用 ${key} 的参数无效：${msg}`, { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) });
    }
    const effects = await beforeCall(ctx, entry.policy, parsed.data);
    const result = await (entry.handler as Handler<typeof key>)(parsed.data as never, ctx, { ...call, ...effects });
    return { ok: true, result: maskAnswer(ctx, entry.policy, result) };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: e.toInfo() };
    if (process.env.SEGMINT_DEBUG) console.error(e);
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
}
