import type { DomainHandlers } from '../../rpc/dispatch';
import type { datasetsSchemas } from '../../../shared/api/datasets';
import { runQuery } from '../query/runner';
import { deleteDataset, getDataset, listDatasets, pageRows, renameDataset } from '.';

export const datasetsHandlers: DomainHandlers<typeof datasetsSchemas> = {
  'datasets/list': (_a, ctx) => listDatasets(ctx.requireSession().db),
  'datasets/get': (a, ctx) => getDataset(ctx.requireSession().db, a.id),
  'datasets/rows': (a, ctx) => pageRows(ctx.requireSession().db, a),
  'datasets/rename': (a, ctx) => {
    const r = renameDataset(ctx.requireSession().db, a.id, a.name);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/delete': (a, ctx) => {
    const r = deleteDataset(ctx.requireSession().db, a.id, a.confirmName);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/query': (a, ctx, call) => runQuery(ctx, a, call?.signal),
};
