import type { DomainHandlers } from '../../rpc/dispatch';
import type { workspaceSchemas } from '../../../shared/api/workspace';
import { changePassphrase, closeWorkspace, createWorkspace, deleteWorkspace, listRecent, openWorkspace, renameWorkspace, workspaceInfo } from '.';

export const workspaceHandlers: DomainHandlers<typeof workspaceSchemas> = {
  'workspace/list': (_a, ctx) => ({ recent: listRecent(ctx), workspacesDir: ctx.workspacesDir }),
  'workspace/current': (_a, ctx) => (ctx.session ? workspaceInfo(ctx.session) : null),
  'workspace/create': (a, ctx) => createWorkspace(ctx, a),
  'workspace/open': (a, ctx) => openWorkspace(ctx, a),
  'workspace/close': (_a, ctx) => ({ closed: closeWorkspace(ctx) }),
  'workspace/rename': (a, ctx) => renameWorkspace(ctx, a),
  'workspace/delete': (a, ctx) => deleteWorkspace(ctx, a),
  'workspace/change-passphrase': (a, ctx) => changePassphrase(ctx, a),
};
