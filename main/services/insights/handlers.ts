/** Handlers of the insights domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { insightsSchemas } from '../../../shared/api/insights';

export const insightsHandlers: DomainHandlers<typeof insightsSchemas> = {
  'insights/ping': () => ({ ok: true }),
};
