/** Handlers of the remote-engines domain: saved connections and analyses pushed down to them. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { remoteSchemas } from '../../../shared/api/remote';
import { addConnection, listConnections, remoteCount, remoteRfm, removeConnection, testConnection } from './index';

export const remoteHandlers: DomainHandlers<typeof remoteSchemas> = {
  'remote/add': (a, ctx) => addConnection(ctx.requireSession().db, a),
  'remote/list': (_a, ctx) => listConnections(ctx.requireSession().db),
  'remote/remove': (a, ctx) => removeConnection(ctx.requireSession().db, a.name),
  'remote/test': (a, ctx) => testConnection(ctx.requireSession().db, a.name),
  'remote/rfm': (a, ctx) => remoteRfm(ctx.requireSession().db, a),
  'remote/count': (a, ctx) => remoteCount(ctx.requireSession().db, a),
};
