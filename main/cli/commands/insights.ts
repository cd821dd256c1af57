/** `segmint lifecycle|geo|journeys|nps` — lifecycle stages, geography, journeys, satisfaction (issue #11). */
import { resolveDataset } from '../../services/datasets';
import type { Stage } from '../../../shared/api/insights';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';

const ds = (c: CliContext, flag: string) => {
  const v = c.flag(flag);
  return v === undefined ? undefined : resolveDataset(c.app.ctx.requireSession().db, v).id;
};
const need = (c: CliContext, flag: string, cmd: string) => {
  const v = ds(c, flag);
  if (!v) throw new UsageError(`${cmd} needs --${flag} D`);
  return v;
};
function int(c: CliContext, flag: string, min: number, max: number): number | undefined {
  const v = c.flag(flag);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
  return n;
}
function oneOf<T extends string>(c: CliContext, flag: string, values: readonly T[]): T | undefined {
  const v = c.flag(flag);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw new UsageError(`--${flag} must be one of ${values.join(', ')}`);
  return v as T;
}
function date(c: CliContext, flag: string): string | undefined {
  const v = c.flag(flag);
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`--${flag} looks like 2024-06-30`);
  return v;
}
const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

const lifecycle: CliCommand = {
  name: 'lifecycle',
  usage: 'segmint lifecycle --dataset D [--customers D] [--as-of DATE] [--compare-to DATE] [--months 12] [--segment STAGE[,STAGE…]] --workspace PATH [--out FILE] [--json]',
  summary: 'Lifecycle stages as of a date (prospect … won back) with actions, monthly trend and transitions; --segment saves stages as a rule segment',
  workspace: 'required',
  async run(c) {
    const datasetId = need(c, 'dataset', 'lifecycle');
    const customersDataset = ds(c, 'customers');
    const asOf = date(c, 'as-of');
    const seg = c.flag('segment');
    const stages = seg?.split(',').map((s) => s.trim()) as Stage[] | undefined;
    const { STAGES } = await import('../../../shared/api/insights'); // loaded by the command that uses it (CLI start-up)
    if (stages?.some((s) => !STAGES.includes(s))) throw new UsageError(`--segment takes stages from ${STAGES.join(', ')}`);
    const r = await c.call('insights/lifecycle', { datasetId, customersDataset, asOf, compareTo: date(c, 'compare-to'), months: int(c, 'months', 2, 60) ?? 12 });
    const saved = stages ? await c.call('insights/lifecycle/segment', { datasetId, customersDataset, asOf: r.asOf, stages }) : null;
    const out = await c.writeTable(['stage', 'name_zh', 'name_en', 'customers', 'share', 'median_days_since_last', 'action_zh', 'action_en'], r.stages.map((s) => [s.stage, s.zh, s.en, s.count, +s.share.toFixed(4), s.medianDaysSinceLast, s.actionZh, s.actionEn]));
    c.output(
      { asOf: r.asOf, compareTo: r.compareTo, customers: r.customers, stages: r.stages, reasons: r.reasons, transitions: { from: r.transitions.from, to: r.transitions.to, states: r.transitions.states, counts: r.transitions.counts }, trend: r.trend, skippedRows: r.skippedRows, segment: saved && { segmentationId: saved.segmentation.id, name: saved.segmentation.name, members: saved.members, stageDataset: saved.stageDataset }, out },
      () =>
        [
          `${r.customers} customers as of ${r.asOf}:`,
          ...r.stages.map((s) => `  ${(c.lang === 'zh' ? s.zh : s.en).padEnd(10)} ${String(s.count).padStart(7)}  ${pct(s.share).padStart(6)}  ${c.lang === 'zh' ? s.actionZh : s.actionEn}`),
          saved ? `segment "${saved.segmentation.name}" saved: ${saved.members} customers (${saved.segmentation.id})` : '',
          out ? `→ ${out}` : '',
        ].filter(Boolean).join('\n'),
    );
  },
};

