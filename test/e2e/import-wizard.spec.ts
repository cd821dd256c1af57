/** The import wizard end to end: a GBK file with Chinese headers, every step on screen. */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { go, openApp, shot } from './helpers';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');

test('import a GBK file with Chinese headers through the wizard', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'workspace');
  // The screen loads lazily: wait until it shows the open workspace or the create form before
  // asking which (run alone, no earlier spec has left a workspace open).
  await expect(page.getByTestId('ws-close').or(page.getByTestId('ws-name'))).toBeVisible();
  if (await page.getByTestId('ws-name').isVisible()) {
    await page.getByTestId('ws-name').fill('e2e 导入');
    await page.getByTestId('ws-create').click();
    await expect(page.getByTestId('current-workspace')).toBeVisible();
  }
  await go(page, 'import');
  await shot(page, 'import-01-drop');
  await page.locator('input[type=file]').setInputFiles(path.join(datasets, 'sms-zh-labelled-sample-gbk.csv'));
  await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('detected-encoding')).toHaveText('gb18030');
  await expect(page.getByTestId('preview-grid').locator('.ant-table-thead')).toContainText('短信内容');
  await shot(page, 'import-02-encoding-preview');
  // Overriding the encoding re-renders the preview (Latin-1 garbles the Chinese header).
  await page.getByTestId('encoding-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('latin1', { exact: true }).click();
  await expect(page.getByTestId('preview-grid').locator('.ant-table-thead')).not.toContainText('短信内容');
  await page.getByTestId('encoding-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('自动', { exact: true }).click();
  await expect(page.getByTestId('preview-grid').locator('.ant-table-thead')).toContainText('短信内容');
  await page.getByTestId('to-columns').click();
  await expect(page.getByTestId('columns-table')).toBeVisible();
  await page.getByTestId('dataset-name').fill('中文短信 GBK');
  await shot(page, 'import-03-columns');
  await page.getByTestId('start-import').click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary).toContainText('读入 306 行 = 导入 306 行 + 隔离 0 行');
  await shot(page, 'import-04-summary');
  await page.getByTestId('go-data').click();
  await expect(page.getByTestId('grid-total')).toContainText('306');
  await expect(page.getByTestId('data-grid')).toContainText('xx');
  await shot(page, 'import-05-data');
});

test('rows that cannot be read are quarantined and explained in the user’s language', async ({ page }) => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-e2e-q-'));
  const file = path.join(dir, '会员导出.csv');
  writeFileSync(file, '会员号,姓名,积分\n1,张三,10\n2,李四\n3,王五,30,多余,字段\n4,赵六,40\n');
  await openApp(page, 'zh-CN');
  await go(page, 'import');
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('to-columns').click();
  await page.getByTestId('start-import').click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('读入 4 行 = 导入 2 行 + 隔离 2 行');
  await summary.getByText('查看隔离区').click();
  await expect(page.getByTestId('data-grid')).toContainText('列数不符');
  await shot(page, 'import-06-quarantine');
});
