import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

export const SHOTS = path.resolve('test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  // Wait for the page to settle (no finite CSS/Web animation still running: antd fades, chart
  // entry; endless spinners do not count), not for a fixed time.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

export async function openApp(page: Page, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await page.goto(process.env.SEGMINT_URL!);
  await expect(page.getByTestId('lang-switch')).toBeVisible();
  await setLang(page, lang);
}

export async function setLang(page: Page, lang: 'zh-CN' | 'en'): Promise<void> {
  await page.getByTestId('lang-switch').getByText(lang === 'zh-CN' ? '中文' : 'English', { exact: true }).click();
  await expect(page.getByTestId('nav-workspace')).toContainText(lang === 'zh-CN' ? '工作区' : 'Workspace');
}

export async function go(page: Page, area: string): Promise<void> {
  await page.getByTestId(`nav-${area}`).click();
}

/**
 * On the Workspace screen, close the open workspace if there is one. Waits until the screen shows
 * either the open workspace or the create form (the screen loads lazily: asking "is a close button
 * there?" before it has rendered would wrongly answer no).
 */
export async function closeWorkspace(page: Page): Promise<void> {
  const close = page.getByTestId('ws-close');
  await expect(close.or(page.getByTestId('ws-name'))).toBeVisible();
  if (await close.isVisible()) await close.click();
  await expect(page.getByTestId('ws-name')).toBeVisible();
}

/** Close the open workspace (if any) and create a new one by name. */
export async function newWorkspace(page: Page, name: string): Promise<void> {
  await go(page, 'workspace');
  await closeWorkspace(page);
  await page.getByTestId('ws-name').fill(name);
  await page.getByTestId('ws-create').click();
  await expect(page.getByTestId('current-workspace')).toHaveText(name);
}

/** Choose an option of an antd Select by its title (exact) or text (pattern). */
export async function pick(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  const dd = page.locator('.ant-select-dropdown:visible');
  await (typeof option === 'string' ? dd.getByTitle(option, { exact: true }) : dd.getByText(option)).first().click();
}

/** Type a date into a DateField's calendar input, as a user may, and wait until the field holds it. */
export async function pickDate(page: Page, testId: string, iso: string): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.click();
  await input.fill(iso);
  await input.press('Enter');
  await expect(page.getByTestId(testId)).toHaveAttribute('data-value', iso);
}

/** Import a file through the wizard with the suggested settings. */
export async function importViaWizard(page: Page, file: string, name: string): Promise<void> {
  await go(page, 'import');
  // the wizard may still show the last import's result; the screen loads lazily, so first wait
  // until it shows either that result or the file input (asking too early would miss the result)
  const again = page.getByTestId('import-another');
  const input = page.locator('input[type=file]');
  await expect.poll(async () => (await again.count()) + (await input.count()), { timeout: 60_000 }).toBeGreaterThan(0);
  if (await again.count()) await again.click();
  await input.setInputFiles(file);
  await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('to-columns').click();
  await page.getByTestId('dataset-name').fill(name);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 120_000 });
}

/** Make sure the demo workspace is the open one (builds it when needed). */
export async function openDemo(page: Page): Promise<void> {
  await go(page, 'workspace');
  await expect(page.getByTestId('ws-close').or(page.getByTestId('ws-name'))).toBeVisible(); // the screen has rendered
  const tag = page.getByTestId('current-workspace');
  if ((await tag.count()) && (await tag.textContent()) === 'Segmint demo') return;
  await closeWorkspace(page);
  await page.getByTestId('open-demo').click();
  await expect(tag).toHaveText('Segmint demo', { timeout: 120_000 });
}

/** RFM on the demo's orders from the Segments screen (a segmentation to look at or export), in zh. */
export async function rfmOnDemoOrders(page: Page): Promise<void> {
  await go(page, 'segments');
  await page.getByTestId('rfm-dataset').click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^订单/).click();
  await page.getByTestId('rfm-run').click();
  await expect(page.getByTestId('chart-sizes-pie')).toBeVisible({ timeout: 60_000 });
}

/**
 * How many pixels of a chart's canvas are painted (alpha > 0). ECharts draws on a transparent
 * canvas, so 0 means the chart is blank (e.g. it was sized while its tab was hidden and never
 * redrawn); the area it paints is in the tens of thousands when drawn.
 */
export async function paintedPixels(chart: import('@playwright/test').Locator): Promise<number> {
  return chart.locator('canvas').first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    if (!canvas.width || !canvas.height) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}
