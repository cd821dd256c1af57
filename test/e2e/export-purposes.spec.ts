/**
 * The three export purposes on the Export screen, in the browser, on the demo workspace; each
 * downloaded file is checked cell by cell against the workspace itself (read-only, beside the
 * server): a gateway send list holds the real phone and a message with the real name, each phone
 * once and none suppressed; an agency list masks every personal column and has no message; an
 * Excel file is an .xlsx workbook. zh and en, with screenshots.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { expect, test, type Page } from '@playwright/test';
import { go, openApp, openDemo, shot, rfmOnDemoOrders } from './helpers';

test.describe.configure({ mode: 'serial' });

/** The demo contact list as stored: canonical phone → names, and the suppressed phones. */
function workspaceTruth() {
  const db = new Database(path.join(process.env.SEGMINT_E2E_DATA!, 'workspaces', 'Segmint demo.segmint'), { readonly: true, fileMustExist: true });
  try {
    const id = (db.prepare("SELECT id FROM datasets WHERE name = 'CRM 联系人'").get() as { id: string }).id;
    const names = new Map<string, Set<string>>();
    for (const [phone, name] of db.prepare(`SELECT "手机号码", "姓名" FROM "${id}" WHERE "手机号码" IS NOT NULL`).raw(true).all() as [string, string | null][])
      (names.get(phone) ?? names.set(phone, new Set()).get(phone)!).add(name ?? '');
    const suppressed = new Set((db.prepare('SELECT phone FROM suppression').raw(true).all() as [string][]).map((r) => r[0]));
    return { names, suppressed };
  } finally {
    db.close();
  }
}

async function download(page: Page): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  return readFileSync((await d.path())!);
}

async function choose(page: Page, purpose: string) {
  await page.getByTestId('export-purpose').getByText(purpose, { exact: true }).click();
  await expect(page.getByTestId('export-preview-panel')).toBeVisible();
}

const csvRows = (b: Buffer) => Papa.parse<string[]>(b.toString('utf8').replace(/^\ufeff/, '').replace(/\r?\n$/, '')).data;

test('gateway, agency and Excel exports, each file checked against the workspace (zh)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await rfmOnDemoOrders(page);
  await go(page, 'reports');
  await expect(page.getByTestId('export-preview-panel')).toBeVisible({ timeout: 30_000 });

  // gateway: phone + message from the real name, each phone once, none suppressed
  await choose(page, '短信网关发送名单');
  await expect(page.getByTestId('export-sample').locator('thead')).toContainText('短信内容');
  await expect(page.getByTestId('export-messages')).not.toContainText('*您好');
  await shot(page, 'export-purpose-gateway-zh');
  const send = await download(page);
  expect(send[0]).not.toBe(0xef); // no byte-order mark for a gateway
  const truth = workspaceTruth();
  expect(truth.suppressed.size).toBeGreaterThan(0); // the demo's opt-outs went on the list when its replies were imported
  const rows = csvRows(send);
  expect(rows[0]).toEqual(['手机号码', '短信内容']);
  expect(rows.length).toBeGreaterThan(20);
  const phones = new Set<string>();
  for (const [phone, message] of rows.slice(1)) {
    expect(phone).toMatch(/^1[3-9]\d{9}$/);
    expect(phones.has(phone!)).toBe(false);
    phones.add(phone!);
    expect(truth.suppressed.has(`+86${phone}`)).toBe(false);
    const names = truth.names.get(`+86${phone}`);
    expect(names, phone).toBeDefined();
    // the message greets this phone's person by the real name (or the fallback when the name is empty)
    expect([...names!].some((n) => message === `${n || '顾客'}您好，会员日全场8折，回T退订`), `${phone} ${message}`).toBe(true);
  }
  await expect(page.getByTestId('export-done')).toBeVisible();

  // agency: every personal column masked, no message
  await choose(page, '提供给外部机构');
  await expect(page.getByTestId('template-on')).toBeDisabled();
  await shot(page, 'export-purpose-agency-zh');
  const agency = csvRows(await download(page));
  expect(agency[0]).not.toContain('短信内容');
  const col = (h: string) => agency[0]!.indexOf(h);
  expect(col('手机号码')).toBeGreaterThanOrEqual(0);
  for (const r of agency.slice(1)) {
    expect(r[col('手机号码')]).toMatch(/^(1[3-9]\d\*{4}\d{4})?$/);
    if (r[col('姓名')]) expect(r[col('姓名')]).toContain('*');
  }
  expect(agency.slice(1).map((r) => r[col('手机号码')]).filter(Boolean).length).toBeGreaterThan(20);

  // Excel: a workbook
  await choose(page, 'Excel 文件');
  await expect(page.getByTestId('export-format')).toContainText('Excel');
  const xlsx = await download(page);
  expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as never);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  expect(header).toContain('手机号码');
  expect(ws.rowCount - 1).toBe(agency.length - 1);
  for (let i = 2; i <= ws.rowCount; i++) expect(String(ws.getRow(i).getCell(header.indexOf('手机号码') + 1).value ?? '')).toMatch(/^(1[3-9]\d\*{4}\d{4})?$/);
});

test('the purposes in English', async ({ page }) => {
  await openApp(page, 'en');
  await openDemo(page);
  await go(page, 'reports');
  await expect(page.getByTestId('export-preview-panel')).toBeVisible({ timeout: 30_000 });
  await choose(page, 'SMS gateway send list');
  await expect(page.getByText('Only the phone and the message rendered from real values')).toBeVisible();
  await expect(page.getByTestId('export-suppression')).toBeDisabled();
  await shot(page, 'export-purpose-gateway-en');
  const rows = csvRows(await download(page));
  expect(rows[0]).toEqual(['手机号码', '短信内容']);
  expect(rows.slice(1).every((r) => /^1[3-9]\d{9}$/.test(r[0]!) && !r[1]!.includes('*'))).toBe(true);
});
