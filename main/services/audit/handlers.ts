import type { DomainHandlers } from '../../rpc/dispatch';
import type { auditSchemas } from '../../../shared/api/audit';
import { fileStamp, resolveTarget } from '../files';
import { listAudit } from '.';
import { auditActions, exportAudit } from './log';

export const auditHandlers: DomainHandlers<typeof auditSchemas> = {
  'audit/list': (a, ctx) => listAudit(ctx.requireSession().db, a),
  'audit/actions': (_a, ctx) => auditActions(ctx.requireSession().db),
  'audit/export': (a, ctx) => exportAudit(ctx.requireSession().db, resolveTarget(ctx, a, `segmint-audit-${fileStamp()}.csv`), a.action),
};
