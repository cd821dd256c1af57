/** The streamed .xlsx reader on its own: sheets by index and name, cell values as strings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { listXlsxSheets, readXlsxRows } from '../../../main/import/xlsx';
import { inferColumn } from '../../../main/import/types';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'segmint-xlsx-'));
  file = path.join(dir, 'export.xlsx');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['本表为会员导出']);
  const ws = wb.addWorksheet('会员');
  ws.addRow(['会员号', '姓名', '注册日期', '最近下单', '积分', '是否会员', '备注', '链接', '合计']);
  for (let i = 0; i < 300; i++) {
    ws.addRow([
      `M${1000 + i}`,
      { richText: [{ text: '张' }, { text: i % 2 ? '三' : '四', font: { bold: true } }] },
      new Date(Date.UTC(2024, 0, 1 + (i % 200))),
      new Date(Date.UTC(2024, 5, 1, 8, 26, i % 60)),
      i * 3,
      i % 3 === 0,
      i % 10 === 0 ? null : `备注${i}`,
      { text: '详情', hyperlink: 'https://example.com/m' + i },
      // exceljs drops a cached formula result of 0 (see main/import/xlsx.ts), so results here are ≥ 1.
      { formula: `E${i + 2}*2+1`, result: i * 6 + 1 },
    ]);
  }
  ws.addRow(['M9999', '王五', null, null, { error: '#N/A' }]);
  await wb.xlsx.writeFile(file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xlsx reader', () => {
  it('lists the sheets in workbook order', async () => {
    expect(await listXlsxSheets(file)).toEqual(['说明', '会员']);
  });

  it('reads the first sheet by default and a chosen sheet by name or index', async () => {
    const first: string[][] = [];
    for await (const r of readXlsxRows(file)) first.push(r);
    expect(first).toEqual([['本表为会员导出']]);
    const byName: string[][] = [];
    for await (const r of readXlsxRows(file, '会员')) byName.push(r);
    const byIndex: string[][] = [];
    for await (const r of readXlsxRows(file, 1)) byIndex.push(r);
    expect(byIndex).toEqual(byName);
    expect(byName).toHaveLength(302);
    expect(byName[0]).toEqual(['会员号', '姓名', '注册日期', '最近下单', '积分', '是否会员', '备注', '链接', '合计']);
    expect(byName[1]).toEqual(['M1000', '张四', '2024-01-01', '2024-06-01 08:26:00', '0', 'true', '', '详情', '1']);
    expect(byName[12]).toEqual(['M1011', '张三', '2024-01-12', '2024-06-01 08:26:11', '33', 'false', '备注11', '详情', '67']);
    expect(byName[301]).toEqual(['M9999', '王五', '', '', '#N/A']);
    // Cell strings infer as the types they came from.
    const column = (j: number) => byName.slice(1, 301).map((r) => r[j]!);
    expect(inferColumn('注册日期', column(2)).type).toBe('date');
    expect(inferColumn('最近下单', column(3)).type).toBe('datetime');
    expect(inferColumn('积分', column(4)).type).toBe('integer');
    expect(inferColumn('是否会员', column(5)).type).toBe('boolean');
  });

  it('a missing sheet is a clear error', async () => {
    const read = async (sheet: string | number) => {
      for await (const _ of readXlsxRows(file, sheet)) void _;
    };
    await expect(read('不存在')).rejects.toThrow(/no sheet "不存在"/);
    await expect(read(5)).rejects.toThrow(/no sheet number 6/);
  });
});
