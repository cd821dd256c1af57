/** Domain types shared by main and renderer (no Node or DOM APIs here). */

export type Lang = 'zh-CN' | 'en';

export interface WorkspaceInfo {
  path: string;
  name: string;
  encrypted: boolean;
  schemaVersion: number;
  sizeBytes: number;
  createdAt: string | null;
  datasets: number;
  /** Opened read-only because its disk is full: it can be read and exported elsewhere, not changed. */
  readOnly?: boolean;
}

export interface RecentWorkspace {
  path: string;
  name: string;
  encrypted: boolean;
  exists: boolean;
  lastOpened: string;
}

export type ColumnType =
  | 'integer'
  | 'decimal'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'phone'
  | 'email'
  | 'id'
  | 'category'
  | 'text';

export const COLUMN_TYPES: ColumnType[] = ['integer', 'decimal', 'percent', 'boolean', 'date', 'datetime', 'phone', 'email', 'id', 'category', 'text'];

export type Role =
  | 'customer_id'
  | 'phone'
  | 'email'
  | 'name'
  | 'gender'
  | 'birthday'
  | 'region'
  | 'city'
  | 'timestamp'
  | 'amount'
  | 'quantity'
  | 'unit_price'
  | 'order_id'
  | 'item'
  | 'channel'
  | 'campaign'
  | 'variant'
  | 'sms_status'
  | 'order_status'
  | 'message_text'
  | 'reply_text'
  | 'label'
  | 'cost';

export const ROLES: Role[] = [
  'customer_id', 'phone', 'email', 'name', 'gender', 'birthday', 'region', 'city', 'timestamp', 'amount', 'quantity',
  'unit_price', 'order_id', 'item', 'channel', 'campaign', 'variant', 'sms_status', 'order_status', 'message_text', 'reply_text', 'label', 'cost',
];

export interface DatasetColumn {
  /** Column name as shown and as stored (quoted) in SQL. */
  name: string;
  /** Name in the source file before renaming. */
  source: string;
  type: ColumnType;
  role: Role | null;
  /** Cells that failed their type and were stored as NULL in the typed table. */
  invalid: number;
  /** Why the invalid cells failed, e.g. { excel_scientific: 3, not_a_mobile_prefix: 1 } (phone columns). */
  invalidReasons?: Record<string, number>;
  nulls?: number;
  /** Boolean columns: how true and false were written ('是'/'否', 'Y'/'N'), so their raw text reads back from the typed value. */
  rawWords?: [string | null, string | null];
}

export interface DatasetInfo {
  id: string;
  name: string;
  kind: 'import' | 'derived';
  sourceName: string | null;
  sourceSize: number | null;
  sourceSha256: string | null;
  encoding: string | null;
  dialect: unknown;
  columns: DatasetColumn[];
  rowsIn: number;
  rowCount: number;
  quarantined: number;
  parentId: string | null;
  createdAt: string;
  /** Import settings (JSON) that replay this import on next month's file. */
  settings: unknown;
  /** Where the rows live: this workspace file (SQLite, the default) or the DuckDB file beside it (large imports). */
  engine?: 'sqlite' | 'duckdb';
}

export type SortSpec = { column: string; dir: 'asc' | 'desc' };
export type FilterOp = 'eq' | 'ne' | 'contains' | 'gt' | 'lt' | 'gte' | 'lte' | 'empty' | 'notEmpty';
export type FilterSpec = { column: string; op: FilterOp; value?: string | number | null };

export interface RowsPage {
  columns: string[];
  rows: unknown[][];
  total: number;
  offset: number;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: string;
  label: string;
  status: JobStatus;
  done: number;
  total: number;
  phase: string;
  etaSeconds: number | null;
  /** Rows processed so far and their rate, for jobs that read rows (import). */
  rows?: number;
  rowsPerSecond?: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: { code: string; en: string; zh: string } | null;
  result: unknown;
}

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  rows: number | null;
  details: unknown;
}

export interface BackupInfo {
  path: string;
  name: string;
  sizeBytes: number;
  createdAt: string;
  reason: string;
}
