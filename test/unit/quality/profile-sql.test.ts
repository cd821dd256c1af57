/**
 * The quality profile computed where the rows are (SQL on SQLite and on DuckDB) against the reference
 * profile of the same values in memory (`profileColumn`), on a messy 70,000-row member export generated
 * here with its problems planted: phones in five notations and 311 that are no phone at all, e-mails
 * with 157 broken ones, placeholders ('N/A', '-', '无'), impossible dates, amounts with outliers and text
 * that is not a number, yes/no in Chinese and English. 70,000 rows also puts the pattern sample past
 * 65,536 rows (every 2nd row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runJob, testApp, type TestApp } from '../../helpers/app';
import { profileColumn, type ColumnProfile } from '../../../main/analysis/quality/profile';
import type { QualityProfile } from '../../../shared/api/quality';
import type { Cell } from '../../../main/analysis/clean/values';
import { createRng } from '../../../main/kernel/random';
import { cnSurelyMobilePrefixes } from '../../../main/kernel/values';

const N = 70_000;
const PLANTED = { badPhones: 311, badEmails: 157 };

const FULL = '０１２３４５６７８９';
function messyExport(): string {
  const r = createRng(20261205);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const badPhoneAt = new Set<number>();
  while (badPhoneAt.size < PLANTED.badPhones) badPhoneAt.add(Math.floor(r() * N));
  const badEmailAt = new Set<number>();
  while (badEmailAt.size < PLANTED.badEmails) badEmailAt.add(Math.floor(r() * N));
  const lines = ['会员ID,手机号,邮箱,注册日期,下单时间,数量,金额,是否会员,备注'];
  const notes = ['老客户', '双十一活动', '投诉过', '  ', 'VIP', '门店：上海徐汇', 'café 常客', ''];
  for (let i = 0; i < N; i++) {
    const id = `M${String(Math.floor(r() * 40_000)).padStart(6, '0')}`;
    // a mobile prefix whatever digits follow (140–144, 154 … are not mobiles: they would be bad phones too)
    const digits = `${pick(cnSurelyMobilePrefixes())}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    let phone: string;
    if (badPhoneAt.has(i)) phone = pick(['12345', '999', '0000000', 'abc123', '1380013']);
    else {
      const u = r();
      phone = u < 0.5 ? digits : u < 0.65 ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : u < 0.8 ? `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}` : u < 0.9 ? [...digits].map((d) => FULL[+d]).join('') : u < 0.96 ? `86${digits}` : pick(['', 'N/A', '-']);
    }
    const email = badEmailAt.has(i) ? pick(['abc@', 'no-at-sign.com', 'x@y', '@qq.com']) : r() < 0.1 ? '' : `u${i}@${pick(['qq.com', '163.com', 'example.cn'])}`;
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    const u = r();
    const date = u < 0.002 ? pick(['2024-02-30', '2023-13-01']) : u < 0.01 ? pick(['', '无', '-']) : `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const time = r() < 0.005 ? pick(['', 'N/A', '2024-02-31 10:00:00']) : `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`;
    const v = r();
    const qty = v < 0.003 ? pick(['x', '两件', '']) : v < 0.01 ? String(50 + Math.floor(r() * 500)) : String(1 + Math.floor(r() * 5));
    const w = r();
    const amount = w < 0.003 ? pick(['未知', 'n/a', '']) : w < 0.01 ? (5000 + r() * 50_000).toFixed(2) : (10 + Math.exp(3 + 1.2 * r() * 2)).toFixed(2);
    const member = r() < 0.005 ? pick(['maybe', '']) : pick(['是', '否', 'yes', 'no', '1', '0']);
    const note = pick(notes);
    lines.push([id, phone, email, date, time, qty, amount, member, note].map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Floats to 9 significant digits: the engines sum in their own order. */
function rounded<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v))) as T;
}

let app: TestApp;
let file: string;
const ids: Record<'sqlite' | 'duckdb', string> = { sqlite: '', duckdb: '' };
const profiles: Record<'sqlite' | 'duckdb', QualityProfile | null> = { sqlite: null, duckdb: null };

beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'profile-sql' });
  file = path.join(app.dir, 'members.csv');
  writeFileSync(file, messyExport());
  const inspect = await app.call('import/inspect', { files: [{ path: file }] });
  // as an analyst sets them in the import dialog: detection reads these two as categories
  const settings = { ...inspect.settings, columns: inspect.settings.columns.map((c) => (c.name === '是否会员' ? { ...c, type: 'boolean' as const } : c.name === '备注' ? { ...c, type: 'text' as const } : c)) };
  for (const engine of ['sqlite', 'duckdb'] as const) {
    const job = await runJob<{ datasetId: string }>(app, app.call('import/start', { files: [{ path: file }], name: `members ${engine}`, settings, engine }));
    ids[engine] = job.datasetId;
    profiles[engine] = await runJob<QualityProfile>(app, app.call('quality/profile', { datasetId: job.datasetId }));
  }
}, 600_000);

afterAll(async () => {
  await app.close();
});

/** The values the in-memory profile reads: the typed value, or the text as written where the import could not type the cell. */
async function valuesAsProfiled(datasetId: string, column: string): Promise<{ rows: number[]; values: Cell[] }> {
  const ds = await app.call('datasets/get', { id: datasetId });
  const c = ds.columns.find((x) => x.name === column)!;
  const typed = c.type !== 'text' && c.type !== 'category' && c.type !== 'id';
  const q = `"${column}"`;
  const sql = typed && c.invalid > 0 ? `SELECT t._row, COALESCE(t.${q}, CASE WHEN trim(r.${q}) <> '' THEN r.${q} END) FROM ${datasetId} t LEFT JOIN ${datasetId}__raw r ON r._row = t._row ORDER BY t._row` : `SELECT _row, ${q} FROM ${datasetId} ORDER BY _row`;
  const got = (await app.call('datasets/query', { sql, limit: 100_000 })).rows as [number, Cell][];
  return { rows: got.map((x) => x[0]), values: got.map((x) => x[1]) };
}

