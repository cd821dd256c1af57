/**
 * Quality and cleaning result shapes shared by the engine (main/analysis/quality, clean) and the
 * contract (shared/api/quality.ts): declared here so the contract never imports the engine.
 */
import type { ColumnType } from '../types';

export type Cell = string | number | null;

export interface Fences {
  lower: number;
  upper: number;
}

export interface OutlierHits extends Fences {
  method: 'iqr' | 'mad';
  count: number;
  /** Row indices of offenders, in row order, at most `cap`. */
  rows: number[];
  truncated: boolean;
}

export interface Stats {
  mean: number;
  median: number;
  std: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

export interface QualityScore {
  score: number;
  completeness: number;
  validity: number | null;
  uniqueness: number | null;
  consistency: number | null;
}

export interface ColumnProfile {
  type: ColumnType;
  count: number;
  nulls: number;
  nonNull: number;
  distinct: number;
  distinctExact: boolean;
  min: Cell;
  max: Cell;
  /** integer/decimal/percent columns. */
  numeric?: Stats;
  /** date/datetime columns: ISO strings, std in days. */
  dates?: { min: string; max: string; mean: string; median: string; stdDays: number };
  top: { value: Cell; count: number }[];
  topExact: boolean;
  /** Counts within the pattern sample (all values up to 65,536, else every ⌈n/65,536⌉-th row). */
  patterns: { pattern: string; count: number }[];
  patternsDistinct: number;
  patternSample: number;
  /** Text length (characters) of string values. */
  length?: { min: number; max: number; mean: number };
  invalid: { count: number; rows: number[]; examples: Cell[]; reasons: Record<string, number> };
  outliers?: { iqr: OutlierHits; mad: OutlierHits | null };
  /** Numeric columns: value bins; date columns: bins in days since 1970. */
  histogram?: HistogramBin[];
  quality: QualityScore;
}

export interface ChangeExample {
  row: number;
  column: string;
  before: Cell;
  after: Cell;
}

export interface ChangeReport {
  cellsChanged: number;
  rowsChanged: number;
  rowsRemoved: number;
  rowsFlagged: number;
  examples: ChangeExample[];
}

/** Something a step noticed about the data that a replay should tell the user. */
export interface Issue {
  kind: 'missing_column' | 'type_mismatch' | 'unmapped_values' | 'unparsed_values' | 'not_numeric' | 'column_exists' | 'invalid_regex' | 'long_cells' | 'no_values' | 'step_failed';
  step: number;
  op: string;
  column?: string;
  count?: number;
  share?: number;
  examples?: Cell[];
  message: string;
}

export interface PreviewRow {
  row: number;
  before: Cell[];
  /** null when the step removed the row. */
  after: Cell[] | null;
  flags: string[];
}

export interface StepPreview {
  columnsBefore: string[];
  columnsAfter: string[];
  sample: PreviewRow[];
  report: ChangeReport;
  issues: Issue[];
  removedCount: number;
  flaggedCount: number;
}
