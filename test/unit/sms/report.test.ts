/** The campaign report on the demo data recovers the planted effects (variant B wins, 20:00 is best). */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runJob, tempDir, testApp } from '../../helpers/app';
import { attribute } from '../../../main/analysis/sms/attribution';
import { sendTimeGrid } from '../../../main/analysis/sms/sendtime';
import { deliveryStatus } from '../../../main/services/sms/report';

describe('attribution and send time', () => {
  it('last touch within the window; one order counts once', () => {
    const D = 86_400_000;
    const r = attribute([{ key: 'a', time: 0 }, { key: 'a', time: 2 * D }, { key: 'b', time: 0 }], [{ key: 'a', time: 3 * D, amount: 10 }, { key: 'b', time: 8 * D, amount: 5 }, { key: 'c', time: D, amount: 1 }]);
    expect([...r.converted]).toEqual([0, 1, 0]);
    expect([...r.revenue]).toEqual([0, 10, 0]);
  });
  it('the best window has the highest Wilson lower bound, not the luckiest cell', () => {
    const ev = [
      ...Array.from({ length: 10 }, (_, i) => ({ weekday: 0, hour: 3, success: i < 5 })),
      ...Array.from({ length: 500 }, (_, i) => ({ weekday: 1, hour: 20, success: i < 150 })),
      ...Array.from({ length: 500 }, (_, i) => ({ weekday: 1, hour: 10, success: i < 50 })),
    ];
    const g = sendTimeGrid(ev, { minCount: 30, maxWidth: 1 });
    expect(g.best).toMatchObject({ startHour: 20, endHour: 21 });
    expect(g.cells.find((c) => c.weekday === 0 && c.hour === 3)!.sparse).toBe(true);
  });
  it('maps delivery statuses', () => {
    // 成功 is the gateway's acceptance without a receipt: not delivered.
    expect(['成功', 'DELIVRD', '已送达', '失败', 'UNDELIV', '未知', ''].map(deliveryStatus)).toEqual(['accepted', 'delivered', 'delivered', 'failed', 'failed', 'unknown', 'unknown']);
  });
});

describe('campaign report on the demo workspace', () => {
  it('recovers the planted effects', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 3000 });
    await app.ctx.jobs.wait(jobId);
    const ds = await app.call('datasets/list', {});
    const id = (n: string) => ds.find((d) => d.name === n)!.id;
    // Delivery is receipt-confirmed only (the sends file says 成功 = accepted), so the receipts come along.
    const r = await app.call('sms/report', { sends: id('短信发送'), receipts: id('短信回执'), replies: id('短信回复'), clicks: id('短链点击'), orders: id('订单') });
    expect(r.campaigns.map((c) => c.campaign).sort()).toEqual(['618大促预热', '会员日', '新品上市']);
    for (const c of r.campaigns) {
      expect(c.sent).toBe(c.delivered + c.failed + c.unknown + c.accepted);
      const [a, b] = c.variants;
      expect(b!.rate).toBeGreaterThan(a!.rate);
      // Funnel: clicks come from delivered sends; B's personal link is clicked more often.
      expect(c.clicked).toBeGreaterThan(0);
      expect(c.clicked).toBeLessThanOrEqual(c.delivered);
      expect(b!.clicked / b!.sent).toBeGreaterThan(a!.clicked / a!.sent);
    }
    // Pooled over campaigns, B's lift is significant.
    const significant = r.campaigns.filter((c) => c.abTest!.tests[0]!.pHolm < 0.05).length;
    expect(significant).toBeGreaterThanOrEqual(2);
    expect(r.totals.unsubscribed).toBeGreaterThan(0);
    // The 618 B template carries the customer's name: rendered messages stay UCS-2, 2 parts, and
    // the cost basis counts every part.
    const c618 = r.campaigns.find((c) => c.campaign === '618大促预热')!;
    expect(c618.length!.encoding).toBe('UCS-2');
    expect(c618.length!.segmentsSent).toBeGreaterThanOrEqual(c618.sent);
    expect(r.bestSlot!.startHour).toBeLessThanOrEqual(20);
    expect(r.bestSlot!.endHour).toBeGreaterThan(20);
    // Delivery receipts decide delivery when given: every DELIVRD receipt marks its send.
    const withReceipts = await app.call('sms/report', { sends: id('短信发送'), receipts: id('短信回执') });
    const receipts = app.ctx.requireSession().db.prepare(`SELECT count(*) AS n FROM ${id('短信回执')} WHERE 状态报告 = 'DELIVRD'`).get() as { n: number };
    expect(withReceipts.totals.delivered).toBe(receipts.n);
    expect(withReceipts.campaigns.reduce((s, c) => s + c.failed, 0)).toBeGreaterThan(0);
    // The planner: 10% vs 12% needs 3,841 per variant at α 0.05 and 80% power.
    const plan = await app.call('sms/sample-size', { p1: 0.1, p2: 0.12, n: 3841 });
    expect(plan.perVariant).toBe(3841);
    expect(plan.powerAtN).toBeCloseTo(0.8, 2);
    expect(plan.curve.map((c) => c.power)).toEqual([...plan.curve.map((c) => c.power)].sort((a, b) => a - b));
    const u = await app.call('sms/unsubscribes', { replies: id('短信回复') });
    expect(u.rows.length).toBe(r.totals.unsubscribed);
    expect(u.rows.every((x) => x.phone.startsWith('+86'))).toBe(true);
    await app.close();
  });
});

