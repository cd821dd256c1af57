/**
 * Issue 16 item 12: inputs that used to surface raw SQLite, zod or zip errors now get a clear
 * English and Chinese message, or import without one — and leave no dataset behind when refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { testApp, type TestApp } from '../../helpers/app';
import type { ImportSummary } from '../../../shared/api/import';

let app: TestApp;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'errors' });
});
afterAll(() => app.close());

const datasets = async () => (await app.call('datasets/list', {})).length;
const hasZh = (s: unknown) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

describe('clear messages for inputs that broke the import', () => {
  it('a header named _row imports as _row_2 beside Segmint\'s own row number, values intact', async () => {
    const file = path.join(app.dir, 'row.csv');
    writeFileSync(file, '_row,name,_ROW\n7,张三,x\n9,李四,y\n');
    const inspect = await app.call('import/inspect', { files: [{ path: file }] });
    expect(inspect.header).toEqual(['_row_2', 'name', '_ROW_3']);
    expect(inspect.warnings.map((w) => w.code)).toContain('reserved_name');
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'row', settings: inspect.settings });
    const job = await app.ctx.jobs.wait(jobId);
    expect(job.status).toBe('done');
    const s = job.result as ImportSummary;
    const rows = app.ctx.requireSession().db.prepare(`SELECT _row, _row_2, name, _ROW_3 FROM ${s.datasetId} ORDER BY _row`).all();
    expect(rows).toEqual([{ _row: 1, _row_2: 7, name: '张三', _ROW_3: 'x' }, { _row: 2, _row_2: 9, name: '李四', _ROW_3: 'y' }]);
  });

  it('100,000 columns (a header longer than the sample) → too_many_columns in both languages', async () => {
    const before = await datasets();
    const file = path.join(app.dir, 'very-wide.csv');
    writeFileSync(file, `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n${Array.from({ length: 100_000 }, () => '1').join(',')}\n`);
    const err = await app.call('import/inspect', { files: [{ path: file }] }).then(() => null, (e) => e);
    expect(err).toMatchObject({ code: 'too_many_columns' });
    expect(err.message).toMatch(/more than [\d,]+ columns/);
    expect(hasZh(err.zh)).toBe(true);
    expect(await datasets()).toBe(before);
  });

  it('one enormous line that is not a table → line_too_long', async () => {
    const file = path.join(app.dir, 'one-line.csv');
    writeFileSync(file, 'x'.repeat(600 * 1024) + '\n');
    await expect(app.call('import/inspect', { files: [{ path: file }] })).rejects.toMatchObject({ code: 'line_too_long', zh: expect.stringContaining('表格') });
  });

  it('an .xlsx row with a value right of the last column of the replayed settings is quarantined, not cut', async () => {
    const book = async (name: string, rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('S');
      for (const r of rows) ws.addRow(r);
      const file = path.join(app.dir, name);
      await wb.xlsx.writeFile(file);
      return file;
    };
    // Last month's workbook sets up the import; this month's has a note beside one row.
    const june = await book('june.xlsx', [['id', 'name'], [1, '张三']]);
    const inspect = await app.call('import/inspect', { files: [{ path: june }] });
    expect(inspect.header).toEqual(['id', 'name']);
    const file = await book('july.xlsx', [['id', 'name'], [1, '张三'], [2, '李四', 'stray note'], [3, '王五']]);
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: 'wide-row', settings: inspect.settings });
    const s = (await app.ctx.jobs.wait(jobId)).result as ImportSummary;
    expect(s).toMatchObject({ rowsIn: 3, rowsImported: 2, rowsQuarantined: 1 });
    const q = app.ctx.requireSession().db.prepare(`SELECT line, reason, raw FROM ${s.datasetId}__quarantine`).all();
    expect(q).toEqual([{ line: 3, reason: 'ragged', raw: JSON.stringify(['2', '李四', 'stray note']) }]);
  });

  it('broken .xlsx files → bad_xlsx in both languages, at inspect and at import', async () => {
    const good = path.join(app.dir, 'good.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('会员');
    ws.addRow(['会员号', '姓名']);
    for (let i = 0; i < 200; i++) ws.addRow([`M${i}`, `客户${i}`]);
    await wb.xlsx.writeFile(good);
    const inspect = await app.call('import/inspect', { files: [{ path: good }] });
    const bytes = readFileSync(good);
    const broken: [string, Uint8Array][] = [
      ['truncated.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))],
      ['zip-header-only.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)])],
      ['text.xlsx', Buffer.from('id,name\n1,a\n')],
    ];
    const before = await datasets();
    for (const [name, b] of broken) {
      const file = path.join(app.dir, name);
      writeFileSync(file, b);
      const err = await app.call('import/inspect', { files: [{ path: file }] }).then(() => null, (e) => e);
      expect(err, name).toMatchObject({ code: 'bad_xlsx' });
      expect(err.message, name).not.toMatch(/^Internal error/);
      expect(hasZh(err.zh), name).toBe(true);
      // With settings from a good workbook (the CLI's replay path) the job fails the same way.
      const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings: inspect.settings });
      const job = await app.ctx.jobs.wait(jobId);
      expect(job.status, name).toBe('failed');
      expect(job.error, name).toMatchObject({ code: 'bad_xlsx' });
    }
    expect(await datasets()).toBe(before);
  });
});
