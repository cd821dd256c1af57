/** The campaign report on the demo data recovers the planted effects (variant B wins, 20:00 is best). */
import { describe, expect, it } from 'vitest';
import { testApp } from '../../helpers/app';
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
    expect(['成功', 'DELIVRD', '失败', 'UNDELIV', '未知', ''].map(deliveryStatus)).toEqual(['delivered', 'delivered', 'failed', 'failed', 'unknown', 'unknown']);
  });
});

describe('campaign report on the demo workspace', () => {
  it('recovers the planted effects', async () => {
    const app = testApp();
    const { jobId } = await app.call('demo/open', { seed: 42, customers: 3000 });
    await app.ctx.jobs.wait(jobId);
    const ds = await app.call('datasets/list', {});
    const id = (n: string) => ds.find((d) => d.name === n)!.id;
    const r = await app.call('sms/report', { sends: id('短信发送'), replies: id('短信回复'), orders: id('订单') });
    expect(r.campaigns.map((c) => c.campaign).sort()).toEqual(['618大促预热', '会员日', '新品上市']);
    for (const c of r.campaigns) {
      expect(c.sent).toBe(c.delivered + c.failed + c.unknown);
      const [a, b] = c.variants;
      expect(b!.rate).toBeGreaterThan(a!.rate);
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
    const u = await app.call('sms/unsubscribes', { replies: id('短信回复') });
    expect(u.rows.length).toBe(r.totals.unsubscribed);
    expect(u.rows.every((x) => x.phone.startsWith('+86'))).toBe(true);
    await app.close();
  });
});
