/**
 * Dataset pickers that know what an analysis needs (shared/pickers.ts), on the demo: the campaign
 * report's Receipts picker refuses the orders file and says it lacks a delivery status; each
 * chosen file says which of its roles will be read; a choice is remembered for the workspace
 * after a reload. zh and en, screenshots kept.
 */
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot } from './helpers';

test('the campaign report pickers refuse a file without the needed roles, say why, and remember (zh, en)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'campaigns');
  // pre-chosen by role, each with its reason
  await expect(page.getByTestId('sms-receipts-why')).toHaveText('使用 手机号、时间、短信状态');
  await expect(page.getByTestId('sms-replies-why')).toHaveText('使用 手机号、回复内容');
  await page.getByTestId('sms-receipts').click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const orders = dropdown.locator('.ant-select-item-option', { hasText: /^订单 · / }); // anchored: a derived dataset may be named after the orders
  await expect(orders).toHaveClass(/ant-select-item-option-disabled/);
  await expect(orders).toContainText('缺少：短信状态');
  await expect(dropdown.locator('.ant-select-item-option', { hasText: /^短信发送 · / })).toContainText('含有短信内容');
  await shot(page, 'picker-zh');
  await orders.click({ force: true }); // a disabled option cannot be chosen
  await expect(page.getByTestId('sms-receipts')).toContainText('短信回执');
  await page.keyboard.press('Escape');
  // clear the optional clicks input: remembered for this workspace across a reload
  await page.getByTestId('sms-clicks').hover();
  await page.getByTestId('sms-clicks').locator('.ant-select-clear').click();
  await expect(page.getByTestId('sms-clicks')).not.toContainText('短链点击');
  await page.reload();
  await expect(page.getByTestId('nav-campaigns')).toBeVisible();
  await go(page, 'campaigns');
  await expect(page.getByTestId('sms-receipts')).toContainText('短信回执');
  await expect(page.getByTestId('sms-clicks')).not.toContainText('短链点击');

  await setLang(page, 'en');
  await expect(page.getByTestId('sms-replies-why')).toHaveText('uses Phone, Reply text');
  await page.getByTestId('sms-receipts').click();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^订单 · / })).toContainText('missing: SMS status');
  await shot(page, 'picker-en');
  await page.keyboard.press('Escape');
  // restore the clicks input for the other specs
  await page.getByTestId('sms-clicks').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^短链点击 · / }).click();
  await setLang(page, 'zh-CN');
});

test('the RFM, dashboard and value pickers say which roles they read and why the others do not fit (zh)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'segments');
  await expect(page.getByTestId('rfm-dataset-why')).toHaveText('使用 时间、客户ID、手机号、金额');
  await page.getByTestId('rfm-dataset').click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const sends = dropdown.locator('.ant-select-item-option', { hasText: /^短信发送 · / });
  await expect(sends).toHaveClass(/ant-select-item-option-disabled/);
  await expect(sends).toContainText('缺少：金额');
  await shot(page, 'picker-rfm-zh');
  await page.keyboard.press('Escape');
  await go(page, 'dashboard');
  await expect(page.getByTestId('dash-dataset-why')).toHaveText('使用 时间、客户ID、手机号、金额');
  await go(page, 'value');
  await expect(page.getByTestId('clv-dataset-why')).toHaveText('使用 时间、客户ID、手机号、金额');
});
