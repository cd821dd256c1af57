/**
 * Data quality end to end: profile Telco (TotalCharges' blank cells → the 11 rows behind the
 * count), then a cleaning recipe on an online-retail file (preview, 4 steps, undo one, save,
 * apply → cleaned and removed-rows datasets) replayed on a second file without the Description
 * column (misfit reported). Screenshots in zh and en.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import os from 'node:os';
import path from 'node:path';
import { go, importViaWizard, newWorkspace, openApp, pick, setLang, shot } from './helpers';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');
// No clock on the whole test: a loaded machine makes these two long flows slow, not wrong. Every
// step waits on state (an element, a text, a count) with its own generous limit (expect: 30 s in
// the config, 60–120 s for jobs; actions: 60 s), so a real hang still fails, at the step that hung.
test.describe.configure({ mode: 'serial', timeout: 0 });



test('profile Telco: score, columns, histogram, and the rows behind a problem count (zh, en)', async ({ page }) => {
  const csv = readFileSync(path.join(datasets, 'telco-customer-churn.csv'), 'utf8').trim().split(/\r?\n/);
  const ti = csv[0]!.split(',').indexOf('TotalCharges');
  const blanks = csv.slice(1).filter((l) => l.split(',')[ti]!.trim() === '').length;
  await openApp(page, 'zh-CN');
  await newWorkspace(page, 'e2e 数据质量');
  await importViaWizard(page, path.join(datasets, 'telco-customer-churn.csv'), 'Telco');
  await go(page, 'quality');
  await expect(page.getByText('这个数据集还没有质量画像')).toBeVisible();
  await page.getByTestId('q-profile-run').click();
  await expect(page.getByTestId('q-score')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('q-columns')).toContainText('customerID');
  await expect(page.getByTestId('q-nulls-TotalCharges')).toHaveText(String(blanks));
  await shot(page, 'quality-01-profile-zh');
  await page.getByTestId('q-col-MonthlyCharges').click();
  await expect(page.getByTestId('q-detail')).toContainText('MonthlyCharges');
  await expect(page.getByTestId('q-histogram')).toBeVisible();
  await page.getByTestId('q-detail').scrollIntoViewIfNeeded();
  await shot(page, 'quality-02-column-detail-zh');
  await page.getByTestId('q-nulls-TotalCharges').click();
  const drawer = page.getByTestId('q-rows-table');
  await expect(drawer.locator('tr.ant-table-row')).toHaveCount(blanks);
  await expect(page.locator('.ant-drawer-title')).toContainText(`共 ${blanks} 行`);
  await shot(page, 'quality-03-offending-rows-zh');
  await page.keyboard.press('Escape');
  await setLang(page, 'en');
  await expect(page.getByTestId('q-score')).toContainText('Quality score');
  await page.getByTestId('q-col-Contract').click();
  await expect(page.getByTestId('q-top')).toBeVisible();
  await shot(page, 'quality-04-profile-en');
  await setLang(page, 'zh-CN');
});

test('recipe: preview, 4 steps, undo one, save, apply, open removed rows, replay on a second file with a misfit (en, zh)', async ({ page }) => {
  // Two "monthly" files from online-retail: A, and B without the Description column.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segmint-e2e-quality-'));
  const lines = readFileSync(path.join(datasets, 'online-retail-sample.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const qi = header.indexOf('Quantity') - header.length; // counted from the end: descriptions may hold quoted commas
  const a = lines.slice(1, 3001);
  const b = lines.slice(3001, 6001);
  writeFileSync(path.join(dir, 'retail-A.csv'), [lines[0], ...a].join('\n'));
  const dropDescription = (l: string) => {
    const f = l.split(',');
    return [...f.slice(0, 2), ...f.slice(f.length - 5)].join(',');
  };
  writeFileSync(path.join(dir, 'retail-B.csv'), [dropDescription(lines[0]!), ...b.map(dropDescription)].join('\n'));
  const returnsA = a.filter((l) => !(Number(l.split(',').at(qi)) > 0)).length;
  const returnsB = b.filter((l) => !(Number(l.split(',').at(qi)) > 0)).length;

  await openApp(page, 'en');
  await newWorkspace(page, 'e2e quality recipe');
  await importViaWizard(page, path.join(dir, 'retail-A.csv'), 'retail A');
  await go(page, 'data'); // leave the wizard so it starts afresh
  await importViaWizard(page, path.join(dir, 'retail-B.csv'), 'retail B');
  await go(page, 'quality');
  await pick(page, 'q-dataset', /^retail A/);
  await page.getByTestId('q-tab-recipe').click();
  // the recipe opens on the dataset in hand (profiled above), not on the last one imported
  await expect(page.getByTestId('q-recipe-dataset')).toContainText('retail A');

  // 1. trim Description, previewed first
  await pick(page, 'qf-columns', 'Description');
  await page.keyboard.press('Escape');
  await page.getByTestId('q-preview-run').click();
  await expect(page.getByTestId('q-preview')).toContainText('Preview on all 3,000 rows');
  // the white space a trim removes (at the ends, and doubled inside) is visible in the before column
  const trimmed = a.filter((l) => { const d = Papa.parse<string[]>(l).data[0]![2]!; return d !== d.trim().replace(/\s+/g, ' '); }).length;
  expect(trimmed).toBeGreaterThan(0);
  await expect(page.getByTestId('q-pv-cells')).toContainText(trimmed.toLocaleString('en-US'));
  await expect(page.getByTestId('q-ws').first()).toBeVisible();
  await page.getByTestId('q-add-step').click();
  await expect(page.getByTestId('q-step-0')).toContainText('Trim spaces');

  // 2. keep rows with Quantity > 0: the preview counts the returns
  await pick(page, 'q-op', 'Filter rows');
  await pick(page, 'qf-condColumn', 'Quantity');
  await pick(page, 'qf-condOp', 'gt');
  await page.getByTestId('qf-value').fill('0');
  await page.getByTestId('qf-label').fill('no returns');
  await page.getByTestId('q-preview-run').click();
  await expect(page.getByTestId('q-pv-removed')).toContainText(returnsA.toLocaleString('en-US'));
  await page.getByTestId('q-preview').scrollIntoViewIfNeeded();
  await shot(page, 'quality-05-recipe-preview-en');
  await page.getByTestId('q-add-step').click();
  await expect(page.getByTestId('q-step-1')).toContainText(`Rows removed ${returnsA.toLocaleString('en-US')}`);

  // 3. Country in upper case; 4. Revenue = Quantity × UnitPrice — then undo the last one
  await pick(page, 'q-op', 'Letter case');
  await pick(page, 'qf-columns', 'Country');
  await page.keyboard.press('Escape');
  await pick(page, 'qf-mode', 'UPPER');
  await page.getByTestId('q-add-step').click();
  await pick(page, 'q-op', 'Derive column');
  await page.getByTestId('qf-into').fill('Revenue');
  await pick(page, 'qf-fn', 'mul');
  await pick(page, 'qf-args', 'Quantity');
  await page.locator('.ant-select-dropdown:visible').getByTitle('UnitPrice', { exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('q-add-step').click();
  await expect(page.getByTestId('q-step-3')).toContainText('Revenue = mul(Quantity, UnitPrice)');
  await page.getByTestId('q-undo').click();
  await expect(page.getByTestId('q-step-3')).toHaveCount(0);
  await expect(page.getByTestId('q-step-2')).toContainText('Letter case');

  // save and apply
  await page.getByTestId('q-recipe-name').fill('retail monthly');
  await page.getByTestId('q-save').click();
  await expect(page.getByText('Recipe saved')).toBeVisible();
  await page.getByTestId('q-apply').click();
  const result = page.getByTestId('q-apply-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('q-fits')).toBeVisible();
  await expect(result).toContainText(`3,000 rows → ${(3000 - returnsA).toLocaleString('en-US')} rows`);
  await result.scrollIntoViewIfNeeded();
  await shot(page, 'quality-06-applied-en');
  await page.getByTestId('q-open-removed').click();
  await expect(page.getByRole('heading', { name: 'Data' })).toBeVisible();
  await expect(page.getByText('_removed_by').first()).toBeVisible();
  await expect(page.getByText('step 2: filter no returns').first()).toBeVisible();
  await shot(page, 'quality-07-removed-rows-en');

  // replay the saved recipe on B: the Description step does not fit, the rest runs
  await go(page, 'quality');
  await page.getByTestId('q-tab-recipe').click();
  await pick(page, 'q-recipe-dataset', /^retail A \(3,000\)/);
  await pick(page, 'q-load', /^retail monthly/);
  await expect(page.getByTestId('q-step-2')).toContainText('Letter case');
  await pick(page, 'q-replay-dataset', /^retail B \(3,000\)/);
  await page.getByTestId('q-replay').click();
  await expect(page.getByTestId('q-misfits')).toContainText('Description', { timeout: 60_000 });
  await expect(page.getByTestId('q-apply-result')).toContainText(`3,000 rows → ${(3000 - returnsB).toLocaleString('en-US')} rows`);
  await setLang(page, 'zh-CN');
  await expect(page.getByTestId('q-misfits')).toContainText('缺少列');
  await expect(page.getByTestId('q-misfits')).toContainText('Description');
  await page.getByTestId('q-apply-result').scrollIntoViewIfNeeded();
  await shot(page, 'quality-08-replay-misfits-zh');
});
