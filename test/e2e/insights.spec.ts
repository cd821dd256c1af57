/** Customer insights on the demo workspace: lifecycle Sankey + segment, province map with drill-down, top journeys, NPS trend — zh and en. */
import { expect, test, type Page } from '@playwright/test';
import { go, openApp, openDemo, setLang, shot } from './helpers';

async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
}

test('lifecycle, geography, journeys and satisfaction on the demo (zh)', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'insights');
  // Lifecycle: runs on open; the Sankey between the two dates and a segment from an action.
  await expect(page.getByTestId('chart-lc-sankey')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('chart-lc-sankey').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('lc-actions')).toContainText('衰退');
  await shot(page, 'insights-01-lifecycle-zh');
  await page.getByTestId('lc-segment-declining').click();
  await expect(page.getByTestId('lc-made-declining')).toContainText('衰退客户');
  await page.getByTestId('chart-lc-sankey').scrollIntoViewIfNeeded();
  await shot(page, 'insights-02-lifecycle-sankey-segment-zh');

  // Geography: the China map (not the tile fallback), ranked by SMS response, drill into 浙江.
  await page.getByTestId('tab-geo').click();
  await expect(page.getByTestId('geo-map')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('geo-tiles')).toHaveCount(0);
  await expect(page.getByTestId('geo-table')).toContainText('广东省');
  await choose(page, 'geo-measure', '短信响应率');
  await page.getByTestId('geo-run').click();
  await expect(page.getByTestId('geo-table').locator('tbody tr').first()).toContainText('浙江省');
  await shot(page, 'insights-03-geo-map-zh');
  await page.getByTestId('geo-row-33').click();
  await expect(page.getByTestId('geo-drill')).toContainText('杭州市');
  await expect(page.getByTestId('geo-customers').locator('tbody tr').first()).toBeVisible();
  await page.getByTestId('geo-drill').scrollIntoViewIfNeeded();
  await shot(page, 'insights-04-geo-drill-zh');

  // Journeys: the planted path 短信 → 小程序 converts best.
  await page.getByTestId('tab-journeys').click();
  const best = page.getByTestId('jr-best').locator('tbody tr').first();
  await expect(best).toContainText('短信', { timeout: 30_000 });
  await expect(best).toContainText('小程序');
  await expect(page.getByTestId('chart-jr-sankey')).toBeVisible();
  await shot(page, 'insights-05-journeys-zh');
  await page.getByTestId('chart-jr-attribution').scrollIntoViewIfNeeded();
  await shot(page, 'insights-06-attribution-zh');

  // Satisfaction: NPS trend with its band; detractors churn more.
  await page.getByTestId('tab-satisfaction').click();
  await expect(page.getByTestId('chart-sat-trend')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sat-verdict')).toContainText('贬损者');
  await shot(page, 'insights-07-satisfaction-zh');
  await page.getByTestId('sat-outcome').scrollIntoViewIfNeeded();
  await shot(page, 'insights-08-satisfaction-outcome-zh');
});

test('the same screens in English', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page, 'en');
  await openDemo(page);
  await go(page, 'insights');
  await expect(page.getByTestId('lc-actions')).toContainText('Declining', { timeout: 60_000 });
  await expect(page.getByTestId('chart-lc-sankey')).toContainText('Stage transitions');
  await shot(page, 'insights-09-lifecycle-en');
  await page.getByTestId('tab-geo').click();
  await expect(page.getByTestId('geo-map')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('geo-row-44').click();
  await expect(page.getByTestId('geo-drill')).toContainText('cities and customers');
  await shot(page, 'insights-10-geo-en');
  await page.getByTestId('tab-journeys').click();
  await expect(page.getByTestId('jr-best')).toContainText('Conversion rate', { timeout: 30_000 });
  await shot(page, 'insights-11-journeys-en');
  await page.getByTestId('tab-satisfaction').click();
  await expect(page.getByTestId('sat-verdict')).toContainText('Detractors churn', { timeout: 30_000 });
  await shot(page, 'insights-12-satisfaction-en');
  await setLang(page, 'zh-CN');
});
