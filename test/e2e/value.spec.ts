/** Value & prediction end to end: CLV on CDNOW with P(alive) and the CLV deciles; churn on Telco with the ROC. */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { go, importViaWizard, pickDate, openApp, setLang, shot, closeWorkspace } from './helpers';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');
test.describe.configure({ mode: 'serial' });

test('CLV on CDNOW: parameters, hold-out, P(alive) heatmap and CLV deciles', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'workspace');
  await closeWorkspace(page);
  await page.getByTestId('ws-name').fill('e2e 价值');
  await page.getByTestId('ws-create').click();
  await expect(page.getByTestId('current-workspace')).toHaveText('e2e 价值');
  await importViaWizard(page, path.join(datasets, 'cdnow-master.txt'), 'CDNOW');
  await go(page, 'value');
  await pickDate(page, 'clv-cal', '1997-09-30');
  await page.getByTestId('clv-run').click();
  await expect(page.getByTestId('clv-params')).toContainText('0.2516', { timeout: 120_000 });
  await expect(page.getByTestId('chart-palive')).toBeVisible();
  await expect(page.getByTestId('chart-holdout')).toBeVisible();
  await shot(page, 'value-01-clv-zh');
  await page.getByTestId('chart-palive').scrollIntoViewIfNeeded();
  await shot(page, 'value-02-palive');
  await go(page, 'segments');
  await page.getByTestId('tab-explorer').click();
  await expect(page.getByTestId('explorer-select')).toContainText('CLV deciles');
  await expect(page.getByTestId('chart-sizes-treemap')).toBeVisible();
  await shot(page, 'value-03-clv-deciles');
});

test('churn model on Telco: AUC and ROC, in English', async ({ page }) => {
  await openApp(page, 'en');
  await importViaWizard(page, path.join(datasets, 'telco-customer-churn.csv'), 'Telco');
  await go(page, 'value');
  await page.getByRole('tab', { name: 'Churn' }).click();
  await page.getByTestId('churn-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^Telco/).click();
  await page.getByTestId('churn-run').click();
  await expect(page.getByTestId('chart-roc')).toBeVisible({ timeout: 120_000 });
  const auc = Number((await page.getByTestId('churn-auc').locator('.ant-statistic-content').textContent())!.replace(/[^0-9.]/g, ''));
  expect(auc).toBeGreaterThanOrEqual(0.84);
  await shot(page, 'value-04-churn-roc-en');
  await setLang(page, 'zh-CN');
});