const geo: CliCommand = {
  name: 'geo',
  usage: 'segmint geo --dataset D [--by province|city] [--province P] [--measure customers|revenue|response] [--orders D] [--sends D] [--receipts D] [--window 7d] [--segmentation ID] [--min-count 30] --workspace PATH [--out FILE] [--json]',
  summary: 'Customers, revenue or SMS response per province (or city within a province), from a region column or phone numbers',
  workspace: 'required',
  async run(c) {
    const w = /^(\d+(?:\.\d+)?)d?$/.exec(c.flag('window') ?? '7d');
    if (!w) throw new UsageError('--window looks like 7d');
    const by = oneOf(c, 'by', ['province', 'city'] as const) ?? 'province';
    const r = await c.call('insights/geo', {
      datasetId: need(c, 'dataset', 'geo'),
      by,
      province: c.flag('province'),
      measure: oneOf(c, 'measure', ['customers', 'revenue', 'response'] as const) ?? 'customers',
      orders: ds(c, 'orders'),
      sends: ds(c, 'sends'),
      receipts: ds(c, 'receipts'),
      windowDays: Number(w[1]),
      segmentationId: c.flag('segmentation'),
      minCount: int(c, 'min-count', 1, 100_000) ?? 30,
    });
    const rate = r.measure === 'response';
    const rows = r.rows.filter((x) => x.value !== 0 || x.customers > 0);
    const out = await c.writeTable(
      ['rank', 'code', 'name', 'english', 'customers', 'value', 'share', ...(rate ? ['sent', 'responded', 'ci_low', 'ci_high'] : [])],
      rows.map((x) => [x.rank, x.code, x.name, x.english, x.customers, +x.value.toFixed(4), +x.share.toFixed(4), ...(rate ? [x.sent, x.responded, +x.ci![0].toFixed(4), +x.ci![1].toFixed(4)] : [])]),
    );
    c.output({ measure: r.measure, by: r.by, province: r.province, source: r.source, regionColumn: r.regionColumn, rows, unknown: r.unknown, unknownValues: r.unknownValues, total: r.total, out }, () =>
      [
        `${r.measure} by ${r.by}${r.province ? ` in ${r.province.name}` : ''} (place from ${r.source === 'phone' ? 'phone numbers' : `column ${r.regionColumn}`}):`,
        ...rows.slice(0, 40).map((x) => `  ${String(x.rank ?? '-').padStart(3)}  ${x.name.padEnd(8)} ${rate ? `${pct(x.value)} of ${x.sent} (95% CI ${pct(x.ci![0])}–${pct(x.ci![1])})` : x.value.toLocaleString('en')}`),
        `unknown place: ${r.unknown}${r.unknownValues.length ? ` (${r.unknownValues.slice(0, 5).map((u) => `${u.value || '(blank)'}×${u.count}`).join(', ')})` : ''}`,
        out ? `→ ${out}` : '',
      ].filter(Boolean).join('\n'),
    );
  },
};

const journeys: CliCommand = {
  name: 'journeys',
  usage: 'segmint journeys --touches D --orders D [--lookback 30] [--collapse] [--by channel|campaign] [--top 20] [--min-paths 20] --workspace PATH [--out FILE] [--json]',
  summary: 'Touch paths before purchases: top paths with conversion rates, step timings, attribution (5 models) by channel and campaign',
  workspace: 'required',
  booleanFlags: ['collapse'],
  async run(c) {
    const r = await c.call('insights/journeys', {
      touches: need(c, 'touches', 'journeys'),
      orders: need(c, 'orders', 'journeys'),
      lookbackDays: int(c, 'lookback', 1, 365) ?? 30,
      collapseRepeats: c.bool('collapse'),
      by: oneOf(c, 'by', ['channel', 'campaign'] as const) ?? 'channel',
      top: int(c, 'top', 1, 200) ?? 20,
      minPaths: int(c, 'min-paths', 1, 100_000) ?? 20,
      halfLifeDays: 7,
    });
    const out = await c.writeTable(['path', 'steps', 'paths', 'conversions', 'conversion_rate', 'ci_low', 'ci_high', 'value'], r.topPaths.map((p) => [p.key, p.steps.length, p.paths, p.conversions, +p.conversionRate.toFixed(4), +p.ci[0].toFixed(4), +p.ci[1].toFixed(4), p.value]));
    const { sankey: _s, ...rest } = r;
    c.output({ ...rest, out }, () =>
      [
        `${r.touches} touches, ${r.purchases} purchases, ${r.paths} paths (${r.direct.purchases} purchases without a touch in ${r.lookbackDays} days)`,
        'top paths:',
        ...r.topPaths.slice(0, 10).map((p) => `  ${p.key.padEnd(28)} ${String(p.paths).padStart(6)} paths  ${pct(p.conversionRate)} converted`),
        'best converting (≥ min paths):',
        ...r.bestPaths.slice(0, 5).map((p) => `  ${p.key.padEnd(28)} ${pct(p.conversionRate)} (95% CI ${pct(p.ci[0])}–${pct(p.ci[1])}, ${p.paths} paths)`),
        `last touch → purchase: median ${r.timings.lastTouchToPurchase.medianDays ?? '—'} days`,
        'attribution by channel (value): ' + r.attribution.models.map((m) => m.model).join(' / '),
        ...r.attribution.byChannel.map((ch) => `  ${ch.name.padEnd(8)} ${r.attribution.models.map((m) => Math.round(ch.credits[m.model]!.value)).join(' / ')}`),
        out ? `→ ${out}` : '',
      ].filter(Boolean).join('\n'),
    );
  },
};

