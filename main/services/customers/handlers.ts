/** Handlers of the customers domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { customersSchemas } from '../../../shared/api/customers';
import { startJob } from '../start-job';
import { getDataset } from '../datasets';
import { checkConfig } from './config';
import { decide, listRuns, reclusterRun, reviewClusters, runInfo } from './dedupe';
import { listMerges, merge, unmerge } from './merge';
import { linkSummary } from './link';
import { getCustomer, searchCustomers } from './view';

export const customersHandlers: DomainHandlers<typeof customersSchemas> = {
  'customers/dedupe': (a, ctx) => {
    const ds = getDataset(ctx.requireSession().db, a.datasetId); // unknown dataset / bad config → clear error before the job starts
    if (a.config) checkConfig(a.config, ds);
    return { jobId: startJob(ctx, 'customers/dedupe', a, `dedupe ${ds.name}`).id };
  },
  'customers/runs': (a, ctx) => listRuns(ctx.requireSession().db, a.datasetId),
  'customers/run': (a, ctx) => runInfo(ctx.requireSession().db, a.runId),
  'customers/recluster': (a, ctx) => reclusterRun(ctx.requireSession().db, a.runId, a.threshold),
  'customers/clusters': (a, ctx) => reviewClusters(ctx.requireSession().db, a),
  'customers/decide': (a, ctx) => decide(ctx.requireSession().db, a),
  'customers/merge': async (a, ctx) => {
    const r = await merge(ctx.requireSession().db, a);
    ctx.emit('datasets/changed', { id: r.goldenDatasetId });
    return r;
  },
  'customers/merges': (a, ctx) => listMerges(ctx.requireSession().db, a),
  'customers/unmerge': async (a, ctx) => {
    const r = await unmerge(ctx.requireSession().db, a.mergeId);
    ctx.emit('datasets/changed', { id: null });
    return r;
  },
  'customers/link': (a, ctx) => {
    const db = ctx.requireSession().db;
    for (const id of a.datasets) getDataset(db, id);
    return { jobId: startJob(ctx, 'customers/link', a, `link ${a.datasets.length} datasets`).id };
  },
  'customers/link/summary': (_a, ctx) => linkSummary(ctx.requireSession().db),
  'customers/search': (a, ctx) => searchCustomers(ctx.requireSession().db, a),
  'customers/get': (a, ctx) => getCustomer(ctx.requireSession().db, a.customerId),
};
