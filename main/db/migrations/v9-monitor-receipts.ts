/** Migration 9: a campaign monitor may read delivery from a receipts dataset (DELIVRD/UNDELIV). */
import type { Migration } from './index';

export const v9MonitorReceipts: Migration = {
  version: 9,
  name: 'monitor-receipts',
  sql: `
    -- Gateways leave sends at 成功 (accepted); only a receipt says delivered. NULL: the sends' own status.
    ALTER TABLE campaign_monitors ADD COLUMN receipts TEXT;
  `,
};
