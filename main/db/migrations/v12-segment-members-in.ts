/** Migration 12: a segmentation may read its members from its result dataset instead of listing them (services/segments/membership.ts). */
import type { Migration } from './index';

export const v12SegmentMembersIn: Migration = {
  version: 12,
  name: 'segment members in result',
  sql: `
    -- JSON {customer, segment}: the result dataset's columns holding each member's customer key and segment key; NULL = members listed in segment_members
    ALTER TABLE segmentations ADD COLUMN members_in TEXT;
  `,
};
