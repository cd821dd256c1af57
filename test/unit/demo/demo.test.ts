/** The seeded demo data: deterministic, messy in the documented ways, with its truth beside it. */
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../../main/demo/generate';
import { parsePhone } from '../../../main/kernel/values';
import { testApp } from '../../helpers/app';
import { readFileSync } from 'node:fs';

describe('demo data', () => {
  it('is byte-identical for the same seed and different for another', () => {
    const a = generateDemo({ seed: 42, customers: 300 });
    const b = generateDemo({ seed: 42, customers: 300 });
    const c = generateDemo({ seed: 43, customers: 300 });
    expect(a).toEqual(b);
    expect(a.files[0]!.text).not.toEqual(c.files[0]!.text);
  });

  it('plants duplicate people whose phones normalise to the same number', () => {
    const { files, truth } = generateDemo({ seed: 7, customers: 1500 });
    const contacts = files.find((f) => f.name === 'contacts.csv')!.text.trim().split('\r\n').slice(1).map((l) => l.split(','));
    expect(contacts).toHaveLength(truth.contactsRows);
    expect(truth.duplicateGroups.length).toBeGreaterThan(40);
    const variants = new Set<string>();
    for (const g of truth.duplicateGroups) {
      const phones = g.map((row) => contacts[row - 1]![3]!);
      g.slice(1).forEach((row) => variants.add(contacts[row - 1]![3]!.replace(/\d/g, 'd').replace(/[０-９]/g, 'D')));
      expect(new Set(phones.map((p) => parsePhone(p))).size, phones.join(' | ')).toBe(1);
    }
    // The documented messy forms all occur.
    for (const form of ['ddd dddd dddd', '+dd-ddddddddddd', 'DDDDDDDDDDD']) expect(variants).toContain(form);
  });

  it('builds the demo workspace through the import pipeline, with truth.json beside the files', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 400 });
    const job = await app.ctx.jobs.wait(jobId);
    expect(job.status).toBe('done');
    const ws = await app.call('workspace/current', {});
    expect(ws).toMatchObject({ name: 'Segmint demo', datasets: 8 });
    const ds = await app.call('datasets/list', {});
    const contacts = ds.find((d) => d.name === 'CRM 联系人')!;
    expect(contacts.encoding).toBe('gb18030');
    expect(contacts.quarantined).toBe(0);
    expect(contacts.columns.find((c) => c.name === '手机号码')).toMatchObject({ type: 'phone', role: 'phone', invalid: 0 });
    const orders = ds.find((d) => d.name === '订单')!;
    expect(orders.columns.filter((c) => c.role).map((c) => c.role)).toEqual(expect.arrayContaining(['order_id', 'customer_id', 'phone', 'timestamp', 'amount', 'channel']));
    const truth = JSON.parse(readFileSync((job.result as { truth: string }).truth, 'utf8'));
    expect(orders.rowCount).toBe(truth.ordersRows);
    expect(contacts.rowCount).toBe(truth.contactsRows);
    const refunds = app.ctx.requireSession().db.prepare(`SELECT count(*) AS n FROM ${orders.id} WHERE 订单状态 = '已退款' AND 实付金额 < 0`).get() as { n: number };
    expect(refunds.n).toBe(truth.refunds);
    // The insights additions: touches and survey answers, each row as planted.
    const touches = ds.find((d) => d.name === '渠道触点')!;
    expect(touches.rowCount).toBe(truth.journeys.touches);
    expect(touches.columns.filter((c) => c.role).map((c) => c.role)).toEqual(expect.arrayContaining(['customer_id', 'phone', 'timestamp', 'channel', 'campaign']));
    const survey = ds.find((d) => d.name === '满意度调查')!;
    expect(survey.rowCount).toBe(truth.survey.answers);
    expect(survey.quarantined).toBe(0);
    expect(survey.columns.find((c) => c.name === 'NPS评分')!.type).toBe('integer');
    await app.close();
  });

  it('plants a better-responding region, a better-converting path and detractors who churn more', () => {
    const { files, truth } = generateDemo({ seed: 42, customers: 2000 });
    const rate = (x: { sent: number; converted: number }) => x.converted / x.sent;
    const zj = truth.regionEffect.byProvince[truth.regionEffect.province]!;
    const others = Object.entries(truth.regionEffect.byProvince).filter(([p]) => p !== truth.regionEffect.province).map(([, v]) => v);
    const pooled = { sent: others.reduce((s, v) => s + v.sent, 0), converted: others.reduce((s, v) => s + v.converted, 0) };
    expect(rate(zj)).toBeGreaterThan(1.5 * rate(pooled));
    // Touch rows: known channels only, and the planted journeys convert far more often.
    const touchLines = files.find((f) => f.name === 'touches.csv')!.text.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(touchLines).toHaveLength(truth.journeys.touches);
    expect(new Set(touchLines.map((l) => l[3]))).toEqual(new Set(['短信', '小程序', '门店', '公众号', 'APP']));
    const j = truth.journeys;
    expect(j.planted.converted / j.planted.journeys).toBeGreaterThan(2 * (j.other.converted / j.other.journeys));
    // Survey: scores in range; detractors bought nothing in the next 90 days far more often.
    const answers = files.find((f) => f.name === 'survey.csv')!.text.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(answers).toHaveLength(truth.survey.answers);
    expect(answers.every((a) => Number(a[3]) >= 0 && Number(a[3]) <= 10 && Number(a[4]) >= 1 && Number(a[4]) <= 5)).toBe(true);
    const c = truth.survey.byCategory;
    expect(c.detractor.churned / c.detractor.n).toBeGreaterThan(c.promoter.churned / c.promoter.n + 0.2);
  });
});
