/**
 * Apply (or replay) a recipe as a job: the whole dataset is read (./read.ts), the recipe runs
 * through `replayRecipe` (main/analysis/clean/recipe.ts) — on the dataset it was built on that is
 * the same as applying it, on another dataset every problem becomes a misfit instead of an error —
 * and the result is written as new datasets; the source is never changed.
 *
 * - Cleaned dataset (derived, parent = source): the recipe's columns, then `_source_row` (the
 *   source's `_row`) and `_flags` (every flag of the row: `rule(column): reason`, joined by '; ').
 *   Column types come from the source (and the recipe's retyping for new columns); roles are kept
 *   for columns that keep their name. A cell that a numeric column cannot hold (text left in an
 *   integer/decimal/percent/boolean column) is stored as NULL and flagged `type(column)`.
 *   Columns named `_source_row` or `_flags` in the input (a dataset cleaned before) are replaced.
 * - Removed rows (derived, only when a filter removed rows): the union of the columns the rows
 *   had when they were removed, `_source_row`, and `_removed_by` ("step N: op label").
 * - Job result: per-step change counts, misfits, flags per rule; audit entry `quality.recipe_applied`.
 */
import type { ApplyResult } from '../../../shared/api/quality';
import type { ColumnType, DatasetColumn } from '../../../shared/types';
import type { JobContext } from '../../jobs/types';
import type { Recipe } from '../../../shared/api/recipe';
import { replayRecipe } from '../../analysis/clean/recipe';
import type { Cell, Table } from '../../analysis/clean/table';
import { toNumber } from '../../analysis/clean/values';
import { createDerivedDataset, getDataset } from '../datasets';
import { audit } from '../audit/index';
import { readTable } from './read';

const META = ['_source_row', '_flags', '_removed_by'];
const NUMERIC: ColumnType[] = ['integer', 'decimal', 'percent', 'boolean'];

export interface ApplyArgs {
  datasetId: string;
  recipe: Recipe;
  recipeId?: number;
  recipeName?: string;
  name?: string;
}

/** Cells a numeric column can hold: numbers (numeric text is converted) or null; others → null + a flag. */
function fitCell(v: Cell, type: ColumnType): { v: Cell; bad: boolean } {
  if (v === null || !NUMERIC.includes(type) || typeof v === 'number') return { v, bad: false };
  if (v.trim() === '') return { v: null, bad: false };
  const n = toNumber(v);
  return n === null ? { v: null, bad: true } : { v: n, bad: false };
}

