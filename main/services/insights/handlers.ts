/** Handlers of the insights domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { insightsSchemas } from '../../../shared/api/insights';
import { lifecycle, lifecycleSegment } from './lifecycle';
import { geo } from './geo';
import { journeys } from './journeys';
import { satisfaction } from './satisfaction';

export const insightsHandlers: DomainHandlers<typeof insightsSchemas> = {
  'insights/lifecycle': (a, ctx) => lifecycle(ctx.requireSession().db, a),
  'insights/lifecycle/segment': async (a, ctx) => {
    const r = await lifecycleSegment(ctx.requireSession().db, a);
    ctx.emit('datasets/changed', { id: r.stageDataset });
    return r;
  },
  'insights/geo': (a, ctx) => geo(ctx.requireSession().db, a),
  'insights/journeys': (a, ctx) => journeys(ctx.requireSession().db, a),
  'insights/satisfaction': (a, ctx) => satisfaction(ctx.requireSession().db, a),
};
