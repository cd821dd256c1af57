/**
 * Every call: each domain's handler map (main/services/<domain>/handlers.ts), joined. A name
 * declared twice throws at start-up. Handlers are thin: validation and the declared policy
 * (shared/api/policy.ts) are applied by the dispatcher; the work is in the domain services.
 */
import type { Handlers } from '../rpc/dispatch';
import { joinUnique } from '../../shared/join';
import { appHandlers } from './app/handlers';
import { workspaceHandlers } from './workspace/handlers';
import { datasetsHandlers } from './datasets/handlers';
import { jobsHandlers } from './jobs/handlers';
import { demoHandlers } from './demo/handlers';
import { importHandlers } from './import/handlers';
import { dashboardHandlers } from './dashboard/handlers';
import { valueHandlers } from './value/handlers';
import { smsHandlers } from './sms/handlers';
import { textHandlers } from './text/handlers';
import { segmentsHandlers } from './segments/handlers';
import { qualityHandlers } from './quality/handlers';
import { customersHandlers } from './customers/handlers';
import { privacyHandlers } from './privacy/handlers';
import { auditHandlers } from './audit/handlers';
import { backupsHandlers } from './backups/handlers';
import { reportsHandlers } from './reports/handlers';
import { insightsHandlers } from './insights/handlers';
import { definitionsHandlers } from './definitions/handlers';
import { remoteHandlers } from './remote/handlers';
import { upliftHandlers } from './uplift/handlers';
import { columnsHandlers } from './columns/handlers';

export const handlers: Handlers = joinUnique<Handlers>(
  'call',
  appHandlers,
  workspaceHandlers,
  datasetsHandlers,
  jobsHandlers,
  demoHandlers,
  importHandlers,
  dashboardHandlers,
  valueHandlers,
  smsHandlers,
  textHandlers,
  segmentsHandlers,
  qualityHandlers,
  customersHandlers,
  privacyHandlers,
  auditHandlers,
  backupsHandlers,
  reportsHandlers,
  insightsHandlers,
  definitionsHandlers,
  remoteHandlers,
  upliftHandlers,
  columnsHandlers,
);
