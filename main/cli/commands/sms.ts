/** `segmint sms report`, `segmint sms unsubscribes` — campaign analytics (issue #8, first part). */
import { resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

const id = (c: CliContext, flag: string) => {
  const v = c.flag(flag);
  return v === undefined ? undefined : resolveDataset(c.app.ctx.requireSession().db, v).id;
};

const report: CliCommand = {
  name: 'sms report',
  usage: 'segmint sms report --sends D [--replies D] [--orders D] [--window 7d] --workspace PATH [--out FILE] [--json]',
  summary: 'Campaign funnel, unsubscribes, cost and ROI, A/B per variant, best send time',
  workspace: 'required',
  async run(c) {
    const sends = id(c, 'sends');
    if (!sends) throw new UsageError('sms report needs --sends D');
    const w = /^(\d+(?:\.\d+)?)d?$/.exec(c.flag('window') ?? '7d');
    if (!w) throw new UsageError('--window looks like 7d');
    const r = await c.call('sms/report', { sends, replies: id(c, 'replies'), orders: id(c, 'orders'), windowDays: Number(w[1]) });
    c.writeTable(
      ['campaign', 'variant', 'sent', 'delivered', 'replied', 'converted', 'rate'],
      r.campaigns.flatMap((x) => x.variants.map((v) => [x.campaign, v.variant, v.sent, v.delivered, v.replied, v.converted, v.rate])),
    );
    c.output(
      {
        campaigns: r.campaigns.map((x) => ({ campaign: x.campaign, sent: x.sent, delivered: x.delivered, clicked: null, replied: x.replied, converted: x.converted, unsubscribed: x.unsubscribed, cost: x.cost, revenue: x.revenue, roi: x.roi, variants: x.variants, abTest: x.abTest })),
        totals: r.totals,
        bestSlot: r.bestSlot,
      },
      () =>
        [
          ...r.campaigns.map((x) => `${x.campaign}: sent ${x.sent}, delivered ${x.delivered}, replied ${x.replied}, converted ${x.converted}, unsubscribed ${x.unsubscribed}, cost ${x.cost}, ROI ${x.roi === null ? '—' : x.roi.toFixed(2)}${x.abTest ? `\n  ${c.lang === 'zh' ? x.abTest.tests[0]!.verdictZh : x.abTest.tests[0]!.verdictEn}` : ''}`),
          r.bestSlot ? `best send window: ${r.bestSlot.startHour}:00–${r.bestSlot.endHour}:00 (${(r.bestSlot.rate * 100).toFixed(1)}%, 95% CI ${(r.bestSlot.lower * 100).toFixed(1)}–${(r.bestSlot.upper * 100).toFixed(1)}%)` : '',
        ].join('\n'),
    );
  },
};

const unsub: CliCommand = {
  name: 'sms unsubscribes',
  usage: 'segmint sms unsubscribes --replies D --workspace PATH [--out FILE] [--json]',
  summary: 'Replies that unsubscribe (T, TD, 退订, STOP …)',
  workspace: 'required',
  async run(c) {
    const replies = id(c, 'replies');
    if (!replies) throw new UsageError('sms unsubscribes needs --replies D');
    const r = await c.call('sms/unsubscribes', { replies });
    const out = c.writeTable(['phone', 'reply_time', 'text', 'rule'], r.rows.map((x) => [x.phone, x.time, x.text, x.rule]));
    c.output({ count: r.rows.length, rows: out ? undefined : r.rows, out }, () => `${r.rows.length} unsubscribes${out ? ` → ${out}` : ''}`);
  },
};

export const smsCommands: CliCommand[] = [report, unsub];
