/** Destructive operations back the workspace up first, and the backup holds what was destroyed. */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { testApp } from '../../helpers/app';

describe('automatic backups before destructive operations', () => {
  it('deleting a segmentation or a dataset leaves a backup that still has it', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 3, customers: 300 });
    await app.ctx.jobs.wait(jobId);
    const orders = (await app.call('datasets/list', {})).find((d) => d.name === '订单')!;
    const rfm = await app.ctx.jobs.wait((await app.call('segments/rfm', { datasetId: orders.id })).jobId);
    const segId = (rfm.result as { segmentation: { id: string } }).segmentation.id;
    const before = (await app.call('privacy/backup/list', {})).backups.length;
    await app.call('segments/delete', { segmentationId: segId });
    const after = (await app.call('privacy/backup/list', {})).backups;
    expect(after.length).toBe(before + 1);
    const newest = after.find((b) => b.reason.includes('deleting segmentation'))!;
    expect(newest).toBeDefined();
    const copy = new Database(newest.path, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM segmentations WHERE id = ?').get(segId) as { n: number }).n).toBe(1);
    copy.close();
    expect((await app.call('segments/list', {})).some((s) => s.id === segId)).toBe(false);
    await app.call('datasets/delete', { id: orders.id, confirmName: orders.name });
    expect((await app.call('privacy/backup/list', {})).backups.some((b) => b.reason.includes('deleting dataset'))).toBe(true);
    await app.close();
  });
});
