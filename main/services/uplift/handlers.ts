/** Handlers of the uplift domain: both calls start a job (features, fit and evaluation take seconds on a large base). */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { upliftSchemas } from '../../../shared/api/uplift';
import { startJob } from '../start-job';
import { upliftMeasure } from './index';

export const upliftHandlers: DomainHandlers<typeof upliftSchemas> = {
  'uplift/fit': (a, ctx) => ({ jobId: startJob(ctx, 'uplift/fit', a, 'uplift model').id }),
  'uplift/plan': (a, ctx) => ({ jobId: startJob(ctx, 'uplift/plan', a, 'uplift plan').id }),
  'uplift/measure': (a, ctx) => upliftMeasure(ctx.requireSession().db, a),
};
