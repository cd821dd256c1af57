import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { applyRecipe, parseRecipe, previewStep, recipeToJson, replayRecipe } from '../../../main/analysis/clean/recipe';
import { Recipe, type RecipeInput } from '../../../shared/api/recipe';
import { StepError } from '../../../main/analysis/clean/steps';
import type { Cell, Table } from '../../../main/analysis/clean/table';
import { datasetPath } from '../../helpers/datasets';

function retail(): { columns: string[]; rows: string[][] } {
  const data = Papa.parse<string[]>(readFileSync(datasetPath('online-retail-sample.csv'), 'utf8'), { skipEmptyLines: true }).data;
  return { columns: data[0]!, rows: data.slice(1) };
}

/** A sub-table with the named columns (in that order), rows [from, to). */
function slice(src: { columns: string[]; rows: string[][] }, cols: string[], from: number, to: number): Table {
  const idx = cols.map((c) => src.columns.indexOf(c));
  return { columns: cols, rows: src.rows.slice(from, to).map((r) => idx.map((j) => (j === -1 ? '' : r[j]!) as Cell)) };
}

const ALL = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

function buildRecipe(countries: string[]): RecipeInput {
  return {
    version: 1,
    source: { columns: ALL.map((name) => ({ name, type: name === 'CustomerID' ? 'id' : name === 'Quantity' ? 'integer' : name === 'UnitPrice' ? 'decimal' : name === 'InvoiceDate' ? 'datetime' : 'text' })) },
    steps: [
      { op: 'trim', columns: ['Description'] },
      { op: 'currency', columns: ['Quantity', 'UnitPrice'] },
      { op: 'filter', conditions: [{ column: 'Quantity', op: 'gt', value: 0 }, { column: 'InvoiceNo', op: 'regex', value: '^\\d' }], label: '去掉退货' },
      { op: 'derive', into: 'Amount', fn: 'mul', args: ['Quantity', 'UnitPrice'] },
      { op: 'date', columns: ['InvoiceDate'], output: 'date' },
      { op: 'map', columns: ['Country'], entries: countries.map((c) => ({ from: [c], to: c.toUpperCase() })), caseInsensitive: false },
      { op: 'regexReplace', columns: ['CustomerID'], pattern: '\\.0$', replacement: '' },
      { op: 'validate', name: '单价为正', rule: { kind: 'range', column: 'UnitPrice', min: 0.01 } },
    ],
  };
}

