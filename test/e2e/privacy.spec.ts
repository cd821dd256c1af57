/** Reports & privacy end to end on the demo: protected segment export with a template, the audit entry, a report, backups — zh and en. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot, rfmOnDemoOrders } from './helpers';

test.describe.configure({ mode: 'serial' });

test('export a segment with masks and a template, then find it in the audit log', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  // A segmentation to export, and the unsubscribers on the suppression list.
  await rfmOnDemoOrders(page);
  await go(page, 'campaigns');
  await page.getByTestId('tab-suppression').click();
  await page.getByTestId('suppression-sync').click();
  await expect(page.getByTestId('suppression-table').locator('.ant-table-tbody tr').first()).toContainText('+86');

  await go(page, 'reports');
  await expect(page.getByRole('heading', { name: '报表与隐私' })).toBeVisible();
  const panel = page.getByTestId('export-preview-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  // Personal columns are masked by default; the template renders from the masked name.
  await expect(page.getByTestId('protect-手机号码')).toContainText('脱敏');
  await expect(page.getByTestId('protect-姓名')).toContainText('脱敏');
  const messages = page.getByTestId('export-messages');
  await expect(messages).toContainText('您好，会员日全场8折，回T退订');
  await expect(messages).toContainText(/\*您好/);
  await expect(page.getByTestId('export-sample')).toContainText('****');
  await expect(page.getByTestId('export-sample')).not.toContainText(/1[3-9]\d{9}/);
  await shot(page, 'privacy-01-export-preview-zh');

  // Browser mode: the file comes as a download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  const file = await download.path();
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  expect(text).not.toMatch(/1[3-9]\d{9}/); // no mobile number in clear
  expect(text.split('\r\n')[0]).toContain('短信内容');
  const sha = createHash('sha256').update(bytes).digest('hex');
  await expect(page.getByTestId('export-done')).toContainText(sha);
  await expect(page.getByTestId('export-done')).toContainText(/已导出 [\d,]+ 行，排除 [1-9]/);
  await shot(page, 'privacy-02-export-done-zh');

  // The audit entry names the same file hash.
  await page.getByTestId('tab-audit').click();
  await page.getByTestId('audit-action').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^导出 \(/).click(); // audit actions are named in the UI language
  const table = page.getByTestId('audit-table');
  await expect(table.locator('.ant-table-tbody tr').first()).toContainText('导出');
  await table.locator('.ant-table-row-expand-icon').first().click();
  await expect(table.locator('pre').first()).toContainText(sha);
  await expect(table.locator('pre').first()).toContainText('"suppressed"');
  await shot(page, 'privacy-03-audit-zh');

  await setLang(page, 'en');
  await expect(page.getByTestId('tab-audit')).toHaveText('Audit log');
  await expect(table.locator('.ant-table-tbody')).toContainText('export');
  await shot(page, 'privacy-04-audit-en');
});

test('export preview, a report and backups in English', async ({ page }) => {
  await openApp(page, 'en');
  await go(page, 'reports');
  await expect(page.getByRole('heading', { name: 'Reports & privacy' })).toBeVisible();
  await expect(page.getByTestId('export-preview-panel')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('export-messages')).toContainText('SMS');
  await shot(page, 'privacy-05-export-en');
  // An unknown template field is refused with a clear message.
  await page.getByTestId('export-template').fill('{姓名}您好，积分{积分}即将到期');
  await page.getByTestId('export-preview').click();
  await expect(page.getByTestId('export-error')).toContainText('{积分}');
  await expect(page.getByTestId('export-run')).toBeDisabled();

  await page.getByTestId('tab-reports').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-generate').click()]);
  const html = readFileSync(await download.path(), 'utf8');
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/https?:\/\//);
  await expect(page.getByTestId('report-done')).toBeVisible();
  await shot(page, 'privacy-06-report-en');

  await page.getByTestId('tab-backups').click();
  const rows = page.getByTestId('backup-table').locator('.ant-table-tbody tr.ant-table-row');
  const before = await rows.count();
  await page.getByTestId('backup-create').click();
  await expect(rows).toHaveCount(before + 1);
  await expect(rows.first()).toContainText('manual');
  await shot(page, 'privacy-07-backups-en');
});
