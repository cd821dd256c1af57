/** Customers on the demo: dedupe with a live threshold, review and merge (and undo), link the datasets, search a customer, open the timeline — zh and en. */
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot } from './helpers';

test('duplicates: run, move the threshold, review, merge and undo; link; search; profile and timeline', async ({ page }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'customers');

  // Duplicates in the CRM contacts
  await page.getByTestId('tab-duplicates').click();
  await page.getByTestId('dup-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^CRM 联系人 \(/).click();
  await page.getByTestId('dup-run').click();
  await expect(page.getByTestId('dup-review-list')).toBeVisible({ timeout: 90_000 });
  const clustersAt = async () => Number((await page.getByTestId('dup-clusters').textContent())!.replace(/\D/g, ''));
  const before = await clustersAt();
  expect(before).toBeGreaterThan(10);
  // move the threshold with the keyboard: the live counts follow, and never grow as it rises
  await page.getByTestId('dup-threshold').locator('.ant-slider-handle').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('dup-live')).toContainText('0.99');
  expect(await clustersAt()).toBeLessThanOrEqual(before);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('dup-live')).toContainText('0.01');
  expect(await clustersAt()).toBeGreaterThanOrEqual(before);
  await page.keyboard.press('End');
  await page.getByTestId('dup-review').click();
  await expect(page.getByTestId('dup-review-list')).toContainText('0.99');
  const first = page.getByTestId('dup-cluster').first();
  await expect(first.locator('.dup-diff').first()).toBeVisible();
  await first.getByTestId('dup-accept').click();
  await expect(first.getByTestId('dup-status')).toHaveText('已确认');
  await shot(page, 'customers-01-duplicates-review-zh');
  await page.getByTestId('dup-merge').click();
  await expect(page.getByTestId('dup-merge-log')).toContainText('mg_');
  await expect(page.getByTestId('dup-merge-log')).toContainText('CRM 联系人_golden');
  await expect(first.getByTestId('dup-status')).toHaveText('已合并');
  await page.getByTestId('dup-merge-log').scrollIntoViewIfNeeded();
  await shot(page, 'customers-02-merged-zh');
  await page.getByTestId('dup-undo').first().click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await expect(page.getByTestId('dup-merge-log')).toContainText('已撤销');
  await expect(first.getByTestId('dup-status')).toHaveText('已确认');

  // Link every demo dataset into the single customer view
  await page.getByTestId('tab-link').click();
  await page.getByTestId('link-run').click();
  await expect(page.getByTestId('link-summary')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('link-summary')).toContainText('订单');
  const customers = Number((await page.getByTestId('link-customers').textContent())!.replace(/\D/g, ''));
  expect(customers).toBeGreaterThan(100);
  await shot(page, 'customers-03-link-zh');

  // Search by pinyin initials, open a customer, see the timeline
  await page.getByTestId('tab-customers').click();
  await page.getByTestId('cust-search').locator('input').fill('zw');
  await page.getByTestId('cust-search').locator('input').press('Enter');
  const rows = page.getByTestId('cust-table').locator('tbody tr.ant-table-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('cust-table').locator('.ant-spin-spinning')).toHaveCount(0);
  await shot(page, 'customers-04-search-zh');
  await rows.first().locator('td').nth(1).click();
  await expect(page.getByTestId('cust-profile')).toBeVisible();
  await expect(page.getByTestId('cust-event').first()).toBeVisible();
  const events = await page.getByTestId('cust-event').count();
  expect(events).toBeGreaterThan(0);
  await expect(page.getByTestId('cust-timeline')).toContainText('订单');
  await shot(page, 'customers-05-profile-timeline-zh');

  await setLang(page, 'en');
  await expect(page.getByTestId('cust-profile')).toContainText('Phone');
  await expect(page.getByTestId('cust-timeline')).toContainText('Timeline');
  await shot(page, 'customers-06-profile-timeline-en');
  // phone tail search in English
  const phone = (await page.getByTestId('cust-profile').locator('.ant-descriptions-item-content').first().textContent())!;
  await page.getByTestId('cust-back').click();
  await page.getByTestId('cust-search').locator('input').fill(phone.slice(-4));
  await page.getByTestId('cust-search').locator('input').press('Enter');
  await expect(page.getByTestId('cust-table')).toContainText(phone);
  await shot(page, 'customers-07-phone-tail-en');
  await page.getByTestId('tab-duplicates').click();
  await expect(page.getByTestId('dup-review-list')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'customers-08-duplicates-en');
  await setLang(page, 'zh-CN');
});
