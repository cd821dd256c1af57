/**
 * Exports serve a purpose (shared/api/privacy.ts EXPORT_PURPOSES), checked cell by cell against a
 * generated contact list with its truth planted: phones written five ways, invalid ones, a phone
 * listed twice, formula-like text, and a replies file whose opt-outs reach the suppression list on
 * import (and on an appended batch) without a manual sync.
 * - gateway: exactly [phone, message]; each valid, not suppressed phone once, 11 digits (or +86…);
 *   the message rendered from the real name; no "'" escaping, no byte-order mark.
 * - agency: every personal column masked ('138****1234', never "'+86 …"), no message; keeping a
 *   personal column or adding a message is refused with a clear zh/en message.
 * - excel: an .xlsx workbook whatever format was asked, formula text inert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { testApp, type TestApp } from '../../helpers/app';
import { createRng, randInt } from '../../../main/kernel/random';

let app: TestApp;
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋'];

interface Person { name: string; mobile: string | null; written: string; city: string; note: string }
const people: Person[] = [];
const unsubscribed = new Set<string>();
let crmId = '';

function spell(m: string, k: number): string {
  return [m, `+86 ${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`, `0086${m}`, `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`, `86${m}`][k % 5]!;
}

async function importFile(file: string, name: string, appendTo?: string) {
  const insp = await app.call('import/inspect', { files: [{ path: file }] });
  const { jobId } = await app.call('import/start', { files: [{ path: file }], name, settings: insp.settings, ...(appendTo ? { appendTo } : {}) });
  const j = await app.ctx.jobs.wait(jobId);
  if (j.status !== 'done') throw new Error(JSON.stringify(j.error));
  return j.result as { datasetId: string; suppression?: { detected: number; added: number } };
}

async function exportTo(file: string, a: Record<string, unknown>) {
  const { jobId } = await app.call('privacy/export', { datasetId: crmId, path: file, ...a } as never);
  const j = await app.ctx.jobs.wait(jobId);
  if (j.status !== 'done') throw Object.assign(new Error(j.error?.en), { code: j.error?.code });
  return j.result as { rows: number; suppressed: number; invalidPhones: number; duplicatePhones: number; format: string; columns: string[] };
}

const csv = (file: string) => Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/\r?\n$/, '')).data;

beforeAll(async () => {
  app = testApp();
  await app.call('workspace/create', { name: 'purposes' });
  const r = createRng(5);
  for (let i = 0; i < 400; i++) {
    const mobile = `13${randInt(r, 10)}${String(10_000_000 + i * 7919).slice(-8)}`;
    const bad = i % 41 === 7;
    people.push({ name: SURNAMES[i % 6]! + GIVEN[randInt(r, 8)]!, mobile: bad ? null : mobile, written: bad ? '12345' : spell(mobile, i), city: ['北京', '上海', '深圳'][i % 3]!, note: i % 50 === 3 ? '=HYPERLINK("http://x","点我")' : '老客户' });
  }
  people.push({ ...people[12]!, written: spell(people[12]!.mobile!, 3) }); // listed twice, written another way (not an opt-out)
  const dir = app.dir;
  writeFileSync(path.join(dir, 'crm.csv'), ['会员编号,姓名,手机号,城市,备注,生日', ...people.map((p, i) => `M${i},${p.name},${p.written},${p.city},"${p.note.replace(/"/g, '""')}",19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`)].join('\n'));
  crmId = (await importFile(path.join(dir, 'crm.csv'), 'CRM')).datasetId;
});
afterAll(() => app.close());

describe('the suppression list follows every replies dataset', () => {
  it('opt-outs in a replies file are suppressed on import, and those of an appended batch on append', async () => {
    const replies = (from: number, to: number) => ['手机号,回复时间,回复内容', ...people.slice(from, to).map((p, i) => `${p.written},2024-05-0${1 + (i % 9)} 10:00:00,${i % 9 === 0 ? '退订' : i % 9 === 1 ? 'TD' : '好的谢谢'}`)].join('\n');
    const expectOut = (from: number, to: number) => people.slice(from, to).filter((p, i) => p.mobile && i % 9 <= 1).map((p) => `+86${p.mobile}`);
    writeFileSync(path.join(app.dir, 'replies-1.csv'), replies(0, 120));
    const first = await importFile(path.join(app.dir, 'replies-1.csv'), '回复');
    for (const p of expectOut(0, 120)) unsubscribed.add(p);
    expect(first.suppression?.added).toBe(unsubscribed.size);
    writeFileSync(path.join(app.dir, 'replies-2.csv'), replies(120, 200));
    const second = await importFile(path.join(app.dir, 'replies-2.csv'), '回复', first.datasetId);
    const before = unsubscribed.size;
    for (const p of expectOut(120, 200)) unsubscribed.add(p);
    expect(second.suppression?.added).toBe(unsubscribed.size - before);
    const list = await app.call('sms/suppression/list', { limit: 1000, offset: 0 });
    expect(new Set(list.rows.map((x) => x.phone))).toEqual(unsubscribed);
  });
});

describe('export purposes', () => {
  it('gateway: the phone (11 digits) and the message from real values, each phone once, no escaping, no BOM', async () => {
    const file = path.join(app.dir, 'send.csv');
    const r = await exportTo(file, { purpose: 'gateway', template: { text: '{姓名}您好，{城市}会员日8折，回T退订', column: '短信内容' } });
    expect(readFileSync(file)[0]).not.toBe(0xef); // no UTF-8 BOM
    const rows = csv(file);
    expect(rows[0]).toEqual(['手机号', '短信内容']);
    const want: string[][] = [];
    const seen = new Set<string>();
    for (const p of people) {
      if (!p.mobile || unsubscribed.has(`+86${p.mobile}`) || seen.has(p.mobile)) continue;
      seen.add(p.mobile);
      want.push([p.mobile, `${p.name}您好，${p.city}会员日8折，回T退订`]);
    }
    expect(rows.slice(1)).toEqual(want);
    expect(r.invalidPhones).toBe(people.filter((p) => !p.mobile).length);
    expect(r.duplicatePhones).toBe(1);
    expect(r.suppressed).toBe(people.filter((p) => p.mobile && unsubscribed.has(`+86${p.mobile}`)).length);
  });

  it('gateway in E.164; and what a send list refuses', async () => {
    const file = path.join(app.dir, 'send-e164.csv');
    await exportTo(file, { purpose: 'gateway', phoneFormat: 'e164' });
    expect(csv(file).slice(1, 4).map((x) => x[0])).toEqual(people.filter((p) => p.mobile && !unsubscribed.has(`+86${p.mobile}`)).slice(0, 3).map((p) => `+86${p.mobile}`));
    await expect(app.call('privacy/export/preview', { datasetId: crmId, purpose: 'gateway', suppression: false })).rejects.toMatchObject({ code: 'privacy.gateway_needs_suppression' });
    await expect(app.call('privacy/export/preview', { datasetId: crmId, purpose: 'gateway', columns: ['手机号', '城市'] })).rejects.toMatchObject({ code: 'privacy.gateway_columns', zh: expect.stringContaining('城市') });
  });

  it('agency: every personal column masked in national form, no message; keep and messages refused', async () => {
    const file = path.join(app.dir, 'agency.csv');
    await exportTo(file, { purpose: 'agency' });
    const rows = csv(file);
    expect(rows[0]).toEqual(['会员编号', '姓名', '手机号', '城市', '备注']); // the birthday dropped
    const kept = people.filter((p) => !p.mobile || !unsubscribed.has(`+86${p.mobile}`));
    expect(rows.length - 1).toBe(kept.length);
    rows.slice(1).forEach((row, i) => {
      const p = kept[i]!;
      expect(row[1]).toBe(p.name[0] + '*');
      expect(row[2]).toBe(p.mobile ? `${p.mobile.slice(0, 3)}****${p.mobile.slice(7)}` : ''); // a phone that is not one is empty in the typed table
      expect(row[2]!.startsWith("'")).toBe(false);
      expect(row[4]).toBe(p.note.startsWith('=') ? `'${p.note}` : p.note); // a spreadsheet will open it
    });
    await expect(app.call('privacy/export/preview', { datasetId: crmId, purpose: 'agency', template: { text: '{姓名}您好', column: '短信内容' } })).rejects.toMatchObject({ code: 'privacy.agency_no_message' });
    await expect(app.call('privacy/export/preview', { datasetId: crmId, purpose: 'agency', protect: [{ column: '手机号', protect: 'keep' }] })).rejects.toMatchObject({ code: 'privacy.agency_keeps_personal' });
  });

  it('excel: a workbook whatever format was asked, formula text inert', async () => {
    const file = path.join(app.dir, 'list.xlsx');
    const r = await exportTo(file, { purpose: 'excel', format: 'csv', protect: [{ column: '手机号', protect: 'mask' }] });
    expect(r.format).toBe('xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['会员编号', '姓名', '手机号', '城市', '备注', '生日']);
    const kept = people.filter((p) => !p.mobile || !unsubscribed.has(`+86${p.mobile}`));
    expect(ws.rowCount - 1).toBe(kept.length);
    kept.forEach((p, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(2).value).toBe(p.name);
      if (p.mobile) expect(row.getCell(3).value).toBe(`${p.mobile.slice(0, 3)}****${p.mobile.slice(7)}`);
      expect(row.getCell(5).type).not.toBe(ExcelJS.ValueType.Formula);
    });
  });
});
