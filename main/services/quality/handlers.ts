/** Handlers of the quality domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { qualitySchemas } from '../../../shared/api/quality';

export const qualityHandlers: DomainHandlers<typeof qualitySchemas> = {
  'quality/ping': () => ({ ok: true }),
};
