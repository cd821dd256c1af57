/** `segmint sms report|unsubscribes|rules|suppression|monitor` — campaign analytics (issue #8). */
import { readFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { resolveDataset } from '../../services/datasets';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

const id = (c: CliContext, flag: string) => {
  const v = c.flag(flag);
  return v === undefined ? undefined : resolveDataset(c.app.ctx.requireSession().db, v).id;
};

const report: CliCommand = {
  name: 'sms report',
  usage: 'segmint sms report --sends D [--replies D] [--clicks D] [--receipts D] [--orders D] [--window 7d] --workspace PATH [--out FILE] [--json]',
  summary: 'Campaign funnel, unsubscribes, cost and ROI, A/B per variant, best send time',
  workspace: 'required',
  async run(c) {
    const sends = id(c, 'sends');
    if (!sends) throw new UsageError('sms report needs --sends D');
    const w = /^(\d+(?:\.\d+)?)d?$/.exec(c.flag('window') ?? '7d');
    if (!w) throw new UsageError('--window looks like 7d');
    const r = await c.call('sms/report', { sends, replies: id(c, 'replies'), clicks: id(c, 'clicks'), receipts: id(c, 'receipts'), orders: id(c, 'orders'), windowDays: Number(w[1]) });
    await c.writeTable(
      ['campaign', 'variant', 'sent', 'delivered', 'clicked', 'replied', 'converted', 'rate'],
      r.campaigns.flatMap((x) => x.variants.map((v) => [x.campaign, v.variant, v.sent, v.delivered, v.clicked, v.replied, v.converted, v.rate])),
    );
    c.output(
      {
        campaigns: r.campaigns,
        totals: r.totals,
        // The weekday × hour grid (0 = Monday), only cells with sends.
        grid: r.grid.filter((g) => g.n > 0),
        bestCell: r.bestCell,
        bestSlot: r.bestSlot,
        length: r.campaigns.map((x) => ({ campaign: x.campaign, ...x.length })),
        definitions: r.definitions,
      },
      () =>
        [
          ...r.campaigns.map((x) => `${x.campaign}: sent ${x.sent}, delivered ${x.delivered}, clicked ${x.clicked}, replied ${x.replied}, converted ${x.converted}, unsubscribed ${x.unsubscribed}, cost ${x.cost}, ROI ${x.roi === null ? '—' : x.roi.toFixed(2)}${x.refunded ? `, refunded ${x.refunded} (${x.refundedRevenue})` : ''}${x.length ? `, ${x.length.encoding} ${x.length.typicalSegments} part(s), ${x.length.spilled} spilled` : ''}${x.abTest ? `\n  ${c.lang === 'zh' ? x.abTest.tests[0]!.verdictZh : x.abTest.tests[0]!.verdictEn}` : ''}`),
          r.bestCell ? (c.lang === 'zh' ? r.bestCell.recommendationZh : r.bestCell.recommendationEn) : '',
          r.bestSlot ? `best send window: ${r.bestSlot.startHour}:00–${r.bestSlot.endHour}:00 (${(r.bestSlot.rate * 100).toFixed(1)}%, 95% CI ${(r.bestSlot.lower * 100).toFixed(1)}–${(r.bestSlot.upper * 100).toFixed(1)}%)` : '',
          c.lang === 'zh' ? r.definitions.attributionZh : r.definitions.attributionEn,
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
    const out = await c.writeTable(['phone', 'reply_time', 'text', 'rule'], r.rows.map((x) => [x.phone, x.time, x.text, x.rule]));
    c.output({ count: r.rows.length, rows: out ? undefined : r.rows, out }, () => `${r.rows.length} unsubscribes${out ? ` → ${out}` : ''}`);
  },
};

const rules: CliCommand = {
  name: 'sms rules',
  usage: 'segmint sms rules --workspace PATH [--set RULES.json | --reset] [--json]',
  summary: 'Show or replace the unsubscribe rules ([{"kind":"exact|contains|regex","pattern":"…"}])',
  workspace: 'required',
  booleanFlags: ['reset'],
  async run(c) {
    const file = c.flag('set');
    let r;
    if (file) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new AppError('bad_rules', `Cannot read rules ${file}: ${(e as Error).message}`, `无法读取规则文件 ${file}：${(e as Error).message}`);
      }
      r = await c.call('sms/rules/set', { rules: parsed as never });
    } else if (c.bool('reset')) r = await c.call('sms/rules/set', { rules: null });
    else r = await c.call('sms/rules/get', {});
    c.output(r, () => `${r.isDefault ? 'built-in rules' : 'workspace rules'}:\n${r.rules.map((x) => `  ${x.kind}\t${x.pattern}`).join('\n')}`);
  },
};

const suppression: CliCommand = {
  name: 'sms suppression',
  usage: 'segmint sms suppression (list | sync --replies D | add PHONE… | remove PHONE…) --workspace PATH [--out FILE] [--json]',
  summary: 'The suppression list that exports honour: list it, fill it from unsubscribe replies, add or remove phones',
  workspace: 'required',
  async run(c) {
    const [action = 'list', ...phones] = c.args.positional;
    if (action === 'sync') {
      const replies = id(c, 'replies');
      if (!replies) throw new UsageError('sms suppression sync needs --replies D');
      const r = await c.call('sms/suppression/sync', { replies });
      return c.output(r, () => `${r.detected} unsubscribe replies → ${r.added} phones added (${r.already} already listed)`);
    }
    if (action === 'add' || action === 'remove') {
      if (!phones.length) throw new UsageError(`sms suppression ${action} needs at least one phone`);
      const r = action === 'add' ? await c.call('sms/suppression/add', { phones, reason: 'manual' }) : await c.call('sms/suppression/remove', { phones });
      return c.output(r, () => JSON.stringify(r));
    }
    if (action !== 'list') throw new UsageError(`unknown action "${action}" (list, sync, add, remove)`);
    const all = await c.call('sms/suppression/list', { limit: 1000, offset: 0 });
    const out = await c.writeTable(['phone', 'reason', 'source', 'detail', 'added_at'], all.rows.map((x) => [x.phone, x.reason, x.source, x.detail, x.addedAt]));
    c.output({ total: all.total, rows: out ? undefined : all.rows, out }, () => `${all.total} suppressed phones${out ? ` → ${out}` : ''}\n${all.rows.slice(0, 20).map((x) => `  ${x.phone}\t${x.reason}`).join('\n')}`);
  },
};

const monitor: CliCommand = {
  name: 'sms monitor',
  usage: 'segmint sms monitor --workspace PATH [--sends D [--replies D] [--clicks D] [--receipts D] --name N [--min-delivery 0.9] [--max-unsubscribe 0.02]] [--json]',
  summary: 'KPIs per appended batch of result files and threshold alerts; with --sends, create a monitor first',
  workspace: 'required',
  async run(c) {
    const sends = id(c, 'sends');
    if (sends) {
      const n = (f: string) => (c.flag(f) === undefined ? undefined : Number(c.flag(f)));
      await c.call('sms/monitor/save', { name: c.flag('name') ?? 'monitor', sends, replies: id(c, 'replies'), clicks: id(c, 'clicks'), receipts: id(c, 'receipts'), thresholds: { ...(n('min-delivery') !== undefined && { deliveryRateMin: n('min-delivery')! }), ...(n('max-unsubscribe') !== undefined && { unsubscribeRateMax: n('max-unsubscribe')! }) } });
    }
    const r = await c.call('sms/monitors', {});
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
    c.output(r, () =>
      r.monitors
        .map((m) => [`${m.name} (${m.id})`, ...m.trend.map((t) => `  batch ${t.batch} ${t.importedAt.slice(0, 16)}  sent ${t.kpis.sent}  delivered ${pct(t.kpis.deliveryRate)}  clicked ${pct(t.kpis.clickRate)}  replied ${pct(t.kpis.replyRate)}  unsubscribed ${pct(t.kpis.unsubscribeRate)}`), ...m.alerts.filter((a) => !a.acknowledged).map((a) => `  ALERT batch ${a.batch}: ${a.kpi} ${pct(a.value)} (threshold ${pct(a.threshold)})`)].join('\n'))
        .join('\n') || '(no monitors)',
    );
  },
};

const sampleSizeCmd: CliCommand = {
  name: 'sms sample-size',
  usage: 'segmint sms sample-size --p1 0.10 --p2 0.12 [--alpha 0.05] [--power 0.8] [--n N] [--json]',
  summary: 'A/B planner: customers per variant to detect p1 vs p2 (two-sided z-test), power at a given n',
  workspace: 'none',
  async run(c) {
    const f = (k: string) => (c.flag(k) === undefined ? undefined : Number(c.flag(k)));
    if (f('p1') === undefined || f('p2') === undefined) throw new UsageError('sms sample-size needs --p1 and --p2 (rates between 0 and 1)');
    const r = await c.call('sms/sample-size', { p1: f('p1')!, p2: f('p2')!, ...(f('alpha') !== undefined && { alpha: f('alpha') }), ...(f('power') !== undefined && { power: f('power') }), ...(f('n') !== undefined && { n: f('n') }) });
    c.output(r, () => `${r.perVariant} per variant (${r.total} in all)${r.powerAtN !== null ? `; power at n=${f('n')}: ${(r.powerAtN * 100).toFixed(1)}%` : ''}`);
  },
};

export const smsCommands: CliCommand[] = [report, unsub, rules, suppression, monitor, sampleSizeCmd];