const npsCmd: CliCommand = {
  name: 'nps',
  usage: 'segmint nps --dataset D [--by COL] [--scale nps|csat] [--orders D] [--horizon 90] [--nps-column C] [--csat-column C] [--comment-column C] --workspace PATH [--out FILE] [--json]',
  summary: 'NPS and CSAT with intervals, by group and month, comment themes, and churn/spend after the answer',
  workspace: 'required',
  async run(c) {
    const r = await c.call('insights/satisfaction', {
      datasetId: need(c, 'dataset', 'nps'),
      scale: oneOf(c, 'scale', ['nps', 'csat'] as const) ?? 'nps',
      by: c.flag('by'),
      npsColumn: c.flag('nps-column'),
      csatColumn: c.flag('csat-column'),
      commentColumn: c.flag('comment-column'),
      orders: ds(c, 'orders'),
      horizonDays: int(c, 'horizon', 7, 730) ?? 90,
      csatMin: 1,
      csatMax: 5,
      satisfiedFrom: 4,
    });
    const table = r.byGroup.length ? r.byGroup.map((g) => ({ key: g.group, ...g })) : r.byMonth.map((m) => ({ key: m.month, ...m }));
    const out = await c.writeTable(
      [r.byGroup.length ? 'group' : 'month', 'answers', 'nps', 'nps_ci_low', 'nps_ci_high', 'promoters', 'passives', 'detractors', 'csat', 'csat_ci_low', 'csat_ci_high'],
      table.map((g) => [g.key, g.nps?.n ?? g.csat?.n ?? 0, g.nps?.nps ?? null, g.nps?.ci?.[0] ?? null, g.nps?.ci?.[1] ?? null, g.nps?.promoters ?? null, g.nps?.passives ?? null, g.nps?.detractors ?? null, g.csat?.csat ?? null, g.csat?.ci?.[0] ?? null, g.csat?.ci?.[1] ?? null]),
    );
    c.output({ ...r, out }, () =>
      [
        r.nps ? `NPS ${r.nps.nps} (95% CI ${r.nps.ci?.[0]}–${r.nps.ci?.[1]}), n = ${r.nps.n}: ${r.nps.promoters} promoters, ${r.nps.passives} passives, ${r.nps.detractors} detractors` : '',
        r.csat ? `CSAT ${pct(r.csat.csat)} (95% CI ${pct(r.csat.ci?.[0])}–${pct(r.csat.ci?.[1])}), mean ${r.csat.mean}` : '',
        ...r.byGroup.map((g) => `  ${g.group.padEnd(10)} NPS ${g.nps?.nps ?? '—'}  CSAT ${pct(g.csat?.csat)}  n=${g.nps?.n ?? g.csat?.n}`),
        r.themes ? `complaints: ${r.themes.complaints.slice(0, 8).map((t) => `${t.term}(${t.count})`).join(' ')}` : '',
        r.outcome?.comparison
          ? `${r.outcome.horizonDays} days after answering: ${r.outcome.comparison.a} churn ${pct(r.outcome.comparison.churn.rateA)} vs ${r.outcome.comparison.b} ${pct(r.outcome.comparison.churn.rateB)} (p ${r.outcome.comparison.churn.p < 1e-4 ? '< 0.0001' : `= ${r.outcome.comparison.churn.p.toPrecision(2)}`}); spend ${r.outcome.comparison.spend.meanA.toFixed(0)} vs ${r.outcome.comparison.spend.meanB.toFixed(0)} (association, not an effect)`
          : '',
        out ? `→ ${out}` : '',
      ].filter(Boolean).join('\n'),
    );
  },
};

export const insightsCommands: CliCommand[] = [lifecycle, geo, journeys, npsCmd];