async function reference(column: string): Promise<ColumnProfile> {
  const ds = await app.call('datasets/get', { id: ids.sqlite });
  const c = ds.columns.find((x) => x.name === column)!;
  const { rows, values } = await valuesAsProfiled(ids.sqlite, column);
  const p = profileColumn(values, c.type, { rowCap: profiles.sqlite!.rowCap });
  const toRow = (xs: number[]) => xs.map((i) => rows[i]!);
  p.invalid.rows = toRow(p.invalid.rows);
  if (p.outliers) {
    p.outliers.iqr.rows = toRow(p.outliers.iqr.rows);
    if (p.outliers.mad) p.outliers.mad.rows = toRow(p.outliers.mad.rows);
  }
  return p;
}

describe('the quality profile by SQL', () => {
  it('reads the columns as planted: phone, email, date, datetime, integer, decimal, boolean, text', async () => {
    const ds = await app.call('datasets/get', { id: ids.sqlite });
    expect(Object.fromEntries(ds.columns.map((c) => [c.name, c.type]))).toEqual({ 会员ID: 'id', 手机号: 'phone', 邮箱: 'email', 注册日期: 'date', 下单时间: 'datetime', 数量: 'integer', 金额: 'decimal', 是否会员: 'boolean', 备注: 'text' });
    const duck = await app.call('datasets/get', { id: ids.duckdb });
    expect(duck.engine).toBe('duckdb');
  });

  it('finds the planted problems: every broken phone and e-mail, with its row', async () => {
    const p = profiles.sqlite!;
    const col = (n: string) => p.columns.find((c) => c.name === n)!;
    expect(p.rows).toBe(N);
    expect(col('手机号').invalid.count).toBe(PLANTED.badPhones);
    expect(col('邮箱').invalid.count).toBe(PLANTED.badEmails);
    // the rows behind the phone count hold the planted text as written
    const rows = await app.call('quality/rows', { datasetId: ids.sqlite, column: '手机号', problem: 'invalid', limit: 400, offset: 0 });
    expect(rows.total).toBe(PLANTED.badPhones);
    const j = rows.columns.indexOf('手机号');
    expect(new Set(rows.rows.map((x) => x[j]))).toEqual(new Set(['12345', '999', '0000000', 'abc123', '1380013']));
  });

  it('each column equals the in-memory profile of the same values (counts, top values, patterns, invalid rows, statistics, outliers, histogram, score)', async () => {
    for (const c of profiles.sqlite!.columns) {
      const { name, role, weight, ...sql } = c;
      void role;
      void weight;
      const ref = await reference(name);
      expect(ref.distinctExact).toBe(true); // below the in-memory profile's 100k cap, so it is exact too
      expect(rounded(sql), name).toEqual(rounded(ref));
    }
  }, 120_000);

  it('DuckDB gives the same profile as SQLite, and the same rows behind every count', async () => {
    const strip = (p: QualityProfile) => rounded(p.columns);
    expect(strip(profiles.duckdb!)).toEqual(strip(profiles.sqlite!));
    expect(profiles.duckdb!.score).toBe(profiles.sqlite!.score);
    expect(profiles.duckdb!.duplicateRows).toBe(profiles.sqlite!.duplicateRows);
    for (const c of profiles.sqlite!.columns) {
      const problems = [
        ...(c.nulls ? (['null'] as const) : []),
        ...(c.invalid.count ? (['invalid'] as const) : []),
        ...(c.outliers?.iqr.count ? (['outlier_iqr'] as const) : []),
        ...(c.outliers?.mad?.count ? (['outlier_mad'] as const) : []),
      ];
      for (const problem of problems) {
        const page = (id: string) => app.call('quality/rows', { datasetId: id, column: c.name, problem, limit: 30, offset: 20 });
        const [s, d] = [await page(ids.sqlite), await page(ids.duckdb)];
        expect(d.total, `${c.name} ${problem}`).toBe(s.total);
        expect(d.rows.map((x) => x[0]), `${c.name} ${problem}`).toEqual(s.rows.map((x) => x[0]));
        expect(d.rows.map((x) => x[s.columns.indexOf(c.name)])).toEqual(s.rows.map((x) => x[s.columns.indexOf(c.name)]));
        const expected = problem === 'invalid' ? c.invalid.count : problem === 'null' ? c.nulls : problem === 'outlier_iqr' ? c.outliers!.iqr.count : c.outliers!.mad!.count;
        expect(s.total, `${c.name} ${problem}`).toBe(expected);
        if (problem === 'invalid') expect(s.rows.map((x) => x[0])).toEqual(c.invalid.rows.slice(20, 50));
      }
      // a pattern's rows are all the rows of that shape (the profile's count is of the every-2nd-row sample)
      const second = c.patterns[1];
      if (second) {
        const page = (id: string) => app.call('quality/rows', { datasetId: id, column: c.name, problem: 'pattern', pattern: second.pattern, limit: 5, offset: 0 });
        const [s, d] = [await page(ids.sqlite), await page(ids.duckdb)];
        expect(d.total).toBe(s.total);
        expect(s.total).toBeGreaterThanOrEqual(second.count);
        expect(d.rows.map((x) => x[0])).toEqual(s.rows.map((x) => x[0]));
      }
    }
  }, 120_000);
});
