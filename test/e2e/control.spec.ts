/** Fixing what the importer guessed on the Data screen: a column's type and role changed after import, re-read from the raw values (zh, en). */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateMessyBrand } from '../../main/demo/messy/brand';
import { go, importViaWizard, newWorkspace, openApp, setLang, shot } from './helpers';

/** Choose in a searchable select by typing (the option lists are virtualised). */
async function choose(page: import('@playwright/test').Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible').getByTitle(text, { exact: true }).click();
}

test.describe.configure({ mode: 'serial', timeout: 0 });

test('change a column type and role after import on the Data screen (zh, en)', async ({ page }) => {
  const g = generateMessyBrand({ seed: 5, people: 300 });
  const dir = mkdtempSync(path.join(tmpdir(), 'segmint-e2e-control-'));
  const orders = path.join(dir, 'orders.csv');
  writeFileSync(orders, g.files.find((f) => f.name === 'orders.csv')!.text);
  await openApp(page, 'zh-CN');
  await newWorkspace(page, 'e2e 列设置');
  await importViaWizard(page, orders, '订单');
  await go(page, 'data');
  const amount = page.getByTestId('column-实付金额');
  await expect(amount).toContainText('小数');
  await amount.click();
  await choose(page, 'column-type', '文本');
  await choose(page, 'column-role', '（无角色）');
  await page.getByTestId('column-apply').click();
  await expect(page.getByTestId('column-changed')).toContainText(`重新读取 ${g.truth.orderLines} 个原始值`);
  await expect(amount).toContainText('文本');
  await shot(page, 'control-01-column-zh');
  await page.keyboard.press('Escape');
  await setLang(page, 'en');
  await amount.click();
  await choose(page, 'column-type', 'Decimal');
  await choose(page, 'column-role', 'Amount');
  await page.getByTestId('column-apply').click();
  await expect(page.getByTestId('column-changed')).toContainText(`${g.truth.orderLines} raw values read again`);
  await expect(amount).toContainText('Decimal');
  await shot(page, 'control-02-column-en');
  await setLang(page, 'zh-CN');
});
