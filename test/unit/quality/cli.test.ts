/**
 * `segmint profile` and `segmint recipe apply` through the real bin in a child process: one JSON
 * object on stdout, CSV with a BOM for --out, counts checked against the files read directly,
 * misfits on replay (exit 0), exit 1 + one line for a bad recipe, exit 2 for usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetPath } from '../../helpers/datasets';
import { tempDir } from '../../helpers/app';
import { segmintBin as bin, segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let ws: string;

const cli = segmintIn(() => t.dir);
const segmint = cli.run;
const json = (args: string[]) => cli.json(args);

beforeAll(() => {
  t = tempDir();
  ws = path.join(t.dir, 'q.segmint');
  json(['workspace', 'create', ws]);
  json(['import', datasetPath('telco-customer-churn.csv'), '--workspace', ws, '--name', 'telco']);
  json(['import', datasetPath('online-retail-sample.csv'), '--workspace', ws, '--name', 'retail']);
});
afterAll(() => t.cleanup());

describe('segmint profile / recipe apply', () => {
  it('profile D: per-column stats and scores as JSON, and as CSV with --out', () => {
    const lines = readFileSync(datasetPath('telco-customer-churn.csv'), 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const ti = header.indexOf('TotalCharges');
    const blanks = lines.slice(1).filter((l) => l.split(',')[ti]!.trim() === '').length;
    const out = path.join(t.dir, 'profile.csv');
    const r = json(['profile', 'telco', '--workspace', ws, '--out', out]);
    expect(r.rows).toBe(lines.length - 1);
    expect(r.columns.map((c: { name: string }) => c.name)).toEqual(header);
    expect(r.columns.find((c: { name: string }) => c.name === 'TotalCharges')).toMatchObject({ nulls: blanks, invalid: 0, type: 'decimal' });
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(100);
    for (const c of r.columns) expect(c.score).toBeGreaterThanOrEqual(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.trim().split(/\r\n/)).toHaveLength(header.length + 1);
    // human output goes to stdout too, without --json
    const human = segmint(['profile', 'telco', '--workspace', ws]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/quality score/);
  });

  it('profile rows D --column C --problem P: the rows behind a count, paged, as JSON, CSV and text', () => {
    const lines = readFileSync(datasetPath('telco-customer-churn.csv'), 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const ti = header.indexOf('TotalCharges');
    const ids = lines.slice(1).filter((l) => l.split(',')[ti]!.trim() === '').map((l) => l.split(',')[0]);
    const all = json(['profile', 'rows', 'telco', '--column', 'TotalCharges', '--problem', 'null', '--workspace', ws]);
    expect(all.total).toBe(ids.length);
    expect(all.rows.map((r: unknown[]) => r[all.columns.indexOf('customerID')])).toEqual(ids);
    const page = json(['profile', 'rows', '--dataset', 'telco', '--column', 'TotalCharges', '--problem', 'null', '--limit', '4', '--offset', '3', '--workspace', ws]);
    expect(page.rows).toEqual(all.rows.slice(3, 7));
    // outliers of the retail file's Quantity, to a CSV
    const out = path.join(t.dir, 'outliers.csv');
    const o = json(['profile', 'rows', 'retail', '--column', 'Quantity', '--problem', 'outlier_iqr', '--limit', '20', '--workspace', ws, '--out', out]);
    expect(o.total).toBeGreaterThan(1000);
    expect(readFileSync(out, 'utf8').trim().split(/\r\n/)).toHaveLength(21);
    const human = segmint(['profile', 'rows', 'telco', '--column', 'TotalCharges', '--problem', 'null', '--limit', '2', '--workspace', ws]);
    expect(human.stdout).toMatch(new RegExp(`TotalCharges · null: ${ids.length} rows, 1–2 shown`));
    expect(segmint(['profile', 'rows', 'telco', '--column', 'TotalCharges', '--problem', 'weird', '--workspace', ws]).code).toBe(2);
    expect(segmint(['profile', 'rows', 'telco', '--column', 'Country', '--problem', 'pattern', '--workspace', ws]).code).toBe(2);
    expect(segmint(['profile', 'rows', 'telco', '--column', 'nope', '--problem', 'null', '--workspace', ws]).code).toBe(1);
  });

  it('recipe apply R.json --dataset D: per-step counts, removed rows kept; replay on another dataset reports misfits', () => {
    const recipe = {
      version: 1,
      steps: [
        { op: 'trim', columns: ['Description'] },
        { op: 'filter', conditions: [{ column: 'Quantity', op: 'gt', value: 0 }] },
        { op: 'derive', into: 'Revenue', fn: 'mul', args: ['Quantity', 'UnitPrice'] },
      ],
    };
    const file = path.join(t.dir, 'retail.recipe.json');
    writeFileSync(file, JSON.stringify(recipe));
    const lines = readFileSync(datasetPath('online-retail-sample.csv'), 'utf8').trim().split(/\r?\n/);
    const qi = lines[0]!.split(',').indexOf('Quantity');
    // Descriptions may hold quoted commas, Quantity and the columns after it never do: count Quantity from the end.
    const quantities = lines.slice(1).map((l) => Number(l.split(',').at(qi - lines[0]!.split(',').length)));
    const returns = quantities.filter((q) => !(q > 0)).length;
    const out = path.join(t.dir, 'clean.csv');
    const r = json(['recipe', 'apply', file, '--dataset', 'retail', '--name', 'retail clean', '--workspace', ws, '--out', out]);
    expect(r.datasetName).toBe('retail clean');
    expect(r.steps.map((s: { op: string }) => s.op)).toEqual(['trim', 'filter', 'derive']);
    expect(r.steps[1].rowsRemoved).toBe(returns);
    expect(r.rowsRemoved).toBe(returns);
    expect(r.rowsOut).toBe(quantities.length - returns);
    expect(r.steps[2].cellsChanged).toBeGreaterThan(0);
    expect(r.removedDatasetId).toMatch(/^ds_\d+$/);
    expect(r.misfits).toEqual([]);
    expect(readFileSync(out, 'utf8').trim().split(/\r\n/)).toHaveLength(r.rowsOut + 1);
    const list = json(['datasets', 'list', '--workspace', ws]);
    const removed = list.datasets.find((d: { datasetId: string }) => d.datasetId === r.removedDatasetId);
    expect(removed).toMatchObject({ kind: 'derived', rowsImported: returns });
    // replay on Telco: none of the columns exist → misfits, not an error
    const rep = json(['recipe', 'apply', file, '--dataset', 'telco', '--workspace', ws]);
    expect(rep.fits).toBe(false);
    expect(rep.misfits.map((m: { kind: string }) => m.kind)).toContain('missing_column');
    expect(rep.rowsOut).toBe(7043);
  });

  it('exit 1 with one line for a bad recipe, exit 2 for usage errors', () => {
    const bad = path.join(t.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, steps: [{ op: 'trim' }] }));
    const r = segmint(['recipe', 'apply', bad, '--dataset', 'retail', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/step 1/);
    const notJson = path.join(t.dir, 'not.json');
    writeFileSync(notJson, '{nope');
    expect(segmint(['recipe', 'apply', notJson, '--dataset', 'retail', '--workspace', ws]).code).toBe(1);
    expect(segmint(['recipe', 'apply', '--dataset', 'retail', '--workspace', ws]).code).toBe(2);
    expect(segmint(['recipe', 'apply', bad, '--workspace', ws]).code).toBe(2);
    expect(segmint(['profile', '--workspace', ws]).code).toBe(2);
    expect(segmint(['profile', 'nope', '--workspace', ws]).code).toBe(1);
  });
});
