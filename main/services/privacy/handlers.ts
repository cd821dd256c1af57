/** Handlers of the privacy domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { privacySchemas } from '../../../shared/api/privacy';

export const privacyHandlers: DomainHandlers<typeof privacySchemas> = {
  'privacy/ping': () => ({ ok: true }),
};
