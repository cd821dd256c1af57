/**
 * Feedback while a large import runs: the progress line names the rows read so far and their rate
 * (zh and en), moves while the job runs, and the summary follows with every row accounted for.
 * A seeded 1M-row orders file (zh) and a 300k-row one (en), written by the test.
 */
import { expect, test, type Page } from '@playwright/test';
import { createWriteStream, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newWorkspace, openApp, shot } from './helpers';

async function writeOrders(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  let buf = '订单号,会员编号,手机号码,下单时间,实付金额,订单状态\n';
  for (let i = 0; i < n; i++) {
    const c = (i * 7919) % Math.max(1, Math.round(n / 5));
    buf += `SO${10_000_000 + i},M${1_000_000 + c},138${String(c).padStart(8, '0')},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,${(1 + (i % 50000) / 100).toFixed(2)},${i % 13 === 0 ? '已取消' : '已完成'}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
}

/** Every text the progress line showed while the import ran (recorded in the page, not sampled on a clock). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __progress: string[] };
    w.__progress = [];
    const seen = () => {
      const el = document.querySelector('[data-testid="job-progress-text"]');
      const s = el?.textContent ?? '';
      if (s && w.__progress[w.__progress.length - 1] !== s) w.__progress.push(s);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

for (const [lang, rows, rowsWord, rateWord] of [
  ['zh-CN', 1_000_000, /已读取 ([\d,]+) 行/, /每秒 ([\d,]+) 行/],
  ['en', 300_000, /([\d,]+) rows read/, /([\d,]+) rows\/s/],
] as const) {
  test(`a ${rows.toLocaleString('en-US')}-row import shows rows read and their rate (${lang})`, async ({ page }) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'segmint-progress-')), `orders-${rows}.csv`);
    await writeOrders(file, rows);
    await openApp(page, lang);
    await newWorkspace(page, `progress ${lang}`);
    await page.getByTestId('nav-import').click();
    await page.locator('input[type=file]').setInputFiles(file);
    await expect(page.getByTestId('preview-grid')).toBeVisible({ timeout: 120_000 });
    await page.getByTestId('to-columns').click();
    await page.getByTestId('dataset-name').fill(`orders ${rows}`);
    await recordProgress(page);
    await page.getByTestId('start-import').click();
    // while it runs: a row count above zero (the screenshot is taken in that state)
    await expect(page.getByTestId('job-progress-text')).toHaveText(rowsWord, { timeout: 120_000 });
    await shot(page, `import-progress-${lang}`);
    const summary = page.getByTestId('import-summary');
    await expect(summary).toBeVisible({ timeout: 300_000 });
    await expect(summary).toContainText(rows.toLocaleString('en-US'));
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    const counts = seen.map((s) => rowsWord.exec(s)?.[1]).filter((x): x is string => !!x).map((x) => Number(x.replace(/,/g, '')));
    // the count moved while the job ran, never backwards (a stale jobs list once overwrote newer
    // progress: renderer/state/app.tsx), never past the file
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect(counts.every((c, i) => i === 0 || c >= counts[i - 1]!)).toBe(true);
    expect(Math.max(...counts)).toBeLessThanOrEqual(rows);
    expect(seen.some((s) => rateWord.test(s) && Number(rateWord.exec(s)![1]!.replace(/,/g, '')) > 0)).toBe(true);
  });
}
