/** SMS campaign report on the demo data: funnel, send-time heatmap, A/B verdicts, unsubscribes — zh and en. */
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot } from './helpers';

test('campaign report with A/B verdicts and the best send window', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'campaigns');
  await page.getByTestId('sms-run').click();
  await expect(page.getByTestId('sms-campaigns')).toContainText('618大促预热');
  await expect(page.getByTestId('sms-campaigns')).toContainText('差异显著');
  await expect(page.getByTestId('sms-best')).toContainText('推荐发送时段');
  await expect(page.getByTestId('sms-best-cell')).toContainText(/建议在周[一二三四五六日] \d+:00 发送/);
  await expect(page.getByTestId('sms-definitions')).toContainText('DELIVRD');
  await expect(page.getByTestId('chart-sendtime')).toBeVisible();
  await shot(page, 'campaigns-01-report-zh');
  await page.getByTestId('sms-campaigns').scrollIntoViewIfNeeded();
  await shot(page, 'campaigns-02-ab-verdicts-zh');
  await page.getByTestId('ab-plan').click();
  await expect(page.getByTestId('ab-plan-result')).toContainText('3,841');
  await setLang(page, 'en');
  await page.getByTestId('sms-run').click();
  await expect(page.getByTestId('sms-best')).toContainText('Recommended send window');
  await expect(page.getByTestId('sms-best-cell')).toContainText(/Send on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day at \d+:00/);
  await shot(page, 'campaigns-03-report-en');
  await setLang(page, 'zh-CN');
});

test('word frequencies of the Chinese replies, and keywords + classifier by campaign (zh, en)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'text');
  await page.getByTestId('text-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^短信回复/).click();
  await page.getByTestId('text-run').click();
  await expect(page.getByTestId('word-cloud')).toContainText('退订');
  await expect(page.getByTestId('chart-terms')).toBeVisible();
  await expect(page.getByTestId('chart-sentiment')).toBeVisible();
  await expect(page.getByTestId('sentiment-examples')).toContainText('谢谢');
  await shot(page, 'text-01-replies-zh');
  await page.getByTestId('text-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^短信发送/).click();
  await page.getByTestId('text-by').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('活动名称', { exact: true }).click();
  await page.getByTestId('text-run').click();
  await expect(page.getByTestId('text-keywords')).toContainText('618大促预热');
  await page.getByTestId('text-classify').click();
  await expect(page.getByTestId('text-cv')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('chart-confusion')).toBeVisible();
  await setLang(page, 'en');
  await expect(page.getByTestId('text-cv')).toContainText('Accuracy');
  await shot(page, 'text-02-keywords-classifier-en');
  await setLang(page, 'zh-CN');
});

test('monitoring raises an alert below the delivery threshold; suppression list and unsubscribe rules (zh, en)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'campaigns');
  await page.getByTestId('tab-monitor').click();
  await page.getByTestId('monitor-name').fill('每周回执');
  await page.getByTestId('monitor-min-delivery').fill('95');
  await page.getByTestId('monitor-save').click();
  // The demo delivers about 90% of its sends: below 95%, so the first batch alerts.
  await expect(page.getByTestId('monitor-alert').first()).toContainText('送达率');
  await expect(page.getByTestId('chart-monitor')).toBeVisible();
  await shot(page, 'campaigns-04-monitor-alert-zh');
  await page.getByTestId('monitor-ack').click();
  await expect(page.getByTestId('monitor-alert')).toHaveCount(0);
  await page.getByTestId('tab-suppression').click();
  await page.getByTestId('suppression-sync').click();
  await expect(page.getByTestId('suppression-table')).toContainText('+86');
  await expect(page.getByTestId('rules-table').getByRole('textbox').nth(2)).toHaveValue('退订');
  await setLang(page, 'en');
  await expect(page.getByTestId('suppression-table')).toContainText('Unsubscribed');
  await shot(page, 'campaigns-05-suppression-rules-en');
  await setLang(page, 'zh-CN');
});
