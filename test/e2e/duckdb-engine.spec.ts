/**
 * The DuckDB engine from the screens: the import wizard's "keep rows in the DuckDB engine" box, the
 * dataset marked as such on the Data screen with its rows paged from DuckDB, RFM on it from the
 * Segments screen, value tiers of its rows profiled in the explorer, and the raw tab saying what it
 * does not show yet. A seeded orders file written
 * by the test (8,000 lines, 1,600 customers, every 13th line cancelled).
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { go, newWorkspace, openApp, shot } from './helpers';

test('an orders file imported into the DuckDB engine: grid, RFM, and what is not shown yet', async ({ page }) => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'segmint-duck-')), 'orders-duck.csv');
  const lines = ['订单号,会员编号,手机号码,下单时间,实付金额,订单状态'];
  for (let i = 0; i < 8000; i++) {
    const c = (i * 7919) % 1600;
    lines.push(`SO${10_000_000 + i},M${1_000_000 + c},138${String(c).padStart(8, '0')},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,${(1 + (i % 500) / 10).toFixed(2)},${i % 13 === 0 ? '已取消' : '已完成'}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  await openApp(page, 'zh-CN');
  await newWorkspace(page, 'duckdb engine');
  await go(page, 'import');
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('to-columns').click();
  await page.getByTestId('dataset-name').fill('大订单');
  const box = page.getByTestId('engine-duckdb');
  await expect(box).toContainText('DuckDB');
  await box.locator('input[type=checkbox]').check();
  await expect(box.locator('input[type=checkbox]')).toBeChecked();
  await shot(page, 'duckdb-01-import-option-zh');
  await page.getByTestId('start-import').click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 120_000 });
  await expect(summary).toContainText('8,000');
  await page.getByTestId('go-data').click();
  await expect(page.getByTestId('engine-tag')).toHaveText('DuckDB');
  await expect(page.getByTestId('grid-total')).toContainText('8,000');
  await expect(page.getByTestId('data-grid')).toContainText('SO10000000');
  await shot(page, 'duckdb-02-data-zh');
  // RFM from the Segments screen runs where the rows are: 1,600 customers
  await go(page, 'segments');
  await page.getByTestId('rfm-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^大订单/).click();
  await page.getByTestId('rfm-run').click();
  await expect(page.getByTestId('chart-sizes-pie')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('rfm-summary')).toContainText('1,600');
  await shot(page, 'duckdb-03-rfm-zh');
  // value tiers of the DuckDB rows, then the explorer profiles them where they are (it read only the workspace's tables)
  await page.getByRole('tab', { name: '规则分群' }).click();
  await page.getByTestId('rule-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^大订单/).click();
  await page.getByTestId('tiers-measure').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-content').getByText('实付金额', { exact: true }).click();
  await page.getByTestId('tiers-run').click();
  // named in the screen's language, its kind too (it was 'Value tiers by 实付金额 · tier' in the Chinese UI)
  await expect(page.getByTestId('explorer-select')).toContainText('价值分层 · 实付金额 · 分层');
  // 1,600 customers of 5 lines each ranked by their totals: 320 / 480 / 800 customers, each with all 5 of their lines
  // (ranking the lines put customers in several tiers, and the explorer showed all 8,000 lines as one)
  const profile = page.getByTestId('profile-table');
  for (const text of ['1600', '20.0%', '2400', '30.0%', '4000', '50.0%']) await expect(profile).toContainText(text);
  // one feature: the heatmap alone, no one-axis radar
  await expect(page.getByTestId('chart-heatmap')).toBeVisible();
  await expect(page.getByTestId('chart-radar')).toHaveCount(0);
  await shot(page, 'duckdb-04-tiers-explorer-zh');
});
