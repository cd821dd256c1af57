/**
 * The table the cleaning steps work on, and what every step reports (pure data, no I/O).
 *
 * Row-wise: `{ columns, rows }` with `rows[i][j]` the cell of column `columns[j]` — the shape
 * SQLite's raw() rows come in, and the natural one for filters, splits and merges. Steps never
 * mutate their input: they copy the rows they change (unchanged rows are shared).
 * `rowIds[i]` is the original row number of row i (absent = 0..n−1); filters keep it in step, so
 * every report, flag and removed row names rows of the table the recipe started from.
 * `types` optionally gives the app's column types (shared/types ColumnType); replay uses them to
 * report a column "of another type".
 *
 * Change report of a step: cellsChanged (cells whose value differs, written cells of new columns
 * that are not null), rowsChanged (rows with at least one such cell), rowsRemoved, rowsFlagged
 * (distinct rows), and the first ≤ 20 examples {row, column, before, after}.
 */
import type { ColumnType } from '../../../shared/types';
import type { Cell } from './values';
import type { ChangeExample, ChangeReport, Issue } from '../../../shared/api/quality-model';
export type { ChangeExample, ChangeReport, Issue };

export type { Cell } from './values';

export interface Table {
  columns: string[];
  rows: Cell[][];
  rowIds?: number[];
  types?: Record<string, ColumnType>;
}



/** A row flagged by a step (phone landline/invalid, unparsed date, validation rule …). */
export interface Flag {
  row: number;
  step: number;
  rule: string;
  column?: string;
  reason: string;
}


export interface StepResult {
  table: Table;
  /** Rows a filter took out (same columns as the input table), with their original row ids. */
  removed: Table | null;
  flags: Flag[];
  issues: Issue[];
  report: ChangeReport;
}

export const MAX_EXAMPLES = 20;

export function rowIdsOf(t: Table): number[] {
  return t.rowIds ?? t.rows.map((_, i) => i);
}

export function colIndex(t: Table, name: string): number {
  return t.columns.indexOf(name);
}

/** Same cell value (NaN never appears: cells are string | number | null). */
export function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return a === b || ((a === null || a === undefined) && (b === null || b === undefined));
}

/** Collects changes of one step into a ChangeReport. */
export class ReportBuilder {
  cellsChanged = 0;
  private changedRows = new Set<number>();
  private flaggedRows = new Set<number>();
  private lastRow = -1;
  rowsRemoved = 0;
  examples: ChangeExample[] = [];

  change(row: number, column: string, before: Cell, after: Cell): void {
    this.cellsChanged++;
    if (row !== this.lastRow) {
      this.changedRows.add(row);
      this.lastRow = row;
    }
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ row, column, before, after });
  }

  flag(row: number): void {
    this.flaggedRows.add(row);
  }

  build(): ChangeReport {
    return { cellsChanged: this.cellsChanged, rowsChanged: this.changedRows.size, rowsRemoved: this.rowsRemoved, rowsFlagged: this.flaggedRows.size, examples: this.examples };
  }
}

export function emptyReport(): ChangeReport {
  return { cellsChanged: 0, rowsChanged: 0, rowsRemoved: 0, rowsFlagged: 0, examples: [] };
}

/** Check a table's shape (columns unique, rows as wide as columns); throws with a clear message. */
export function assertTable(t: Table): void {
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) throw new Error('table must be { columns: string[], rows: Cell[][] }');
  if (new Set(t.columns).size !== t.columns.length) throw new Error('table has duplicate column names');
  if (t.rowIds && t.rowIds.length !== t.rows.length) throw new Error('table.rowIds must be as long as table.rows');
  for (let i = 0; i < t.rows.length; i++) if (!Array.isArray(t.rows[i]) || t.rows[i]!.length !== t.columns.length) throw new Error(`row ${i} has ${t.rows[i]?.length ?? 0} cells, expected ${t.columns.length}`);
}
