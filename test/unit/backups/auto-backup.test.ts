/** Destructive operations back the workspace up first, and the backup holds what was destroyed. */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { createInstance } from 'i18next';
import { testApp } from '../../helpers/app';
import { backupReason, codesZh } from '../../../renderer/i18n/codes';
import { untranslated } from '../../e2e/untranslated-check';

describe('automatic backups before destructive operations', () => {
  it('deleting a segmentation or a dataset leaves a backup that still has it', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 3, customers: 300 });
    await app.ctx.jobs.wait(jobId);
    const orders = (await app.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const rfm = await app.ctx.jobs.wait((await app.call('segments/rfm', { datasetId: orders.id })).jobId);
    const segId = (rfm.result as { segmentation: { id: string } }).segmentation.id;
    const before = (await app.call('backups/list', {})).backups.length;
    await app.call('segments/delete', { segmentationId: segId });
    const after = (await app.call('backups/list', {})).backups;
    expect(after.length).toBe(before + 1);
    const newest = after.find((b) => b.reason.includes('deleting segmentation'))!;
    expect(newest).toBeDefined();
    const copy = new Database(newest.path, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM segmentations WHERE id = ?').get(segId) as { n: number }).n).toBe(1);
    copy.close();
    expect((await app.call('segments/list', {})).some((s) => s.id === segId)).toBe(false);
    await app.call('datasets/delete', { id: orders.id, confirmName: orders.name });
    expect((await app.call('backups/list', {})).backups.some((b) => b.reason.includes('deleting dataset'))).toBe(true);
    await app.close();
  });

  it('every reason the app writes reads in Chinese on the backup lists', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 3, customers: 200 });
    await app.ctx.jobs.wait(jobId);
    const orders = (await app.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const rfm = await app.ctx.jobs.wait((await app.call('segments/rfm', { datasetId: orders.id })).jobId);
    await app.call('segments/delete', { segmentationId: (rfm.result as { segmentation: { id: string } }).segmentation.id });
    const crm = (await app.call('datasets/list', {})).find((d) => d.name === 'CRM 联系人')!;
    const run = await app.ctx.jobs.wait((await app.call('customers/dedupe', { datasetId: crm.id })).jobId);
    const runId = (run.result as { runId: string }).runId;
    await app.call('customers/merge', { runId, scope: 'all' });
    await app.call('datasets/delete', { id: orders.id, confirmName: orders.name });
    await app.call('backups/create', {});
    const reasons = (await app.call('backups/list', {})).backups.map((b) => b.reason);
    const zh = createInstance();
    await zh.init({ lng: 'zh', resources: { zh: { translation: { codes: codesZh } } }, interpolation: { escapeValue: false } });
    const shown = reasons.map((r) => backupReason(zh.t, r));
    expect(shown.length).toBeGreaterThanOrEqual(4);
    expect(untranslated(shown)).toEqual([]);
    expect(shown).toContain(`合并重复记录（运行 ${runId}）前`);
    expect(shown).toContain(`删除数据集 ${orders.id} 前`);
    await app.close();
  });
});
