/**
 * The quality services on real files through the app (real SQLite, real worker jobs): the
 * profile job and its stored result, the rows behind a problem, recipes (save/list/export/import,
 * preview), apply as a job (derived dataset, removed rows kept, flags, raw data unchanged) and
 * replay on another file with misfits — checked against the CSV read directly and against the
 * pure recipe functions applied by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFile, runJob, testApp, type TestApp } from '../../helpers/app';
import { datasetPath } from '../../helpers/datasets';
import { profileColumn } from '../../../main/analysis/quality/profile';
import { applyRecipe } from '../../../main/analysis/clean/recipe';
import type { RecipeInput } from '../../../shared/api/recipe';
import type { ApplyResult, QualityProfile } from '../../../shared/api/quality';
import type { ColumnType } from '../../../shared/types';

/** RFC 4180 parser (quotes, doubled quotes, CRLF) — independent of the app's reader. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else q = false;
      } else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    out.push(row);
  }
  return out;
}
const toCsv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'quality' });
});
afterAll(async () => {
  await app.close();
});

async function query(sql: string): Promise<unknown[][]> {
  return (await app.call('datasets/query', { sql, limit: 100_000 })).rows;
}

describe('profile job', () => {
  it('Telco: TotalCharges has the 11 blank cells of the file as nulls; the rows behind the count are exactly those customers', async () => {
    const file = datasetPath('telco-customer-churn.csv');
    const csv = parseCsv(readFileSync(file, 'utf8'));
    const h = csv[0]!;
    const blanks = csv.slice(1).filter((r) => r[h.indexOf('TotalCharges')]!.trim() === '');
    const id = await importFile(app, file, 'telco');
    expect(await app.call('quality/profile/get', { datasetId: id })).toBeNull();
    const p = await runJob<QualityProfile>(app, app.call('quality/profile', { datasetId: id }));
    expect(p.rows).toBe(csv.length - 1);
    expect(p.columns).toHaveLength(h.length);
    const tc = p.columns.find((c) => c.name === 'TotalCharges')!;
    expect(tc.nulls).toBe(blanks.length);
    expect(tc.nulls).toBe(11);
    expect(tc.invalid.count).toBe(0);
    // customerID is a key: uniqueness is scored and is 1
    expect(p.columns.find((c) => c.name === 'customerID')!.quality.uniqueness).toBe(1);
    // dataset score = weighted mean of the column scores
    const sw = p.columns.reduce((s, c) => s + c.weight, 0);
    expect(p.score).toBeCloseTo(p.columns.reduce((s, c) => s + c.weight * c.quality.score, 0) / sw, 1);
    expect(p.score).toBeGreaterThan(0);
    expect(p.score).toBeLessThanOrEqual(100);
    // stored: the same profile comes back
    expect(await app.call('quality/profile/get', { datasetId: id })).toEqual(p);
    // rows behind the null count
    const r = await app.call('quality/rows', { datasetId: id, column: 'TotalCharges', problem: 'null', limit: 50, offset: 0 });
    expect(r.total).toBe(11);
    const ci = r.columns.indexOf('customerID');
    expect(r.rows.map((x) => x[ci]).sort()).toEqual(blanks.map((b) => b[h.indexOf('customerID')]).sort());
    expect(r.rows.every((x) => x[r.columns.indexOf('TotalCharges')] === null)).toBe(true);
    // paging
    const p2 = await app.call('quality/rows', { datasetId: id, column: 'TotalCharges', problem: 'null', limit: 5, offset: 5 });
    expect(p2.rows.map((x) => x[0])).toEqual(r.rows.slice(5, 10).map((x) => x[0]));
  });

  it('online-retail: Quantity outliers (IQR and MAD) agree with the profile module on the file, with the same rows', async () => {
    const file = datasetPath('online-retail-sample.csv');
    const csv = parseCsv(readFileSync(file, 'utf8'));
    const qi = csv[0]!.indexOf('Quantity');
    const direct = profileColumn(csv.slice(1).map((r) => Number(r[qi])), 'integer', { rowCap: 100_000 });
    const id = await importFile(app, file, 'retail');
    const p = await runJob<QualityProfile>(app, app.call('quality/profile', { datasetId: id }));
    const q = p.columns.find((c) => c.name === 'Quantity')!;
    expect(q.outliers!.iqr.count).toBe(direct.outliers!.iqr.count);
    expect(q.outliers!.iqr.count).toBeGreaterThan(1000);
    expect(q.outliers!.mad!.count).toBe(direct.outliers!.mad!.count);
    expect(q.numeric!.median).toBe(direct.numeric!.median);
    // stored rows are `_row` numbers (file row i → _row i + 1), capped at rowCap
    expect(q.outliers!.iqr.rows).toEqual(direct.outliers!.iqr.rows.slice(0, p.rowCap).map((i) => i + 1));
    // rows behind the count, paged past the stored cap
    const page = await app.call('quality/rows', { datasetId: id, column: 'Quantity', problem: 'outlier_iqr', limit: 100, offset: 1000 });
    expect(page.total).toBe(direct.outliers!.iqr.count);
    expect(page.rows.map((r) => r[0])).toEqual(direct.outliers!.iqr.rows.slice(1000, 1100).map((i) => i + 1));
    const qcol = page.columns.indexOf('Quantity');
    for (const r of page.rows) expect((r[qcol] as number) < q.outliers!.iqr.lower || (r[qcol] as number) > q.outliers!.iqr.upper).toBe(true);
    const mad = await app.call('quality/rows', { datasetId: id, column: 'Quantity', problem: 'outlier_mad', limit: 10, offset: 0 });
    expect(mad.total).toBe(direct.outliers!.mad!.count);
    // a pattern of the Country column lists exactly the rows of that shape
    const country = p.columns.find((c) => c.name === 'Country')!;
    const top = country.patterns[0]!;
    const rows = await app.call('quality/rows', { datasetId: id, column: 'Country', problem: 'pattern', pattern: top.pattern, limit: 5, offset: 0 });
    expect(rows.total).toBe(top.count); // 38,103 rows < 65,536: every value is in the pattern sample
    // errors a user can hit
    await expect(app.call('quality/rows', { datasetId: id, column: 'Country', problem: 'outlier_iqr', limit: 5, offset: 0 })).rejects.toMatchObject({ code: 'no_outliers' });
    await expect(app.call('quality/rows', { datasetId: id, column: 'nope', problem: 'null', limit: 5, offset: 0 })).rejects.toMatchObject({ code: 'unknown_column' });
    await expect(app.call('quality/profile', { datasetId: 'ds_999' })).rejects.toMatchObject({ code: 'dataset_not_found' });
  });

  it('cells the import could not type are profiled as invalid (with their rows), not as missing', async () => {
    const file = path.join(app.dir, 'contacts.csv');
    const lines = ['id,手机号,注册日期'];
    for (let i = 0; i < 60; i++) lines.push(`${i + 1},1380013${String(8000 + i).padStart(4, '0')},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    lines.push('61,12345,2024-02-30', '62,,2024-03-01');
    writeFileSync(file, lines.join('\n'));
    const id = await importFile(app, file, 'contacts');
    const ds = await app.call('datasets/get', { id });
    expect(ds.columns.find((c) => c.name === '手机号')!.type).toBe('phone');
    const p = await runJob<QualityProfile>(app, app.call('quality/profile', { datasetId: id }));
    const phone = p.columns.find((c) => c.name === '手机号')!;
    expect(phone.invalid.count).toBe(1);
    expect(phone.nulls).toBe(1);
    const date = p.columns.find((c) => c.name === '注册日期')!;
    expect(date.invalid.count).toBe(1);
    const r = await app.call('quality/rows', { datasetId: id, column: '手机号', problem: 'invalid', limit: 10, offset: 0 });
    expect(r.total).toBe(1);
    expect(r.rows[0]![r.columns.indexOf('手机号')]).toBe('12345'); // the text as written, from the raw table
    expect(r.rows[0]![r.columns.indexOf('id')]).toBe('61'); // an id column: text
  });
});

describe('recipes', () => {
  const recipe: RecipeInput = {
    version: 1,
    steps: [
      { op: 'trim', columns: ['Description'] },
      { op: 'filter', conditions: [{ column: 'Quantity', op: 'gt', value: 0 }], mode: 'keep', label: 'no returns' },
      { op: 'derive', into: 'Revenue', fn: 'mul', args: ['Quantity', 'UnitPrice'] },
      { op: 'validate', name: 'price>=0.01', rule: { kind: 'range', column: 'UnitPrice', min: 0.01 } },
    ],
  };
  let A: string;
  let B: string;
  let csvB: string[][];
  let csvA: string[][];

  async function typedTable(id: string) {
    const ds = await app.call('datasets/get', { id });
    const cols = ds.columns.map((c) => c.name);
    const rows = await query(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM ${id} ORDER BY _row`);
    return { columns: cols, rows: rows as (string | number | null)[][], types: Object.fromEntries(ds.columns.map((c) => [c.name, c.type])) as Record<string, ColumnType> };
  }
  async function datasetRows(id: string, drop: string[] = []) {
    const ds = await app.call('datasets/get', { id });
    const cols = ds.columns.map((c) => c.name).filter((c) => !drop.includes(c));
    return { columns: cols, rows: await query(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM ${id} ORDER BY _row`) };
  }

  beforeAll(async () => {
    const all = parseCsv(readFileSync(datasetPath('online-retail-sample.csv'), 'utf8'));
    const h = all[0]!;
    csvA = [h, ...all.slice(1, 20_001)];
    // B: next month's file without the Description column
    const keep = h.map((_, j) => j).filter((j) => h[j] !== 'Description');
    csvB = [keep.map((j) => h[j]!), ...all.slice(20_001).map((r) => keep.map((j) => r[j]!))];
    writeFileSync(path.join(app.dir, 'A.csv'), toCsv(csvA));
    writeFileSync(path.join(app.dir, 'B.csv'), toCsv(csvB));
    A = await importFile(app, path.join(app.dir, 'A.csv'), 'retail A');
    B = await importFile(app, path.join(app.dir, 'B.csv'), 'retail B');
  });

  it('save, list, get, export, import; bad recipes get a clear message', async () => {
    const saved = await app.call('quality/recipe/save', { name: 'retail clean', datasetId: A, recipe: recipe as Record<string, unknown> });
    expect(saved.steps).toBe(4);
    const full = await app.call('quality/recipe/get', { id: saved.id });
    expect(full.recipe.source!.columns.map((c) => c.name)).toEqual(csvA[0]);
    expect(full.recipe.steps[0]).toMatchObject({ op: 'trim', collapse: true }); // defaults filled
    await expect(app.call('quality/recipe/save', { name: 'retail clean', recipe: recipe as Record<string, unknown> })).rejects.toMatchObject({ code: 'recipe_name_taken' });
    const ex = await app.call('quality/recipe/export', { id: saved.id });
    expect(ex.fileName).toBe('retail_clean.recipe.json');
    const imp = await app.call('quality/recipe/import', { json: ex.json, name: 'retail clean' });
    expect(imp.name).toBe('retail clean (2)');
    expect((await app.call('quality/recipe/get', { id: imp.id })).recipe).toEqual(full.recipe);
    expect((await app.call('quality/recipe/list', {})).map((r) => r.id).sort()).toEqual([saved.id, imp.id].sort());
    await app.call('quality/recipe/delete', { id: imp.id });
    expect((await app.call('quality/recipe/list', {})).map((r) => r.id)).toEqual([saved.id]);
    const bad = app.call('quality/recipe/import', { json: JSON.stringify({ version: 1, steps: [{ op: 'trim', columns: [] }] }) });
    await expect(bad).rejects.toMatchObject({ code: 'bad_recipe' });
    await expect(bad).rejects.toThrow(/step 1/);
    await expect(app.call('quality/recipe/import', { json: '{oops' })).rejects.toMatchObject({ code: 'bad_json' });
    await expect(app.call('quality/recipe/get', { id: 999 })).rejects.toMatchObject({ code: 'recipe_not_found' });
  });

  it('preview: counts on the first 5,000 rows after the earlier steps, with a before/after sample', async () => {
    const head = csvA.slice(1, 5001);
    const qi = csvA[0]!.indexOf('Quantity');
    const pv = await app.call('quality/preview', { datasetId: A, steps: recipe.steps.slice(0, 1) as Record<string, unknown>[], step: recipe.steps[1] as Record<string, unknown> });
    expect(pv.rowsRead).toBe(5000);
    expect(pv.totalRows).toBe(20_000);
    expect(pv.capped).toBe(true);
    expect(pv.removedCount).toBe(head.filter((r) => !(Number(r[qi]) > 0)).length);
    expect(pv.sample.length).toBeGreaterThan(0);
    expect(pv.sample.every((s) => s.after === null)).toBe(true);
    // the trim step ran first: the sample's descriptions are trimmed already
    const di = pv.columnsBefore.indexOf('Description');
    for (const s of pv.sample) if (typeof s.before[di] === 'string') expect(s.before[di]).toBe((s.before[di] as string).trim());
    const trim = await app.call('quality/preview', { datasetId: A, steps: [], step: recipe.steps[0] as Record<string, unknown> });
    const dcsv = csvA[0]!.indexOf('Description');
    expect(trim.report.cellsChanged).toBe(head.filter((r) => r[dcsv]!.trim() !== '' && r[dcsv] !== r[dcsv]!.trim().replace(/\s+/g, ' ')).length);
    await expect(app.call('quality/preview', { datasetId: A, steps: [], step: { op: 'trim' } })).rejects.toMatchObject({ code: 'bad_step' });
  });

  it('apply on A = the recipe applied by hand; removed rows kept; flags; raw and typed tables unchanged; audit entry', async () => {
    const fingerprint = async () => JSON.stringify([await query(`SELECT count(*), sum(length("Description")), sum("Quantity") FROM ${A}__raw`), await query(`SELECT count(*), sum(length("Description")), sum("Quantity") FROM ${A}`)]);
    const before = await fingerprint();
    const byHand = applyRecipe(await typedTable(A), recipe);
    const id = (await app.call('quality/recipe/list', {}))[0]!.id;
    const r = await runJob<ApplyResult>(app, app.call('quality/apply', { datasetId: A, recipeId: id, name: 'retail A clean' }));
    expect(r.fits).toBe(true);
    expect(r.misfits).toEqual([]);
    expect(r.steps.map((s) => [s.op, s.cellsChanged, s.rowsRemoved, s.rowsFlagged])).toEqual(byHand.steps.map((s) => [s.op, s.report.cellsChanged, s.report.rowsRemoved, s.report.rowsFlagged]));
    const qi = csvA[0]!.indexOf('Quantity');
    const returns = csvA.slice(1).filter((x) => !(Number(x[qi]) > 0)).length;
    expect(r.rowsRemoved).toBe(returns);
    expect(r.rowsOut).toBe(20_000 - returns);
    const out = await datasetRows(r.datasetId, ['_source_row', '_flags']);
    expect(out.columns).toEqual(byHand.table.columns);
    expect(out.rows).toEqual(byHand.table.rows);
    // flags: the validation rule names the rows with a price under 0.01
    const pi = csvA[0]!.indexOf('UnitPrice');
    const cheap = csvA.slice(1).filter((x) => Number(x[qi]) > 0 && Number(x[pi]) < 0.01).length;
    expect(cheap).toBeGreaterThan(0);
    expect(r.flagsByRule.find((f) => f.rule === 'price>=0.01')!.count).toBe(cheap);
    expect((await query(`SELECT count(*) FROM ${r.datasetId} WHERE _flags LIKE 'price>=0.01%'`))[0]![0]).toBe(cheap);
    // removed rows stay viewable, with the step that removed them and their source row
    const removed = await app.call('datasets/rows', { id: r.removedDatasetId!, limit: 5000 });
    expect(removed.total).toBe(returns);
    const rq = removed.columns.indexOf('Quantity');
    expect(removed.rows.every((x) => (x[rq] as number) <= 0)).toBe(true);
    expect(removed.rows[0]![removed.columns.indexOf('_removed_by')]).toBe('step 2: filter no returns');
    const srcRow = removed.rows[0]![removed.columns.indexOf('_source_row')] as number;
    expect(Number(csvA[srcRow]![qi])).toBeLessThanOrEqual(0);
    // lineage and types
    const ds = await app.call('datasets/get', { id: r.datasetId });
    expect(ds.kind).toBe('derived');
    expect(ds.parentId).toBe(A);
    expect(ds.columns.find((c) => c.name === 'Quantity')!.type).toBe('integer');
    expect(ds.columns.find((c) => c.name === 'Revenue')!.type).toBe('decimal');
    // the source is unchanged
    expect(await fingerprint()).toBe(before);
    const log = await app.call('audit/list', { limit: 20, offset: 0 });
    expect(log.entries.find((e) => e.action === 'quality.recipe_applied' && e.objectId === r.datasetId)).toMatchObject({ rows: r.rowsOut });
  });

  it('replay on B (no Description column): misfit reported, the rest equals applying the other steps by hand', async () => {
    const id = (await app.call('quality/recipe/list', {}))[0]!.id;
    const r = await runJob<ApplyResult>(app, app.call('quality/apply', { datasetId: B, recipeId: id }));
    expect(r.fits).toBe(false);
    expect(r.misfits).toEqual([expect.objectContaining({ kind: 'missing_column', column: 'Description', step: 0 })]);
    expect(r.steps[0]!.skipped || r.steps[0]!.cellsChanged === 0).toBe(true);
    const byHand = applyRecipe(await typedTable(B), { version: 1, steps: recipe.steps.slice(1) });
    const out = await datasetRows(r.datasetId, ['_source_row', '_flags']);
    expect(out.columns).toEqual(byHand.table.columns);
    expect(out.rows).toEqual(byHand.table.rows);
    const qi = csvB[0]!.indexOf('Quantity');
    expect(r.rowsRemoved).toBe(csvB.slice(1).filter((x) => !(Number(x[qi]) > 0)).length);
    expect(r.datasetName).toBe('retail B (cleaned)');
    // a recipe given inline works the same way; an invalid one fails the call, not a job
    await expect(app.call('quality/apply', { datasetId: B, recipe: { version: 2, steps: [] } })).rejects.toMatchObject({ code: 'bad_recipe' });
  });
});
