/** Handlers of the SMS campaigns domain (the Campaigns screen): report, unsubscribes, suppression, monitors. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { smsSchemas } from '../../../shared/api/sms';
import { smsReport, unsubscribes } from './report';
import { setUnsubscribeRules, unsubscribeRules } from './rules';
import { planAbTest } from './plan';
import { addSuppression, listSuppression, removeSuppression, syncSuppression } from './suppression';
import { acknowledgeAlerts, deleteMonitor, listMonitors, saveMonitor } from './monitor';

export const smsHandlers: DomainHandlers<typeof smsSchemas> = {
  'sms/report': (a, ctx) => smsReport(ctx.requireSession().db, a),
  'sms/unsubscribes': (a, ctx) => unsubscribes(ctx.requireSession().db, a.replies),
  'sms/sample-size': (a) => planAbTest(a),
  'sms/rules/get': (_a, ctx) => unsubscribeRules(ctx.requireSession().db),
  'sms/rules/set': (a, ctx) => setUnsubscribeRules(ctx.requireSession().db, a.rules),
  'sms/suppression/list': (a, ctx) => listSuppression(ctx.requireSession().db, a),
  'sms/suppression/add': (a, ctx) => addSuppression(ctx.requireSession().db, a),
  'sms/suppression/remove': (a, ctx) => removeSuppression(ctx.requireSession().db, a.phones),
  'sms/suppression/sync': (a, ctx) => syncSuppression(ctx.requireSession().db, a.replies),
  'sms/monitors': (_a, ctx) => listMonitors(ctx.requireSession().db),
  'sms/monitor/save': (a, ctx) => saveMonitor(ctx.requireSession().db, a),
  'sms/monitor/delete': (a, ctx) => deleteMonitor(ctx.requireSession().db, a.id),
  'sms/alerts/ack': (a, ctx) => acknowledgeAlerts(ctx.requireSession().db, a),
};
