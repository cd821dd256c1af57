/** `segmint definitions` and `segmint identity` through the real bin on the demo workspace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';

let t: ReturnType<typeof tempDir>;
let ws: string;
const cli = segmintIn(() => t.dir, { extraArgs: ['--lang', 'en'] });

beforeAll(() => {
  t = tempDir();
  ws = cli.json(['demo', '--customers', '400']).path;
}, 180_000);
afterAll(() => t.cleanup());

describe('segmint definitions / identity', () => {
  it('shows the mappings in force, changes one (audited), and RFM counts follow after recompute', () => {
    const d = cli.json(['definitions', '--workspace', ws]);
    const orders = d.statuses.find((s: { datasetName: string }) => s.datasetName === '订单');
    expect(orders).toMatchObject({ kind: 'order', column: '订单状态' });
    expect(Object.fromEntries(orders.values.map((v: { raw: string; cls: string }) => [v.raw, v.cls]))).toEqual({ 已完成: 'valid', 已退款: 'refunded' });
    const sends = d.statuses.find((s: { datasetName: string }) => s.datasetName === '短信发送');
    expect(Object.fromEntries(sends.values.map((v: { raw: string; cls: string }) => [v.raw, v.cls]))).toEqual({ 成功: 'accepted', 失败: 'failed', 未知: 'unknown' });
    const before = cli.json(['rfm', '--dataset', '订单', '--workspace', ws, '--keep-cancellations']);
    const completed = orders.values.find((v: { raw: string }) => v.raw === '已完成').rows;
    expect(before.rowsUsed).toBe(completed);
    const changed = cli.json(['definitions', '--dataset', '订单', '已退款=valid', '--workspace', ws]);
    expect(changed.changed).toBe(true);
    expect(changed.revision).toBe(d.revision + 1);
    expect(changed.statuses[0].values.find((v: { raw: string }) => v.raw === '已退款')).toMatchObject({ cls: 'valid', inferred: 'refunded', overridden: true });
    // refund lines now count as orders (with their negative amounts kept by --keep-cancellations)
    const refunds = orders.values.find((v: { raw: string }) => v.raw === '已退款').rows;
    const after = cli.json(['rfm', '--dataset', '订单', '--workspace', ws, '--keep-cancellations']);
    expect(after.rowsUsed).toBe(before.rowsUsed + refunds);
    expect(after.definitions.statuses[0].classes.valid).toEqual(['已完成', '已退款']);
    const bad = cli.run(['definitions', '--dataset', '订单', '已退款=delivered', '--workspace', ws]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a order status class|order status class/);
  });

  it('identity: every keyed dataset is linked to the demo customers', () => {
    const r = cli.json(['identity', '--workspace', ws, '--rebuild']);
    expect(r.rebuilt).toBe(true);
    expect(r.customers).toBeGreaterThanOrEqual(400);
    for (const d of r.datasets) expect(d.linked, d.name).toBe(d.rows);
  });
});
