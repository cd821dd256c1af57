/** Segmentation end to end on the demo workspace: RFM → explorer → drill-down → rule segment → dashboard, zh and en. */
import { expect, test } from '@playwright/test';
import { go, openApp, openDemo, paintedPixels, setLang, shot, rfmOnDemoOrders } from './helpers';

test.describe.configure({ mode: 'serial' });


test('RFM on the demo orders, explorer, drill-down (zh)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await rfmOnDemoOrders(page);
  const names = () => page.getByTestId('profile-table').locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  await expect.poll(names).toContain('冠军客户');
  await expect(page.getByTestId('chart-heatmap')).toBeVisible();
  await shot(page, 'segments-01-rfm-explorer-zh');
  await page.getByTestId('drill-champions').click();
  const grid = page.getByTestId('drill-grid');
  await expect(grid).toBeVisible();
  await expect(grid.getByTestId('grid-total')).toHaveText(/[1-9]/);
  await expect(grid.locator('.ant-table-tbody')).toContainText('champions');
  await grid.scrollIntoViewIfNeeded();
  await shot(page, 'segments-02-drill-down');
  // The act step starts from the explorer: the export dialog opens on that segment.
  await page.getByTestId('export-champions').click();
  await expect(page.getByTestId('export-segment')).toBeVisible();
  await page.getByTestId('export-preview').click();
  await expect(page.locator('.ant-modal')).toContainText(/\*\*\*\*/);
  await shot(page, 'segments-03-export-dialog');
  await page.keyboard.press('Escape');
});

test('k-means with elbow and silhouette, a rule segment with a live count', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await go(page, 'segments');
  await page.getByRole('tab', { name: 'k-means 聚类' }).click();
  await page.getByTestId('km-choose').click();
  await expect(page.getByTestId('chart-elbow')).toBeVisible({ timeout: 90_000 });
  // a suggested k, filled in: the highest silhouette of the curve (read back from the job's result)
  await expect(page.getByTestId('km-suggest')).toContainText('建议 k =');
  const curve = await page.evaluate(async () => {
    const token = sessionStorage.getItem('segmint-token');
    const r = await fetch('/api/call', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'jobs/list', args: {} }) });
    const jobs = (await r.json()).result as { kind: string; result: { curve?: { k: number; silhouette: number }[] } | null }[];
    return jobs.find((j) => j.kind === 'segments/kmeans' && j.result?.curve)!.result!.curve!;
  });
  const bestK = [...curve].sort((a, b) => b.silhouette - a.silhouette)[0]!.k;
  await expect(page.getByTestId('km-suggest')).toContainText(`建议 k = ${bestK}：`);
  await expect(page.getByTestId('km-k')).toHaveValue(String(bestK));
  await page.getByTestId('km-fit').click();
  await expect.poll(() => page.getByTestId('profile-table').locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), { timeout: 60_000 }).toContain('簇 1');
  await page.getByRole('tab', { name: 'k-means 聚类' }).click();
  // back on its tab, the curve is drawn again (it was hidden while the explorer showed the fit)
  for (const chart of ['chart-elbow', 'chart-silhouette']) await expect.poll(() => paintedPixels(page.getByTestId(chart))).toBeGreaterThan(1000);
  await shot(page, 'segments-03-kmeans');
  await page.getByRole('tab', { name: '规则分群' }).click();
  await page.getByTestId('rule-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^RFM 订单/).first().click();
  await page.getByTestId('rule-value').first().fill('at_risk');
  await expect(page.getByTestId('rule-count')).toHaveText(/符合条件：[1-9]/);
  await page.getByTestId('rule-name').fill('流失风险名单');
  await shot(page, 'segments-04-rule-builder');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('explorer-select')).toContainText('流失风险名单');
});

test('dashboard in zh and en', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'dashboard');
  await page.getByTestId('dash-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^订单/).click();
  await expect(page.getByTestId('kpi-revenue')).toContainText(/\d/);
  await expect(page.getByTestId('chart-heat')).toBeVisible();
  await shot(page, 'dashboard-01-zh');
  await setLang(page, 'en');
  await expect(page.getByTestId('kpi-revenue')).toContainText('Revenue');
  await shot(page, 'dashboard-02-en');
  await go(page, 'segments');
  await page.getByTestId('tab-explorer').click();
  await expect(page.getByTestId('chart-sizes-pie')).toBeVisible();
  await shot(page, 'segments-05-explorer-en');
  await setLang(page, 'zh-CN');
});
