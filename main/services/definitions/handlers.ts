/** Handlers of the definitions domain (status mappings, window, as-of) and the identity layer's state. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { definitionsSchemas } from '../../../shared/api/definitions';
import { definitionsInForce, setDefinitions } from './index';
import { ensureDuckCaches, ensureDuckIdentity, identityStatus } from '../identity/index';

export const definitionsHandlers: DomainHandlers<typeof definitionsSchemas> = {
  'definitions/get': async (a, ctx) => {
    await ensureDuckCaches(ctx.requireSession().db);
    return definitionsInForce(ctx.requireSession().db, a.datasetId ? [a.datasetId] : undefined);
  },
  'definitions/set': (a, ctx) => {
    const r = setDefinitions(ctx.requireSession().db, a);
    ctx.emit('datasets/changed', { id: a.datasetId ?? null });
    return r;
  },
  'identity/status': async (a, ctx) => {
    const db = ctx.requireSession().db;
    if (a.rebuild && !db.readonly) db.prepare("DELETE FROM customers_meta WHERE key = 'identity'").run();
    const built = await ensureDuckIdentity(db);
    const status = identityStatus(db);
    return built?.rebuilt ? { ...status, rebuilt: true } : status;
  },
};