export async function applyJob(job: JobContext, a: ApplyArgs): Promise<ApplyResult> {
  const t0 = Date.now();
  const db = job.db;
  const src = getDataset(db, a.datasetId);
  job.progress(0, a.recipe.steps.length + 2, 'read');
  let table: Table = await readTable(db, src);
  // A dataset cleaned before: its meta columns are replaced, not cleaned again.
  const keep = table.columns.map((c, j) => (META.includes(c) ? -1 : j)).filter((j) => j >= 0);
  if (keep.length !== table.columns.length) {
    const types = { ...table.types };
    for (const m of META) delete types[m];
    table = { columns: keep.map((j) => table.columns[j]!), rows: table.rows.map((r) => keep.map((j) => r[j]!)), rowIds: table.rowIds!, types };
  }
  const r = replayRecipe(table, a.recipe, {
    onProgress: (done, total, op) => job.progress(done, total + 2, op),
  });
  job.checkCancel();
  job.progress(a.recipe.steps.length + 1, a.recipe.steps.length + 2, 'write');

  const roleOf = new Map(src.columns.map((c) => [c.name, c.role] as const));
  const srcType = new Map(src.columns.map((c) => [c.name, c.type] as const));
  const typeOf = (name: string): ColumnType => r.table.types?.[name] ?? srcType.get(name) ?? 'text';

  // Flags per source row.
  const flags = new Map<number, string[]>();
  const addFlag = (row: number, text: string) => (flags.get(row) ?? flags.set(row, []).get(row)!).push(text);
  const byRule = new Map<string, number>();
  for (const f of r.flags) {
    addFlag(f.row, `${f.rule}${f.column ? `(${f.column})` : ''}: ${f.reason}`);
    byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  }

  const cols = r.table.columns;
  const types = cols.map(typeOf);
  const ids = r.table.rowIds ?? r.table.rows.map((_, i) => i);
  const out: Cell[][] = new Array(r.table.rows.length);
  for (let i = 0; i < r.table.rows.length; i++) {
    const row = r.table.rows[i]!;
    const o: Cell[] = new Array(cols.length + 2);
    for (let j = 0; j < cols.length; j++) {
      const f = fitCell(row[j]!, types[j]!);
      if (f.bad) {
        addFlag(ids[i]!, `type(${cols[j]}): not a number: ${String(row[j]).slice(0, 40)}`);
        byRule.set('type', (byRule.get('type') ?? 0) + 1);
      }
      o[j] = f.v;
    }
    o[cols.length] = ids[i]!;
    o[cols.length + 1] = null;
    out[i] = o;
  }
  let rowsFlagged = 0;
  for (let i = 0; i < out.length; i++) {
    const fl = flags.get(ids[i]!);
    if (fl) {
      out[i]![cols.length + 1] = fl.join('; ');
      rowsFlagged++;
    }
  }
  const dsColumns: { name: string; type: DatasetColumn['type']; role: DatasetColumn['role'] }[] = [
    ...cols.map((name, j) => ({ name, type: types[j]!, role: roleOf.get(name) ?? null })),
    { name: '_source_row', type: 'integer', role: null },
    { name: '_flags', type: 'text', role: null },
  ];
  const name = a.name ?? `${src.name} (cleaned)`;
  const stepsOut = r.steps.map((s) => ({
    index: s.index,
    op: s.op,
    ...(s.label !== undefined ? { label: s.label } : {}),
    cellsChanged: s.report.cellsChanged,
    rowsChanged: s.report.rowsChanged,
    rowsRemoved: s.report.rowsRemoved,
    rowsFlagged: s.report.rowsFlagged,
    skipped: !!s.skipped,
    issues: s.issues,
  }));
  const cleaned = createDerivedDataset(db, {
    name,
    parentId: src.id,
    columns: dsColumns,
    rows: out,
    settings: { kind: 'quality/recipe', sourceDatasetId: src.id, recipeId: a.recipeId ?? null, recipeName: a.recipeName ?? null, recipe: a.recipe },
  });

  // Removed rows: union of the columns at the time of removal.
  let removedId: string | null = null;
  const removedCount = r.removed.reduce((s, x) => s + x.table.rows.length, 0);
  if (removedCount > 0) {
    const union: string[] = [];
    for (const x of r.removed) for (const c of x.table.columns) if (!union.includes(c)) union.push(c);
    const rows: Cell[][] = [];
    for (const x of r.removed) {
      const pos = union.map((c) => x.table.columns.indexOf(c));
      const step = a.recipe.steps[x.step]!;
      const by = `step ${x.step + 1}: ${step.op}${step.label ? ` ${step.label}` : ''}`;
      const rid = x.table.rowIds ?? [];
      x.table.rows.forEach((row, i) => rows.push([...pos.map((p, k) => (p < 0 ? null : fitCell(row[p]!, typeOf(union[k]!)).v)), rid[i] ?? null, by]));
    }
    rows.sort((p, q) => (p[union.length] as number) - (q[union.length] as number));
    const removed = createDerivedDataset(db, {
      name: `${name} — removed rows`,
      parentId: src.id,
      columns: [...union.map((c) => ({ name: c, type: typeOf(c), role: roleOf.get(c) ?? null })), { name: '_source_row', type: 'integer', role: null }, { name: '_removed_by', type: 'text', role: null }],
      rows,
      settings: { kind: 'quality/removed', sourceDatasetId: src.id, cleanedDatasetId: cleaned.id },
    });
    removedId = removed.id;
  }
  const result: ApplyResult = {
    sourceDatasetId: src.id,
    datasetId: cleaned.id,
    datasetName: cleaned.name,
    removedDatasetId: removedId,
    rowsIn: table.rows.length,
    rowsOut: out.length,
    rowsRemoved: removedCount,
    rowsFlagged,
    flagsByRule: [...byRule].map(([rule, count]) => ({ rule, count })).sort((p, q) => q.count - p.count),
    steps: stepsOut,
    misfits: r.misfits,
    fits: r.fits,
    newColumns: r.newColumns,
    recipeId: a.recipeId ?? null,
    seconds: (Date.now() - t0) / 1000,
  };
  audit(db, 'quality.recipe_applied', {
    objectType: 'dataset',
    objectId: cleaned.id,
    rows: out.length,
    details: { source: src.id, recipeId: a.recipeId ?? null, recipeName: a.recipeName ?? null, steps: a.recipe.steps.length, removedDatasetId: removedId, rowsRemoved: removedCount, rowsFlagged, misfits: r.misfits.length },
  });
  job.progress(a.recipe.steps.length + 2, a.recipe.steps.length + 2, 'done');
  return result;
}
