/**
 * Presentation mode (Alt+P): the data grid, the campaign screen and the dashboard show no raw
 * phone number of the demo data — the page text is scanned for every phone seen before.
 */
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot } from './helpers';

test('presentation mode masks phones on every screen (zh, en)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'data');
  await page.getByTestId('dataset-CRM 联系人').click();
  await expect(page.locator('body')).toContainText(/\+861[3-9]\d{9}/);
  const before = (await page.locator('body').innerText()).match(/1[3-9]\d{9}/g) ?? [];
  expect(before.length).toBeGreaterThan(5);
  // The customer list needs the single customer view: build it when this workspace has none.
  await go(page, 'customers');
  await page.getByTestId('tab-customers').click();
  if (await page.getByTestId('cust-to-link').isVisible().catch(() => false)) {
    await page.getByTestId('tab-link').click();
    await page.getByTestId('link-run').click();
    await expect(page.getByTestId('link-summary')).toBeVisible({ timeout: 90_000 });
  }
  try {
    await page.keyboard.press('Alt+P');
    await expect(page.getByTestId('presentation-toggle')).toContainText('演示模式（已脱敏）');
    await go(page, 'data');
    await page.getByTestId('dataset-CRM 联系人').click();
    await expect(page.locator('body')).toContainText(/1[3-9]\d\*{4}\d{4}/);
    await shot(page, 'presentation-01-data-zh');
    let text = await page.locator('body').innerText();
    await go(page, 'customers');
    await page.getByTestId('tab-customers').click();
    await expect(page.getByTestId('cust-table')).toContainText(/\*/);
    await shot(page, 'presentation-03-customers-zh');
    text += await page.locator('body').innerText();
    await go(page, 'campaigns');
    await page.getByTestId('sms-run').click();
    await expect(page.getByTestId('sms-campaigns')).toContainText('618');
    text += await page.locator('body').innerText();
    await go(page, 'dashboard');
    await expect(page.getByTestId('chart-trend')).toBeVisible();
    await setLang(page, 'en');
    await shot(page, 'presentation-02-dashboard-en');
    text += await page.locator('body').innerText();
    expect(before.filter((p) => text.includes(p))).toEqual([]);
  } finally {
    await page.evaluate(async () => {
      // Leave the shared server as the other specs expect it.
      const token = sessionStorage.getItem('segmint-token') ?? '';
      await fetch('/api/call', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'settings/set', args: { presentationMode: false } }) });
    });
    await setLang(page, 'zh-CN').catch(() => undefined);
  }
});
