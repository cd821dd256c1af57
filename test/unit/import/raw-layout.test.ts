/**
 * "Values exactly as read" with the raw text stored only where the typed value does not give it
 * back (main/services/import/raw.ts). A generated file with every column type and the ways exports
 * write them (money with 0/1/2/3 decimals and thousands separators, Excel's 1.38E+10 phones,
 * national and +86 phones, '123.0' ids, placeholders, blanks, padded text, large and negative
 * numbers, random two-decimal amounts up to 1e13) is imported; `<id>__raw` must equal the parsed
 * file cell by cell — the JavaScript and SQL reconstructions agree on every cell — before and after
 * a column's type is changed, and after an append. A clean file stores no raw text at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { testApp, type TestApp } from '../../helpers/app';
import { createRng, randInt } from '../../../main/kernel/random';
import type { ColumnType } from '../../../shared/types';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'raw layout' });
});
afterAll(() => app.close());

const db = () => app.ctx.requireSession().db;

const COLUMNS: [string, ColumnType, (r: () => number) => string][] = [
  ['整数', 'integer', (r) => pick(r, ['42', '0012', '+5', '-17', '1,234', ' 8 ', '9007199254740993', '3.0', '', '  ', 'N/A', '-', 'abc', String(randInt(r, 1e9))])],
  ['金额', 'decimal', (r) => pick(r, ['523.00', '523.5', '523', '1,234.50', '0.125', '-0.00', '0012.50', '+12.30', '0.05', '-0.05', '-12.30', '1e3', '99999999999.99', '1234567890123.45', '¥88.80', '', 'N/A', (randInt(r, 1e15) / 100).toFixed(2), (randInt(r, 1e7) / 100).toFixed(2), (randInt(r, 1e6) / 1000).toFixed(3)])],
  ['占比', 'percent', (r) => pick(r, ['12.5%', '0.3', '100%', '', '7%'])],
  ['是否会员', 'boolean', (r) => pick(r, ['是', '否', 'true', '0', '1', 'Y', ''])],
  ['生日', 'date', (r) => pick(r, ['1990-01-02', '1990/1/2', '2024-02-30', '19900102', '', '45292'])],
  ['下单时间', 'datetime', (r) => pick(r, ['2024-03-05 10:00:00', '2024-03-05T10:00:00', '2024/3/5 10:00', '2024-03-05 25:00:00', '', `2024-0${1 + randInt(r, 9)}-1${randInt(r, 10)} 0${randInt(r, 10)}:00:00`])],
  ['手机', 'phone', (r) => pick(r, ['13800138000', '+8613800138000', '138 0013 8000', '+86 138-0013-8000', '1.38E+10', '8613800138000', '021-12345678', '12345', '', `13${randInt(r, 10)}${String(randInt(r, 1e8)).padStart(8, '0')}`])],
  ['邮箱', 'email', (r) => pick(r, ['a@b.com', ' A@B.com ', 'not-mail', ''])],
  ['会员号', 'id', (r) => pick(r, ['00123', '123.0', ' 7', 'M001', '', `M${randInt(r, 1e6)}`])],
  ['城市', 'category', (r) => pick(r, ['北京', '上海 ', '', 'N/A'])],
  ['备注', 'text', (r) => pick(r, ['你好，世界', '  padded  ', 'say "hi"', 'line\nbreak', '', '-'])],
];

function pick(r: () => number, xs: string[]): string {
  return xs[randInt(r, xs.length)]!;
}

function writeFile(file: string, n: number, seed: number): string[][] {
  const r = createRng(seed);
  const rows = Array.from({ length: n }, () => COLUMNS.map(([, , gen]) => gen(r)));
  writeFileSync(file, Papa.unparse({ fields: COLUMNS.map(([name]) => name), data: rows }, { newline: '\n' }));
  // what the file says, parsed independently of Segmint's reader
  return (Papa.parse<string[]>(readFileSync(file, 'utf8'), { skipEmptyLines: false }).data as string[][]).slice(1).filter((row) => row.length > 1 || row[0] !== '');
}

async function importWith(file: string, name: string, appendTo?: string): Promise<string> {
  const insp = await app.call('import/inspect', { files: [{ path: file }] });
  const settings = { ...insp.settings, columns: insp.settings.columns.map((c, i) => ({ ...c, type: COLUMNS[i]![1], role: c.role === 'phone' && COLUMNS[i]![1] !== 'phone' ? null : c.role })) };
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings, ...(appendTo ? { appendTo } : {}) });
  const j = await app.ctx.jobs.wait(jobId);
  if (j.status !== 'done') throw new Error(JSON.stringify(j.error));
  return (j.result as { datasetId: string }).datasetId;
}

function rawRows(id: string): string[][] {
  return (db().prepare(`SELECT * FROM "${id}__raw" ORDER BY _row`).raw(true).all() as unknown[][]).map((r) => r.slice(1).map((v) => v as string));
}

function firstDifference(got: string[][], want: string[][]): string | null {
  if (got.length !== want.length) return `rows ${got.length} ≠ ${want.length}`;
  for (let i = 0; i < want.length; i++)
    for (let j = 0; j < COLUMNS.length; j++) if (got[i]![j] !== want[i]![j]) return `row ${i + 1} ${COLUMNS[j]![0]}: ${JSON.stringify(got[i]![j])} ≠ ${JSON.stringify(want[i]![j])}`;
  return null;
}

describe('raw text stored only where the typed value does not give it back', () => {
  let id = '';
  let truth: string[][] = [];

  it('reads back every cell of a messy file exactly, storing far fewer raw cells than it read', async () => {
    const file = path.join(app.dir, 'messy.csv');
    truth = writeFile(file, 6000, 7);
    id = await importWith(file, 'messy');
    expect(db().prepare(`SELECT type FROM sqlite_master WHERE name = ?`).pluck().get(`${id}__raw`)).toBe('view');
    expect(firstDifference(rawRows(id), truth)).toBeNull();
    // the text columns are never stored twice; the money column only where not written with two decimals
    const stored = db().prepare(`SELECT count("备注"), count("城市"), count("金额"), count(*) FROM "${id}__rawdiff"`).raw(true).get() as number[];
    expect(stored[0]).toBe(0);
    expect(stored[1]).toBe(0);
    // (as a number prints them: no leading zero, no '+', at most 12 integer digits, not '-0.00')
    const twoDecimals = truth.filter((r) => /^-?(0|[1-9]\d{0,11})\.\d{2}$/.test(r[1]!) && r[1] !== '-0.00').length;
    expect(stored[2]).toBe(truth.filter((r) => r[1] !== '').length - twoDecimals);
    // a boolean column reads back by the first way it wrote true and false ('是'/'否' here)
    const bool = truth.map((r) => r[3]!);
    const firstTrue = bool.find((b) => ['是', 'true', '1', 'Y'].includes(b));
    const firstFalse = bool.find((b) => ['否', '0'].includes(b));
    const keptBool = db().prepare(`SELECT count("是否会员") FROM "${id}__rawdiff"`).pluck().get();
    expect(keptBool).toBe(bool.filter((b) => b !== '' && b !== firstTrue && b !== firstFalse).length);
  });

  it('still reads back exactly after a column changes type (and back)', async () => {
    for (const [column, type] of [['金额', 'text'], ['会员号', 'integer'], ['手机', 'text'], ['金额', 'decimal'], ['手机', 'phone'], ['会员号', 'id'], ['是否会员', 'text'], ['是否会员', 'boolean']] as const) {
      const { jobId } = await app.call('columns/set', { datasetId: id, column, type });
      const j = await app.ctx.jobs.wait(jobId);
      expect(j.status).toBe('done');
      expect(firstDifference(rawRows(id), truth), `${column} → ${type}`).toBeNull();
    }
  });

  it('an appended batch reads back exactly too', async () => {
    const file = path.join(app.dir, 'messy-2.csv');
    const more = writeFile(file, 1500, 8);
    await importWith(file, 'messy', id);
    expect(firstDifference(rawRows(id), [...truth, ...more])).toBeNull();
  });

  it('a clean export stores no raw text at all', async () => {
    const file = path.join(app.dir, 'clean.csv');
    const r = createRng(3);
    writeFileSync(file, ['订单号,手机,金额,下单时间,是否会员', ...Array.from({ length: 2000 }, (_, i) => `SO${i},13${randInt(r, 10)}${String(randInt(r, 1e8)).padStart(8, '0')},${(randInt(r, 1e6) / 100 + 1).toFixed(2)},2024-0${1 + (i % 9)}-1${i % 10} 10:00:00,${i % 3 ? '是' : '否'}`)].join('\n'));
    const insp = await app.call('import/inspect', { files: [{ path: file }] });
    expect(insp.settings.columns.map((c) => c.type)).toEqual(['id', 'phone', 'decimal', 'datetime', 'boolean']);
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'clean', settings: insp.settings });
    const cid = ((await app.ctx.jobs.wait(jobId)).result as { datasetId: string }).datasetId;
    expect(db().prepare(`SELECT count(*) FROM "${cid}__rawdiff"`).pluck().get()).toBe(0);
    expect(db().prepare(`SELECT count(*) FROM "${cid}__raw"`).pluck().get()).toBe(2000);
    expect((db().prepare(`SELECT "手机", "金额" FROM "${cid}__raw" WHERE _row = 1`).get() as Record<string, string>)).toEqual({ 手机: readFileSync(file, 'utf8').split('\n')[1]!.split(',')[1], 金额: readFileSync(file, 'utf8').split('\n')[1]!.split(',')[2] });
  });
});
