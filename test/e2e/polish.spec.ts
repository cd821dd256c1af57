/**
 * What a demanding analyst notices (#19 item 6): empty states that lead to the missing step, the
 * funnel in its stage order, date pickers in the UI language, and a segments explorer that does
 * not scroll sideways at common laptop widths.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { go, importViaWizard, newWorkspace, openApp, openDemo, pickDate, rfmOnDemoOrders, setLang, shot } from './helpers';

test.describe.configure({ mode: 'serial' });
const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');

test('an empty workspace: every analysis screen says what is missing and leads to it (zh)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await newWorkspace(page, 'e2e 空工作区');
  for (const area of ['dashboard', 'segments', 'value', 'campaigns', 'text', 'customers', 'insights', 'quality']) {
    await go(page, area);
    // each screen's own empty state (a lazily loaded screen keeps the last one up until it is ready)
    await expect(page.locator(`[data-testid=need-data][data-area=${area}]`), area).toContainText('这个工作区还没有数据');
  }
  await shot(page, 'empty-01-need-data-zh');
  await page.getByTestId('need-data-import').click();
  await expect(page.locator('input[type=file]')).toBeAttached();
  // with data but no segmentation yet, the explorer offers the three ways to make one
  await importViaWizard(page, path.join(datasets, 'online-retail-sample.csv'), '零售订单样本');
  await go(page, 'segments');
  await page.getByTestId('tab-explorer').click();
  await expect(page.getByTestId('explorer-empty')).toBeVisible();
  await shot(page, 'empty-02-explorer-zh');
  await page.getByTestId('explorer-start-rfm').click();
  await expect(page.getByTestId('rfm-run')).toBeVisible();
});

test('the funnel keeps its stage order and names every stage with its share of sent (zh)', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await go(page, 'campaigns');
  await page.getByTestId('sms-run').click();
  await expect(page.getByTestId('sms-campaigns')).toContainText('618大促预热');
  // ECharts' own description of the chart (aria) lists the stages in drawing order with their values
  const aria = (await page.getByTestId('chart-funnel').locator('[_echarts_instance_]').getAttribute('aria-label')) ?? '';
  const at = (name: string) => aria.indexOf(name);
  expect(at('发送'), aria).toBeGreaterThanOrEqual(0);
  expect(at('发送')).toBeLessThan(at('送达'));
  expect(at('送达')).toBeLessThan(at('转化'));
  // clicks and replies are responses beside the funnel (a conversion needs no click), in their own tiles
  expect(aria).not.toContain('回复');
  expect(aria).not.toContain('点击');
  const tile = async (k: string) => Number(((await page.getByTestId(`sms-tile-${k}`).locator('.ant-statistic-content').textContent()) ?? '').replace(/,/g, ''));
  for (const [k, name] of [['sent', '发送'], ['delivered', '送达'], ['converted', '转化']] as const) expect(aria, name).toContain(`${name}的数据是${await tile(k)}`);
  await page.getByTestId('chart-funnel').scrollIntoViewIfNeeded();
  await shot(page, 'campaigns-03-funnel-zh');
});

/** The page, or a scrolling box on it, that scrolls sideways (a wide table scrolling inside itself is meant to). */
const sidewaysScrollers = (page: Page) =>
  page.evaluate(() =>
    [document.scrollingElement!, ...document.querySelectorAll('.seg-content, .seg-content *')]
      .filter((el) => el === document.scrollingElement || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
      .filter((el) => !el.closest('.ant-table-content, .ant-table-body, .ant-tabs-nav, .ant-select-dropdown'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className || el.tagName} ${el.scrollWidth}>${el.clientWidth}`),
  );

test('the segments explorer fits 1280 and 1440 px wide; RFM as of a date picked from a zh calendar', async ({ page }) => {
  await openApp(page, 'zh-CN');
  await openDemo(page);
  await rfmOnDemoOrders(page);
  // English headers are the wider ones
  for (const [lang, width] of [['en', 1280], ['en', 1440], ['zh-CN', 1280], ['zh-CN', 1440]] as const) {
    await setLang(page, lang);
    await page.setViewportSize({ width, height: 900 });
    // the explorer opened afresh at this width, measured once it has all its rows and charts
    await page.getByTestId('tab-migration').click();
    await page.getByTestId('tab-explorer').click();
    await expect(page.getByTestId('profile-table').locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(11);
    await expect(page.getByTestId('chart-heatmap')).toBeVisible();
    expect(await sidewaysScrollers(page), `${lang} ${width} px`).toEqual([]);
    await shot(page, `segments-05-explorer-${lang === 'en' ? 'en' : 'zh'}-${width}`);
  }
  // the date comes from a calendar in Chinese
  await page.getByRole('tab', { name: 'RFM' }).click();
  await page.getByTestId('rfm-asof').locator('input').click();
  await expect(page.locator('.ant-picker-dropdown:visible')).toContainText('年');
  await expect(page.locator('.ant-picker-dropdown:visible')).toContainText('一');
  await shot(page, 'segments-04-date-picker-zh');
  await page.keyboard.press('Escape');
  await pickDate(page, 'rfm-asof', '2024-03-31');
  await page.getByTestId('rfm-run').click();
  await expect(page.getByTestId('explorer-select')).toContainText('2024-03-31', { timeout: 60_000 });
});