describe('recipes', () => {
  it('round-trips through JSON and the zod schema (defaults filled once)', () => {
    const input = buildRecipe(['United Kingdom', 'France']);
    const parsed = Recipe.parse(input);
    const json = recipeToJson(input);
    expect(parseRecipe(json)).toEqual(parsed);
    expect(parseRecipe(JSON.parse(json))).toEqual(parseRecipe(recipeToJson(parseRecipe(json))));
    expect(parsed.steps[0]).toEqual({ op: 'trim', columns: ['Description'], collapse: true });
    expect(() => Recipe.parse({ version: 1, steps: [{ op: 'trim' }] })).toThrow();
    expect(() => Recipe.parse({ version: 1, steps: [{ op: 'eval', code: 'x' }] })).toThrow();
    expect(() => Recipe.parse({ version: 2, steps: [] })).toThrow();
    expect(() => Recipe.parse({ version: 1, steps: [{ op: 'split', column: 'a', into: ['b'] }] })).toThrow(/delimiter or regex/);
  });

  it('applies a recipe on online-retail: counts agree with a direct computation', () => {
    const src = retail();
    const t = slice(src, ALL, 0, 20000);
    const countries = [...new Set(t.rows.map((r) => r[7] as string))];
    const progress: number[] = [];
    const res = applyRecipe(t, buildRecipe(countries), { onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const keep = t.rows.filter((r) => Number(r[3]) > 0 && /^\d/.test(r[0] as string));
    expect(res.table.rows.length).toBe(keep.length);
    expect(res.removed[0]!.table.rows.length).toBe(t.rows.length - keep.length);
    expect(res.removed[0]!.step).toBe(2);
    const ai = res.table.columns.indexOf('Amount');
    const direct = keep.reduce((s, r) => s + Number(r[3]) * Number(r[5]), 0);
    expect(res.table.rows.reduce((s, r) => s + (r[ai] as number), 0)).toBeCloseTo(direct, 4);
    expect(res.table.rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[4] as string))).toBe(true);
    const trailing = t.rows.filter((r) => (r[2] as string) !== (r[2] as string).trim().replace(/\s+/g, ' ') && (r[2] as string).trim() !== '').length;
    expect(res.steps[0]!.report.cellsChanged).toBeGreaterThanOrEqual(trailing);
    expect(trailing).toBeGreaterThan(100);
    const zeroPrice = keep.filter((r) => Number(r[5]) < 0.01).length;
    expect(res.flags.filter((f) => f.rule === '单价为正')).toHaveLength(zeroPrice);
    expect(res.issues).toEqual([]);
    // building on the wrong table fails loudly
    expect(() => applyRecipe(slice(src, ALL.filter((c) => c !== 'Country'), 0, 100), buildRecipe(countries))).toThrow(StepError);
  });

  it('replays onto another file with a different column set: same result as by hand for the common parts, plus misfits', () => {
    const src = retail();
    const a = slice(src, ALL, 0, 20000);
    const countries = [...new Set(a.rows.map((r) => r[7] as string))];
    const recipe = buildRecipe(countries);
    // next month's file: no Description, an extra column, another column order, CustomerID typed as a number,
    // and every third InvoiceDate unreadable
    const bCols = ['Channel', 'Country', 'InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'];
    const b = slice(src, bCols, 20000, src.rows.length);
    b.rows.forEach((r, i) => {
      r[0] = i % 2 ? '门店' : '线上';
      if (i % 3 === 0) r[5] = '未知';
    });
    b.types = { CustomerID: 'decimal', Quantity: 'integer' };
    const rep = replayRecipe(b, recipe);
    expect(rep.fits).toBe(false);
    const kinds = rep.misfits.map((m) => `${m.kind}:${m.column ?? ''}`);
    expect(kinds).toContain('type_mismatch:CustomerID');
    expect(kinds).toContain('missing_column:Description');
    expect(kinds).toContain('unparsed_values:InvoiceDate');
    expect(rep.newColumns).toEqual(['Channel']);
    const newCountries = b.rows.filter((r) => Number(r[4]) > 0 && /^\d/.test(r[2] as string) && !countries.includes(r[1] as string)).length;
    expect(newCountries).toBeGreaterThan(0);
    const unmapped = rep.misfits.find((m) => m.kind === 'unmapped_values')!;
    expect(unmapped.count).toBe(newCountries);
    const dates = rep.misfits.find((m) => m.kind === 'unparsed_values')!;
    expect(dates.share!).toBeGreaterThan(0.3);
    expect(rep.steps[0]!.report.cellsChanged).toBe(0);
    // by hand: the same recipe without the step whose column is gone
    const parsed = Recipe.parse(recipe);
    const hand = applyRecipe(b, { ...parsed, steps: parsed.steps.slice(1) });
    expect(rep.table).toEqual(hand.table);
    expect(rep.removed.map((r) => r.table)).toEqual(hand.removed.map((r) => r.table));
    expect(rep.flags.map((f) => [f.row, f.rule, f.reason])).toEqual(hand.flags.map((f) => [f.row, f.rule, f.reason]));
    // replay never throws, even when nothing fits
    const nothing = replayRecipe({ columns: ['x'], rows: [['1']] }, recipe);
    expect(nothing.table.rows).toEqual([['1']]);
    expect(nothing.misfits.filter((m) => m.kind === 'missing_column').length).toBeGreaterThanOrEqual(6);
  });

  it('a validation that flags 150,000 rows returns them all (a spread of the flags overflowed the call stack)', () => {
    const n = 300_000;
    const table: Table = { columns: ['phone', 'n'], rows: Array.from({ length: n }, (_, i) => [i % 2 ? '' : `1380000${String(i).padStart(4, '0')}`, i]), types: { phone: 'text', n: 'integer' } };
    const recipe: RecipeInput = { version: 1, steps: [{ op: 'validate', name: 'phone required', rule: { kind: 'required', columns: ['phone'] } }] };
    for (const r of [applyRecipe(table, recipe), replayRecipe(table, recipe)]) {
      expect(r.flags).toHaveLength(n / 2);
      expect(r.flags[0]).toMatchObject({ row: 1, column: 'phone', reason: 'empty' });
    }
  });

  it('previews a step without changing the table', () => {
    const t: Table = { columns: ['phone', 'name'], rows: [['13812345678', 'a'], ['+8613912345678', 'b'], ['010-12345678', 'c'], ['x', 'd']] };
    const copy = JSON.parse(JSON.stringify(t));
    const p = previewStep(t, { op: 'phone', columns: ['phone'] }, 10);
    expect(t).toEqual(copy);
    expect(p.sample.map((s) => s.row)).toEqual([0, 2, 3]);
    expect(p.sample[1]).toEqual({ row: 2, before: ['010-12345678', 'c'], after: ['+861012345678', 'c'], flags: ['phone: landline'] });
    expect(p.report.cellsChanged).toBe(2);
    expect(p.flaggedCount).toBe(2);
    const f = previewStep(t, { op: 'filter', conditions: [{ column: 'name', op: 'in', values: ['a', 'b'] }] }, 10);
    expect(f.removedCount).toBe(2);
    expect(f.sample.map((s) => s.after)).toEqual([null, null]);
    const s = previewStep(t, { op: 'split', column: 'phone', delimiter: '-', into: ['area', 'local'] }, 1);
    expect(s.columnsAfter).toEqual(['phone', 'area', 'local', 'name']);
    expect(s.sample).toHaveLength(1);
  });
});
