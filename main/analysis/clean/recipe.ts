/**
 * Running recipes (pure): apply, preview one step, replay on another file.
 *
 * - applyRecipe: parses the recipe (zod fills defaults), runs the steps in order and stops with a
 *   StepError when a step names a column the table lacks or a regex is refused — the user is
 *   building the recipe on this table, so that is a mistake to fix now.
 * - replayRecipe: the same steps on another table (next month's export) and never throws for a
 *   table that does not fit: steps use the columns that exist, skip what they cannot do, and
 *   every problem becomes a misfit — missing column, column of another type (from `table.types`
 *   against the recipe's `source` or the step's expectation), values a map step did not know,
 *   many values a date/phone/email/money step could not read, non-numeric columns for numeric
 *   steps, refused regexes, and any unexpected error of a step (the table is then left as it was
 *   before that step). `fits` is true when there is no misfit.
 * - previewStep: runs one step on the given table without keeping anything and returns the counts
 *   plus a before/after sample of the rows it touched (changed, removed or flagged; the first
 *   rows when it touched none). The counts are for the table passed in: a service previews on a
 *   slice for speed.
 * Removed rows are returned per step (each with the columns the table had at that step); flags
 *   and examples name rows by their number in the input table (Table.rowIds).
 */
import type { ColumnType } from '../../../shared/types';
import { type Recipe, type RecipeInput, type RecipeStep, type RecipeStepInput, Recipe as RecipeSchema, RecipeStep as StepSchema } from '../../../shared/api/recipe';
import { runStep, StepError } from './steps';
import { type Cell, type ChangeReport, type Flag, type Issue, type Table, assertTable, rowIdsOf, sameCell } from './table';
import type { PreviewRow, StepPreview } from '../../../shared/api/quality-model';
export type { PreviewRow, StepPreview };

export interface StepRun {
  index: number;
  op: RecipeStep['op'];
  label?: string;
  report: ChangeReport;
  issues: Issue[];
  /** The step failed and was skipped (replay only). */
  skipped?: boolean;
}

export interface RecipeResult {
  table: Table;
  removed: { step: number; table: Table }[];
  flags: Flag[];
  steps: StepRun[];
  /** Non-fatal observations of all steps (unmapped values, unparsed dates …). */
  issues: Issue[];
}

export type Misfit = Issue;

export interface ReplayResult extends RecipeResult {
  misfits: Misfit[];
  fits: boolean;
  /** Columns of the table that the recipe's source did not have (informational). */
  newColumns: string[];
}

export interface RunOptions {
  onProgress?: (done: number, total: number, op: string) => void;
}

/** Column types after a step (only when the table carries types). */
function retype(t: Table, step: RecipeStep): Table {
  if (!t.types) return t;
  const types: Record<string, ColumnType> = { ...t.types };
  const set = (names: string[], ty: ColumnType) => names.forEach((n) => t.columns.includes(n) && (types[n] = ty));
  switch (step.op) {
    case 'phone':
      if (step.onInvalid === 'null') set(step.columns, 'phone');
      break;
    case 'email':
      if (step.onInvalid === 'null') set(step.columns, 'email');
      break;
    case 'date':
      if (step.onInvalid === 'null' && step.output !== 'auto') set(step.columns, step.output);
      break;
    case 'currency':
      if (step.onInvalid === 'null') set(step.columns, 'decimal');
      break;
    case 'split':
      set(step.into, 'text');
      break;
    case 'merge':
      set([step.into], 'text');
      break;
    case 'regexExtract':
      set([step.into], 'text');
      break;
    case 'derive':
      set([step.into], ['year', 'month', 'day', 'quarter', 'weekday', 'length'].includes(step.fn) ? 'integer' : step.fn === 'concat' ? 'text' : 'decimal');
      break;
    default:
      return t;
  }
  return { ...t, types };
}

function run(table: Table, recipe: Recipe, strict: boolean, opts: RunOptions): RecipeResult {
  assertTable(table);
  let t: Table = { ...table, rowIds: rowIdsOf(table) };
  const removed: { step: number; table: Table }[] = [];
  const flags: Flag[] = [];
  const steps: StepRun[] = [];
  const issues: Issue[] = [];
  recipe.steps.forEach((step, index) => {
    const label = step.label !== undefined ? { label: step.label } : {};
    try {
      const r = runStep(t, step, { index, strict });
      t = retype(r.table, step);
      if (r.removed && r.removed.rows.length) removed.push({ step: index, table: r.removed });
      // one by one: a validation step may flag every row, and a spread of 150k+ values overflows the call stack
      for (const f of r.flags) flags.push(f);
      for (const i of r.issues) issues.push(i);
      steps.push({ index, op: step.op, ...label, report: r.report, issues: r.issues });
    } catch (e) {
      if (strict) throw e;
      const iss: Issue = e instanceof StepError ? e.issue : { kind: 'step_failed', step: index, op: step.op, message: (e as Error).message };
      issues.push(iss);
      steps.push({ index, op: step.op, ...label, report: { cellsChanged: 0, rowsChanged: 0, rowsRemoved: 0, rowsFlagged: 0, examples: [] }, issues: [iss], skipped: true });
    }
    opts.onProgress?.(index + 1, recipe.steps.length, step.op);
  });
  return { table: t, removed, flags, steps, issues };
}

