import type { DomainHandlers } from '../../rpc/dispatch';
import type { reportsSchemas } from '../../../shared/api/reports';
import { fileStamp, resolveTarget } from '../files';
import { writeReport } from '.';

export const reportsHandlers: DomainHandlers<typeof reportsSchemas> = {
  'reports/write': (a, ctx) => {
    const s = ctx.requireSession();
    const target = resolveTarget(ctx, a, `segmint-${a.kind}-${fileStamp()}.${a.format}`);
    return writeReport(s.db, target, { ...a, workspace: s.name });
  },
};
