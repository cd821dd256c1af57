/**
 * Presentation mode: with it on, no raw phone number or e-mail of the demo data leaves the
 * services — not in data pages, campaign reports, unsubscribe lists, job results or events.
 */
import { describe, expect, it } from 'vitest';
import { testApp } from '../../helpers/app';
import { maskDeep, scrubText } from '../../../main/privacy/presentation';

describe('presentation masking', () => {
  it('scrubs phones and e-mails inside free text, leaves other numbers', () => {
    expect(scrubText('请打 138 1234 5678 或 +8613912345678，邮箱 alice@example.com')).toBe('请打 138****5678 或 139****5678，邮箱 a***@example.com');
    expect(scrubText('订单 20240105123 金额 1380.50')).toBe('订单 20240105123 金额 1380.50');
  });
  it('masks tables by column and records by key; dataset names stay', () => {
    const page = maskDeep({ columns: ['姓名', '手机号码', '城市'], rows: [['欧阳娜娜', '+8613812341234', '杭州'], ['张伟', '13912345678', '北京']], total: 2 }) as { rows: unknown[][] };
    expect(page.rows).toEqual([['欧阳**', '138****1234', '杭州'], ['张*', '139****5678', '北京']]);
    expect(maskDeep([{ name: '短信发送', id: 'ds_1' }])).toEqual([{ name: '短信发送', id: 'ds_1' }]);
    expect(maskDeep([{ name: '张伟', phone: '13912345678' }], { personNames: true })).toEqual([{ name: '张*', phone: '139****5678' }]);
  });
});

describe('presentation mode through the app', () => {
  it('no raw phone of the demo reaches a caller while it is on', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 7, customers: 300 });
    await app.ctx.jobs.wait(jobId);
    const ds = await app.call('datasets/list', {});
    const contacts = ds.find((d) => d.name === 'CRM 联系人')!;
    const raw = await app.call('datasets/rows', { id: contacts.id, offset: 0, limit: 300 });
    const phoneCol = raw.columns.indexOf('手机号码');
    const phones = raw.rows.map((r) => String(r[phoneCol]).replace('+86', ''));
    expect(phones.length).toBeGreaterThan(100);
    const events: string[] = [];
    app.ctx.onEvent((_n, p) => events.push(JSON.stringify(p)));
    await app.call('settings/set', { presentationMode: true });
    const id = (n: string) => ds.find((d) => d.name === n)!.id;
    const answers: unknown[] = [
      await app.call('datasets/rows', { id: contacts.id, offset: 0, limit: 300 }),
      await app.call('datasets/rows', { id: id('短信回复'), offset: 0, limit: 500 }),
      await app.call('sms/unsubscribes', { replies: id('短信回复') }),
      await app.call('sms/report', { sends: id('短信发送'), replies: id('短信回复') }),
      await app.call('datasets/query', { sql: 'SELECT * FROM ' + contacts.id + ' LIMIT 50' }).catch(() => null),
    ];
    const { jobId: rfm } = await app.call('segments/rfm', { datasetId: id('订单') });
    await app.ctx.jobs.wait(rfm);
    answers.push(await app.call('jobs/list', {}));
    const text = JSON.stringify(answers) + events.join('\n');
    const leaked = phones.filter((p) => text.includes(p));
    expect(leaked).toEqual([]);
    // Masked values are still there (the screens show 138****1234, not nothing).
    expect(JSON.stringify(answers[0])).toMatch(/1[3-9]\d\*{4}\d{4}/);
    // Names of datasets and workspaces are not personal and stay readable.
    expect(JSON.stringify(await app.call('datasets/list', {}))).toContain('CRM 联系人');
    await app.call('settings/set', { presentationMode: false });
    expect(JSON.stringify(await app.call('datasets/rows', { id: contacts.id, offset: 0, limit: 5 }))).toMatch(/\+861[3-9]\d{9}/);
    await app.close();
  });
});
