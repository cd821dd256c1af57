/**
 * Numbered schema migrations of a workspace file. Append only: never edit a released
 * migration, add the next number. Each runs in its own transaction and is recorded in
 * schema_migrations; PRAGMA user_version mirrors the highest applied number so a newer file
 * can be refused before anything touches it.
 */
import { v1Init } from './v1-init';
import { v2Segments } from './v2-segments';
import { v3SmsMonitoring } from './v3-sms-monitoring';
import { v4Quality } from './v4-quality';
import { v5Customers } from './v5-customers';
import { v6Privacy } from './v6-privacy';
import { v7Definitions } from './v7-definitions';
import { v8Remote } from './v8-remote';
import { v9MonitorReceipts } from './v9-monitor-receipts';
import { v10IdentityMaps } from './v10-identity-maps';
import { v11Engines } from './v11-engines';
import { v12SegmentMembersIn } from './v12-segment-members-in';
import { v13ColumnFacts } from './v13-column-facts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  v1Init,
  v2Segments,
  v3SmsMonitoring,
  v4Quality,
  v5Customers,
  v6Privacy,
  v7Definitions,
  v8Remote,
  v9MonitorReceipts,
  v10IdentityMaps,
  v11Engines,
  v12SegmentMembersIn,
  v13ColumnFacts,
];

// Numbered 1…N without a gap or a repeat: a second migration with a taken number throws at load.
migrations.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`Migration "${m.name}" has number ${m.version}; expected ${i + 1} (numbers run 1…N in order).`);
});

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;
