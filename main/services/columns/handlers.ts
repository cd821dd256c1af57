/** Handlers of the columns domain: a role or type change runs as a job (a new type re-reads every raw value). */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { columnsSchemas } from '../../../shared/api/columns';
import { getDataset } from '../datasets';
import { startJob } from '../start-job';

export const columnsHandlers: DomainHandlers<typeof columnsSchemas> = {
  'columns/set': (a, ctx) => {
    getDataset(ctx.requireSession().db, a.datasetId); // an unknown dataset fails before a job starts
    return { jobId: startJob(ctx, 'columns/set', a, `columns ${a.column}`).id };
  },
};
