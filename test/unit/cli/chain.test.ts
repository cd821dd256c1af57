/**
 * Monthly automation through the real `segmint` bin: import with saved settings → cleaning
 * recipe → RFM → protected export, run once on "June" and replayed unchanged on "December"
 * (next export from the same system) — one script of CLI calls, outputs checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/app';
import { segmintIn } from '../../helpers/cli';
import { writeDemoFiles } from '../../../main/demo/build';

let t: ReturnType<typeof tempDir>;
beforeAll(() => (t = tempDir()));
afterAll(() => t.cleanup());

const segmint = segmintIn(() => t.dir).json;

describe('monthly automation chain', () => {
  it('import + recipe + RFM + export, replayed on next period’s file', () => {
    const { files } = writeDemoFiles(path.join(t.dir, 'src'), 11, 1200);
    const orders = readFileSync(files.find((f) => f.name === 'orders.csv')!.path, 'utf8').trim().split('\n');
    const [header, ...rows] = orders;
    const timeCol = header!.split(',').indexOf('下单时间');
    // Two exports from the same system: orders up to the middle of the period, then all of them.
    const times = rows.map((r) => r.split(',')[timeCol]!).sort();
    const cut = times[Math.floor(times.length / 2)]!;
    const june = path.join(t.dir, 'orders-june.csv');
    const december = path.join(t.dir, 'orders-december.csv');
    writeFileSync(june, [header, ...rows.filter((r) => r.split(',')[timeCol]! < cut)].join('\n') + '\n');
    writeFileSync(december, [header, ...rows].join('\n') + '\n');
    const recipe = path.join(t.dir, 'recipe.json');
    writeFileSync(
      recipe,
      JSON.stringify({
        version: 1,
        steps: [
          { op: 'trim', columns: ['商品名称', '渠道'] },
          {
            op: 'map',
            columns: ['渠道'],
            entries: [
              { from: ['小程序', 'mini program', 'miniapp'], to: '小程序' },
              { from: ['门店', '线下', 'store'], to: '门店' },
              { from: ['天猫', 'tmall'], to: '天猫' },
              { from: ['京东', 'jd'], to: '京东' },
            ],
          },
          { op: 'filter', conditions: [{ column: '订单状态', op: 'eq', value: '已退款' }], mode: 'remove' },
        ],
      }),
    );
    const ws = path.join(t.dir, 'monthly.segmint');
    const settings = path.join(t.dir, 'orders.settings.json');
    segmint(['workspace', 'create', ws]);
    segmint(['import', files.find((f) => f.name === 'contacts.csv')!.path, '--name', 'contacts', '--workspace', ws]);

    // One script, run for each period: only the file and the period name change.
    const runMonth = (file: string, period: string, first: boolean) => {
      const imp = segmint(['import', file, '--name', `orders-${period}`, ...(first ? ['--save-settings', settings] : ['--settings', settings]), '--workspace', ws]);
      const clean = segmint(['recipe', 'apply', recipe, '--dataset', `orders-${period}`, '--name', `clean-${period}`, '--workspace', ws]);
      const rfm = segmint(['rfm', '--dataset', `clean-${period}`, '--workspace', ws]);
      const out = path.join(t.dir, `champions-${period}.csv`);
      const exp = segmint(['export', 'champions', '--dataset', 'contacts', '--mask', 'phone,name,email', '--template', '{姓名|顾客}您好，本月冠军礼已到账，回T退订', '--message-column', '短信', '--out', out, '--workspace', ws]);
      return { imp, clean, rfm, exp, csv: readFileSync(out, 'utf8') };
    };
    const m1 = runMonth(june, '2024-06', true);
    const m2 = runMonth(december, '2024-12', false);

    for (const m of [m1, m2]) {
      expect(m.imp.rowsQuarantined).toBe(0);
      expect(m.clean.misfits).toEqual([]);
      const removed = m.clean.steps.find((s: { op: string }) => s.op === 'filter');
      expect(removed.rowsRemoved).toBeGreaterThan(0); // the refunds
      expect(m.rfm.customers).toBeGreaterThan(100);
      const champions = m.rfm.segments.find((s: { key: string }) => s.key === 'champions');
      expect(m.exp.rows + m.exp.suppressed).toBe(champions.size);
      expect(m.csv.charCodeAt(0)).toBe(0xfeff); // UTF-8 BOM for Excel
      expect(m.csv).toContain('本月冠军礼已到账');
      expect(m.csv).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/); // no raw mobile number
    }
    // Replayed settings read the second file the same way; it is a bigger period.
    expect(m2.imp.columns).toEqual(m1.imp.columns);
    expect(m2.imp.rowsImported).toBeGreaterThan(m1.imp.rowsImported);
    expect(m2.csv.split('\r\n')[0]).toBe(m1.csv.split('\r\n')[0]);
    expect(m2.exp.sha256).not.toBe(m1.exp.sha256);
  });
});
