/** Handlers of the value domain: CLV, churn, basket rules, recommendations, forecast. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { valueSchemas } from '../../../shared/api/value';
import { startJob } from '../start-job';
import { forecast } from './forecast';

export const valueHandlers: DomainHandlers<typeof valueSchemas> = {
  'value/clv': (a, ctx) => ({ jobId: startJob(ctx, 'value/clv', a, 'CLV').id }),
  'value/churn': (a, ctx) => ({ jobId: startJob(ctx, 'value/churn', a, `churn ${a.label}`).id }),
  'value/rules': (a, ctx) => ({ jobId: startJob(ctx, 'value/rules', a, 'basket rules').id }),
  'value/recommend': (a, ctx) => ({ jobId: startJob(ctx, 'value/recommend', a, 'recommendations').id }),
  'value/forecast': (a, ctx) => forecast(ctx.requireSession().db, a),
};
