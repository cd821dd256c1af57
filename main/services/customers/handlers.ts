/** Handlers of the customers domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { customersSchemas } from '../../../shared/api/customers';

export const customersHandlers: DomainHandlers<typeof customersSchemas> = {
  'customers/ping': () => ({ ok: true }),
};
