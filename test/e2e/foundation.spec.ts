/**
 * The foundation end to end, in a real browser against the real server: create a workspace,
 * open the demo, browse/sort/filter a table, switch zh/en (remembered), run and cancel a job.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { go, openApp, setLang, shot, closeWorkspace } from './helpers';

test.describe.configure({ mode: 'serial' });

test('create a workspace, then open the demo workspace', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'workspace');
  // Specs share one server: start from "no workspace open".
  await closeWorkspace(page);
  await expect(page.getByText('新建工作区')).toBeVisible();
  await shot(page, 'foundation-01-workspace-empty-zh');
  await page.getByTestId('ws-name').fill('e2e 会员分析');
  await page.getByTestId('ws-create').click();
  await expect(page.getByTestId('current-workspace')).toHaveText('e2e 会员分析');
  await expect(page.getByText('审计日志')).toBeVisible();
  await shot(page, 'foundation-02-workspace-created');
  await page.getByTestId('ws-close').click();
  await expect(page.getByTestId('open-demo')).toBeVisible();
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('current-workspace')).toHaveText('Segmint demo', { timeout: 120_000 });
  await expect(page.getByText('数据集', { exact: true }).first()).toBeVisible();
  await shot(page, 'foundation-03-demo-open');
});

test('browse, sort and filter a demo table in SQL', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'data');
  await page.getByTestId('dataset-订单').click();
  // Wait for the grid to show the orders (the list item says how many rows they have), not the
  // dataset that was shown before the click.
  const rowsInList = ((await page.getByTestId('dataset-订单').textContent())!.match(/([\d,]+) 行/) ?? [])[1]!;
  const total = page.getByTestId('grid-total');
  await expect(total).toHaveText(`共 ${rowsInList} 行`);
  const all = Number((await total.textContent())!.replace(/[^0-9]/g, ''));
  expect(all).toBeGreaterThan(1000);
  // Sort by paid amount, descending (click the header twice).
  // Scoped to the grid: the Data screen shows other tables too (the definitions panel).
  const grid = page.getByTestId('data-grid');
  const header = grid.locator('.ant-table-thead th', { hasText: '实付金额' });
  await header.click();
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const colIndex = await grid.locator('.ant-table-thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('实付金额')));
  const firstVals = await grid.locator('.ant-table-tbody .ant-table-row').evaluateAll(
    (rows, ci) => rows.slice(0, 5).map((r) => Number((r.children[ci] as HTMLElement).innerText)),
    colIndex,
  );
  expect(firstVals.length).toBe(5);
  for (let i = 1; i < firstVals.length; i++) expect(firstVals[i - 1]!).toBeGreaterThanOrEqual(firstVals[i]!);
  // Filter 渠道 = 天猫.
  await page.getByTestId('filter-column').click();
  await page.keyboard.type('渠道');
  await page.locator('.ant-select-dropdown:visible').getByTitle('渠道', { exact: true }).click();
  await page.getByTestId('filter-op').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('等于', { exact: true }).click();
  await page.getByTestId('filter-value').fill('天猫');
  await page.getByTestId('filter-add').click();
  await expect(total).not.toHaveText(`共 ${all.toLocaleString()} 行`);
  const filtered = Number((await total.textContent())!.replace(/[^0-9]/g, ''));
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(all);
  await shot(page, 'foundation-04-grid-sorted-filtered');
});

test('switch language at runtime and keep it after reload', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'data');
  await setLang(page, 'en');
  await expect(page.getByTestId('nav-data')).toContainText('Data');
  await expect(page.getByRole('heading', { name: 'Data' })).toBeVisible();
  await shot(page, 'foundation-05-data-en');
  await page.reload();
  await expect(page.getByTestId('nav-workspace')).toContainText('Workspace');
  await setLang(page, 'zh-CN');
});

test('run an import job and cancel it: nothing is left behind', async ({ page }) => {
  // A large generated CSV so the job is still running when we cancel (the import reads ~200k rows/s
  // here, so 3M rows keep it busy for several seconds after the click).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-e2e-big-'));
  const file = path.join(dir, 'big.csv');
  const lines = ['id,name,amount,city,ts'];
  for (let i = 0; i < 3_000_000; i++) lines.push(`${i},客户${i % 977},${(i % 1000) / 10},城市${i % 31},2024-01-0${(i % 9) + 1} 10:00:00`);
  writeFileSync(file, lines.join('\n'));
  await openApp(page, 'zh-CN');
  await go(page, 'data');
  await expect(page.getByTestId('dataset-订单')).toBeVisible();
  const before = await page.locator('[data-testid^="dataset-"]').count();
  await go(page, 'import');
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('to-columns').click();
  await page.getByTestId('start-import').click();
  await page.getByTestId('jobs-button').click();
  await expect(page.getByTestId('job-running')).toBeVisible();
  await shot(page, 'foundation-06-job-running');
  await page.getByTestId('job-cancel').click();
  await expect(page.getByTestId('job-cancelled')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'foundation-07-job-cancelled');
  await page.keyboard.press('Escape');
  await go(page, 'data');
  await expect(page.locator('[data-testid^="dataset-"]')).toHaveCount(before);
});
