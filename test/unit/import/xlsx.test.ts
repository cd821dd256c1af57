/** Excel .xlsx import: first or chosen sheet, streamed, with Chinese headers and real dates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { testApp, type TestApp } from '../../helpers/app';
import type { ImportSummary } from '../../../shared/api/import';

let app: TestApp;
let file: string;
beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'xlsx' });
  file = path.join(app.dir, 'members.xlsx');
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('说明');
  notes.addRow(['这是说明页']);
  const ws = wb.addWorksheet('会员');
  ws.addRow(['会员号', '姓名', '手机号码', '注册日期', '积分']);
  for (let i = 0; i < 500; i++) ws.addRow([`M${1000 + i}`, i % 2 ? '张三' : '李四', `1380013${String(8000 + i).padStart(4, '0')}`, new Date(Date.UTC(2024, 0, 1 + (i % 200))), i * 3]);
  await wb.xlsx.writeFile(file);
});
afterAll(() => app.close());

describe('xlsx import', () => {
  it('lists sheets and imports the chosen one with types and roles', async () => {
    const first = await app.call('import/inspect', { files: [{ path: file }] });
    expect(first.sheets).toEqual(['说明', '会员']);
    const inspect = await app.call('import/inspect', { files: [{ path: file }], sheet: '会员' });
    expect(inspect.header).toEqual(['会员号', '姓名', '手机号码', '注册日期', '积分']);
    expect(inspect.columns.map((c) => c.type)).toEqual(['id', 'category', 'phone', 'date', 'integer']);
    expect(inspect.columns.map((c) => c.role)).toEqual(['customer_id', 'name', 'phone', 'timestamp', null]);
    const { jobId } = await app.call('import/start', { files: [{ path: file }], name: '会员', settings: inspect.settings });
    const job = await app.ctx.jobs.wait(jobId);
    const s = job.result as ImportSummary;
    expect(s).toMatchObject({ rowsIn: 500, rowsImported: 500, rowsQuarantined: 0 });
    const row = app.ctx.requireSession().db.prepare(`SELECT * FROM ${s.datasetId} WHERE _row = 1`).get();
    expect(row).toMatchObject({ 会员号: 'M1000', 手机号码: '+8613800138000', 注册日期: '2024-01-01', 积分: 0 });
  });
});