describe('unsubscribe rules, suppression list, appended batches and monitoring', () => {
  it('edits the rules, fills the suppression list, and alerts on a bad appended batch', async () => {
    const app = testApp();
    const tmp = tempDir();
    await app.call('workspace/create', { name: 'monitoring' });
    const csv = (name: string, header: string, rows: string[]) => {
      const f = path.join(tmp.dir, name);
      writeFileSync(f, [header, ...rows].join('\n') + '\n');
      return f;
    };
    const phone = (i: number) => `1380013${String(i).padStart(4, '0')}`;
    // Week 1: 100 sends, 97 delivered. Week 2: 100 sends, only 70 delivered.
    const week = (w: number, deliveredShare: number) =>
      Array.from({ length: 100 }, (_, i) => `周末活动,A,${phone(i)},【店】周末特惠 回T退订,2026-03-0${w * 2} 10:${String(i % 60).padStart(2, '0')}:00,${i < deliveredShare * 100 ? '已送达' : '失败'}`);
    const header = '活动名称,版本,手机号码,短信内容,发送时间,发送状态';
    const sendsId = await (async () => {
      const f = csv('week1.csv', header, week(1, 0.97));
      const inspect = await app.call('import/inspect', { files: [{ path: f }] });
      const r = await runJob<{ datasetId: string; batch: number }>(app, app.call('import/start', { files: [{ path: f }], name: 'sends', settings: inspect.settings }));
      expect(r.batch).toBe(1);
      return r.datasetId;
    })();
    const repliesFile = csv('replies.csv', '手机号码,回复时间,回复内容', [`${phone(1)},2026-03-02 11:00:00,ＴＤ`, `${phone(2)},2026-03-02 11:05:00,谢谢`, `+86${phone(3)},2026-03-02 11:06:00,退掉吧`]);
    const insp = await app.call('import/inspect', { files: [{ path: repliesFile }] });
    const imported = await runJob<{ datasetId: string; suppression?: { detected: number; added: number } }>(app, app.call('import/start', { files: [{ path: repliesFile }], name: 'replies', settings: insp.settings }));
    const repliesId = imported.datasetId;
    // the suppression list follows a replies dataset on import: ＴＤ is on it already
    expect(imported.suppression).toMatchObject({ detected: 1, added: 1 });

    // Built-in rules catch ＴＤ only (退掉 is ambiguous: a return?); this workspace's rule adds it (and a bad regex is refused).
    expect((await app.call('sms/unsubscribes', { replies: repliesId })).rows.map((r) => r.text)).toEqual(['ＴＤ']);
    const rules = (await app.call('sms/rules/get', {})).rules;
    await expect(app.call('sms/rules/set', { rules: [...rules, { kind: 'regex', pattern: '([' }] })).rejects.toMatchObject({ code: 'bad_regex' });
    await app.call('sms/rules/set', { rules: [...rules, { kind: 'contains', pattern: '退掉' }] });
    expect((await app.call('sms/unsubscribes', { replies: repliesId })).rows).toHaveLength(2);

    const sync = await app.call('sms/suppression/sync', { replies: repliesId });
    expect(sync).toMatchObject({ detected: 2, added: 1, already: 1 }); // 退掉吧 under the new rule
    expect((await app.call('sms/suppression/sync', { replies: repliesId })).added).toBe(0); // idempotent
    expect((await app.call('sms/suppression/add', { phones: ['+86 138 0013 0001', '13800139999'] })).added).toBe(1); // same phone in another format
    const list = await app.call('sms/suppression/list', {});
    expect(list.total).toBe(3);
    expect(list.rows.map((r) => r.phone).sort()).toEqual([`+86${phone(1)}`, `+86${phone(3)}`, '+8613800139999']);
    await expect(app.call('sms/suppression/add', { phones: ['hello'] })).rejects.toMatchObject({ code: 'bad_phone' });

    const mon = await app.call('sms/monitor/save', { name: 'weekly', sends: sendsId, replies: repliesId, thresholds: { deliveryRateMin: 0.9, unsubscribeRateMax: 0.05 } });
    expect(mon.trend).toHaveLength(1);
    expect(mon.trend[0]!.kpis.deliveryRate).toBeCloseTo(0.97);
    expect(mon.alerts).toHaveLength(0);

    // Next week's result file is appended to the same dataset as batch 2.
    const f2 = csv('week2.csv', header, week(2, 0.7));
    const i2 = await app.call('import/inspect', { files: [{ path: f2 }] });
    const r2 = await runJob<{ datasetId: string; batch: number; rowsImported: number }>(app, app.call('import/start', { files: [{ path: f2 }], name: 'ignored', settings: i2.settings, appendTo: sendsId }));
    expect(r2).toMatchObject({ datasetId: sendsId, batch: 2, rowsImported: 100 });
    expect((await app.call('datasets/get', { id: sendsId })).rowCount).toBe(200);
    const m = await app.call('sms/monitors', {});
    expect(m.unacknowledged).toBe(1);
    const view = m.monitors[0]!;
    expect(view.trend.map((t) => t.kpis.deliveryRate)).toEqual([0.97, 0.7]);
    expect(view.alerts[0]).toMatchObject({ batch: 2, kpi: 'deliveryRate', value: 0.7, threshold: 0.9, acknowledged: false });
    expect((await app.call('sms/alerts/ack', { monitorId: view.id })).acknowledged).toBe(1);
    expect((await app.call('sms/monitors', {})).unacknowledged).toBe(0);

    // A file with other columns cannot be appended: clear error, nothing added.
    const i3 = await app.call('import/inspect', { files: [{ path: repliesFile }] });
    const job = await app.ctx.jobs.wait((await app.call('import/start', { files: [{ path: repliesFile }], name: 'x', settings: i3.settings, appendTo: sendsId })).jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'append_mismatch' });
    expect((await app.call('datasets/get', { id: sendsId })).rowCount).toBe(200);
    await app.close();
    tmp.cleanup();
  });
});

