/** Uplift targeting on the Campaigns screen: a randomised campaign with a control group imported through the wizard, evaluated and planned (zh, en). */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateUpliftCampaign } from '../../main/demo/messy/uplift';
import { go, importViaWizard, newWorkspace, openApp, pick, setLang, shot } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 0 });



test('evaluate an uplift model and plan the next send list with a control group (zh, en)', async ({ page }) => {
  const c = generateUpliftCampaign({ seed: 20, customers: 3000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'segmint-e2e-uplift-'));
  await openApp(page, 'zh-CN');
  await newWorkspace(page, 'e2e 增量定向');
  for (const [key, name] of [['contacts', '会员'], ['orders', '订单'], ['sends', '历史发送'], ['replies', '回复'], ['assignment', '发送名单']] as const) {
    const f = path.join(dir, `${key}.csv`);
    writeFileSync(f, c.files[key]);
    await importViaWizard(page, f, name);
  }
  await go(page, 'campaigns');
  await page.getByTestId('tab-uplift').click();
  await pick(page, 'uplift-assignment', '发送名单');
  await pick(page, 'uplift-orders', '订单');
  await pick(page, 'uplift-replies', '回复');
  await pick(page, 'uplift-sends', '历史发送');
  await pick(page, 'uplift-profiles', '会员');
  await page.getByTestId('uplift-fit').click();
  await expect(page.getByTestId('uplift-result')).toContainText('Qini', { timeout: 120_000 });
  await expect(page.getByTestId('uplift-result')).toContainText(/定向发送优于全量发送|暂无证据/);
  await page.getByTestId('uplift-plan').click();
  await expect(page.getByTestId('uplift-plan-result')).toContainText('预期增量转化', { timeout: 120_000 });
  await expect(page.getByTestId('uplift-plan-result')).toContainText('对照组');
  await shot(page, 'uplift-01-zh');
  // after the campaign: the plan is measured against its held-out control (no results appended yet: 0 so far)
  await page.getByTestId('uplift-start').fill('2024-07-01 10:00');
  await page.getByTestId('uplift-measure-run').click();
  await expect(page.getByTestId('uplift-measured')).toContainText('增量转化');
  await setLang(page, 'en');
  await expect(page.getByTestId('uplift-plan-result')).toContainText('incremental conversions');
  await shot(page, 'uplift-02-en');
  await setLang(page, 'zh-CN');
});
