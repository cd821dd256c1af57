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
  await expect(page.getByTestId('chart-sendtime')).toBeVisible();
  await shot(page, 'campaigns-01-report-zh');
  await page.getByTestId('sms-campaigns').scrollIntoViewIfNeeded();
  await shot(page, 'campaigns-02-ab-verdicts-zh');
  await setLang(page, 'en');
  await page.getByTestId('sms-run').click();
  await expect(page.getByTestId('sms-best')).toContainText('Recommended send window');
  await shot(page, 'campaigns-03-report-en');
  await setLang(page, 'zh-CN');
});
