/** Handlers of the dashboard domain. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { dashboardSchemas } from '../../../shared/api/dashboard';
import { dashboardSummary } from './summary';

export const dashboardHandlers: DomainHandlers<typeof dashboardSchemas> = {
  'dashboard/summary': (a, ctx) => dashboardSummary(ctx.requireSession().db, a),
};