/** Apply a recipe built on this table; throws (StepError) on a missing column or refused regex. */
export function applyRecipe(table: Table, recipe: Recipe | RecipeInput, opts: RunOptions = {}): RecipeResult {
  return run(table, RecipeSchema.parse(recipe), true, opts);
}

/** Apply a saved recipe to another table; never throws for misfits (an invalid recipe still throws). */
export function replayRecipe(table: Table, recipe: Recipe | RecipeInput, opts: RunOptions = {}): ReplayResult {
  const parsed = RecipeSchema.parse(recipe);
  const misfits: Misfit[] = [];
  const src = parsed.source?.columns ?? [];
  for (const c of src) {
    if (!table.columns.includes(c.name)) continue; // a missing column is reported by the steps that use it
    const now = table.types?.[c.name];
    if (c.type && now && c.type !== now) misfits.push({ kind: 'type_mismatch', step: -1, op: 'recipe', column: c.name, message: `column "${c.name}" was ${c.type} when the recipe was made and is ${now} now` });
  }
  const r = run(table, parsed, false, opts);
  for (const i of r.issues) misfits.push(i);
  const known = new Set(src.map((c) => c.name));
  const newColumns = src.length ? table.columns.filter((c) => !known.has(c)) : [];
  return { ...r, misfits, fits: misfits.length === 0, newColumns };
}



/** Run one step on the table without keeping the result: counts and a before/after sample. */
export function previewStep(table: Table, step: RecipeStep | RecipeStepInput, sampleSize = 20): StepPreview {
  assertTable(table);
  const parsed = StepSchema.parse(step);
  const t: Table = { ...table, rowIds: rowIdsOf(table) };
  const r = runStep(t, parsed, { index: 0, strict: false });
  const ids = t.rowIds!;
  const afterIdx = new Map<number, number>();
  r.table.rowIds!.forEach((id, i) => afterIdx.set(id, i));
  const flagsBy = new Map<number, string[]>();
  for (const f of r.flags) flagsBy.set(f.row, [...(flagsBy.get(f.row) ?? []), `${f.rule}: ${f.reason}`]);
  const beforeCol = new Map(t.columns.map((c, j) => [c, j] as const));
  const sameRow = (i: number): boolean => {
    const k = afterIdx.get(ids[i]!);
    if (k === undefined) return false;
    const a = t.rows[i]!;
    const b = r.table.rows[k]!;
    return r.table.columns.every((c, j) => {
      const jb = beforeCol.get(c);
      return sameCell(jb === undefined ? null : a[jb]!, b[j]!);
    });
  };
  const pick = (i: number): PreviewRow => {
    const k = afterIdx.get(ids[i]!);
    return { row: ids[i]!, before: t.rows[i]!, after: k === undefined ? null : r.table.rows[k]!, flags: flagsBy.get(ids[i]!) ?? [] };
  };
  const sample: PreviewRow[] = [];
  for (let i = 0; i < t.rows.length && sample.length < sampleSize; i++) if (flagsBy.has(ids[i]!) || !sameRow(i)) sample.push(pick(i));
  if (!sample.length) for (let i = 0; i < Math.min(sampleSize, t.rows.length); i++) sample.push(pick(i));
  return {
    columnsBefore: t.columns.slice(),
    columnsAfter: r.table.columns.slice(),
    sample,
    report: r.report,
    issues: r.issues,
    removedCount: r.removed?.rows.length ?? 0,
    flaggedCount: r.report.rowsFlagged,
  };
}

/** A recipe's JSON (defaults filled) and back: `parseRecipe(JSON.parse(recipeToJson(r)))` equals r. */
export function recipeToJson(recipe: Recipe | RecipeInput): string {
  return JSON.stringify(RecipeSchema.parse(recipe));
}

export function parseRecipe(json: unknown): Recipe {
  return RecipeSchema.parse(typeof json === 'string' ? JSON.parse(json) : json);
}