describe('a monitor reads delivery from receipts', () => {
  it('sends left at 成功 show 0 % delivered alone; with the receipts, DELIVRD decides', async () => {
    const app = testApp();
    const tmp = tempDir();
    await app.call('workspace/create', { name: 'receipts' });
    const csv = (name: string, header: string, rows: string[]) => {
      const f = path.join(tmp.dir, name);
      writeFileSync(f, [header, ...rows].join('\n') + '\n');
      return f;
    };
    const phone = (i: number) => `1390013${String(i).padStart(4, '0')}`;
    // the gateway accepted all 120 (成功); receipts: 102 DELIVRD, 18 UNDELIV, phones written +86…
    const sends = csv('sends.csv', '活动名称,版本,手机号码,短信内容,发送时间,发送状态', Array.from({ length: 120 }, (_, i) => `周末活动,A,${phone(i)},【店】周末特惠 回T退订,2026-03-07 10:${String(i % 60).padStart(2, '0')}:00,成功`));
    const receipts = csv('receipts.csv', '手机号码,回执时间,回执状态', Array.from({ length: 120 }, (_, i) => `+86${phone(i)},2026-03-07 10:${String(i % 60).padStart(2, '0')}:30,${i < 102 ? 'DELIVRD' : 'UNDELIV'}`));
    const ids: string[] = [];
    for (const [f, name] of [[sends, 'sends'], [receipts, 'receipts']] as const) {
      const insp = await app.call('import/inspect', { files: [{ path: f }] });
      ids.push((await runJob<{ datasetId: string }>(app, app.call('import/start', { files: [{ path: f }], name, settings: insp.settings }))).datasetId);
    }
    const alone = await app.call('sms/monitor/save', { name: 'alone', sends: ids[0]!, thresholds: { deliveryRateMin: 0.9 } });
    expect(alone.trend[0]!.kpis.deliveryRate).toBe(0);
    expect(alone.alerts.map((a) => a.kpi)).toEqual(['deliveryRate']);
    const withReceipts = await app.call('sms/monitor/save', { name: 'with receipts', sends: ids[0]!, receipts: ids[1]!, thresholds: { deliveryRateMin: 0.8, failRateMax: 0.1 } });
    expect(withReceipts.receipts).toBe(ids[1]);
    expect(withReceipts.trend[0]!.kpis).toMatchObject({ sent: 120, deliveryRate: 102 / 120, failRate: 18 / 120 });
    expect(withReceipts.alerts.map((a) => a.kpi)).toEqual(['failRate']);
    await app.close();
    tmp.cleanup();
  });
});
