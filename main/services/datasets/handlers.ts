import type { DomainHandlers } from '../../rpc/dispatch';
import type { datasetsSchemas } from '../../../shared/api/datasets';
import { runQuery } from '../query/runner';
import { checkTypedName, deleteDataset, getDataset, listDatasets, pageDuckRows, renameDataset, tableNames } from '.';
import { listDuckMembersBeforeChange } from '../segments/membership';
import { pageDuckRaw } from '../import/raw';
import { dropDuckTable } from '../../db/duckdb';

export const datasetsHandlers: DomainHandlers<typeof datasetsSchemas> = {
  'datasets/list': (_a, ctx) => listDatasets(ctx.requireSession().db),
  'datasets/get': (a, ctx) => getDataset(ctx.requireSession().db, a.id),
  'datasets/rows': (a, ctx) => {
    const db = ctx.requireSession().db;
    const info = getDataset(db, a.id);
    // a derived dataset's raw values are its typed ones (no raw text kept)
    return a.table === 'raw' && info.engine === 'duckdb' && info.kind !== 'derived' ? pageDuckRaw(db, info, a) : pageDuckRows(db, a);
  },
  'datasets/rename': (a, ctx) => {
    const r = renameDataset(ctx.requireSession().db, a.id, a.name);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/delete': async (a, ctx) => {
    const db = ctx.requireSession().db;
    const info = getDataset(db, a.id);
    const inDuck = info.engine === 'duckdb';
    checkTypedName(info.name, a.confirmName);
    // a segmentation reading its members from these rows in DuckDB writes them down first
    if (inDuck) await listDuckMembersBeforeChange(db, a.id);
    const r = deleteDataset(db, a.id, a.confirmName);
    // its rows' customer numbers (identity/index.ts, numberDuckRows) go with it
    if (inDuck) await dropDuckTable(db, a.id, tableNames(a.id).customers);
    ctx.emit('datasets/changed', { id: a.id });
    return r;
  },
  'datasets/query': (a, ctx, call) => runQuery(ctx, a, call?.signal),
};
