/**
 * Cross-channel journeys from a touches dataset (customer, time, channel, optional campaign) and an
 * orders dataset (customer, time, amount), joined by customer id when both have one, else phone.
 * The path rules are analysis/journey's: each paid order (amount > 0) closes the path of touches
 * since the previous order within the lookback; orders without touches are "direct" and reported
 * apart (not in the path ranking, not credited to a channel); touches after the last order are one
 * non-converting path.
 */
import { AppError } from '../../../shared/errors';
import type { JourneyResult } from '../../../shared/api/insights';
import { qid, type DB } from '../../db/open';
import { getDataset } from '../datasets';
import { timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { commonPaths, DIRECT_KEY, extractPaths, journeySankey, stepTimings, type JourneyEvent } from '../../analysis/journey/paths';
import { attribute, ATTRIBUTION_MODELS, ATTRIBUTION_MODEL_LABELS } from '../../analysis/journey/attribution';
import { wilson } from '../../kernel/intervals';
import { customerKey, needRole, num } from './common';
import { customerKeyed, ensureIdentity } from '../identity/index';
import { eachRowWhereTheDataIs, eventSql } from '../identity/events';

export async function journeys(
  db: DB,
  a: { touches: string; orders: string; lookbackDays: number; collapseRepeats: boolean; by: 'channel' | 'campaign'; top: number; minPaths: number; halfLifeDays: number; lang?: 'zh' | 'en' },
): Promise<JourneyResult> {
  const ti = getDataset(db, a.touches);
  const oi = getDataset(db, a.orders);
  if (ti.id === oi.id) throw new AppError('same_dataset', 'Touches and orders must be two different datasets.', '触点和订单必须是两个不同的数据集。');
  if (!customerKey(ti) || !customerKey(oi)) throw new AppError('cannot_join', `"${ti.name}" and "${oi.name}" both need a customer id, phone or e-mail column.`, `“${ti.name}”和“${oi.name}”都需要客户ID、手机号或邮箱列。`);
  // touches and orders meet on the identity layer's customer key (a touch by phone meets an order by member id)
  ensureIdentity(db);
  const tt = needRole(ti, 'timestamp');
  const tc = needRole(ti, 'channel');
  const tcamp = roleColumn(ti, 'campaign');
  const ot = needRole(oi, 'timestamp');
  const oa = needRole(oi, 'amount');

  const events = new Map<string, JourneyEvent[]>();
  const push = (k: string, e: JourneyEvent) => (events.get(k) ?? events.set(k, []).get(k)!).push(e);
  let touches = 0;
  let skipped = 0;
  // each dataset read where its rows live (the workspace or DuckDB), in row order, keyed through the maps
  const touchSql = () => {
    const tk = customerKeyed(db, ti);
    return `SELECT ${tk.key}, t.${qid(tt)}, CAST(t.${qid(tc)} AS TEXT), ${tcamp ? `CAST(t.${qid(tcamp)} AS TEXT)` : 'NULL'} FROM ${tk.from} ORDER BY t._row`;
  };
  await eachRowWhereTheDataIs(db, ti.id, touchSql, (r) => {
    const [k, t, ch, camp] = r as [string | null, string | null, string | null, string | null];
    const time = t ? timeMs(t) : NaN;
    if (!k || !ch || !Number.isFinite(time)) {
      skipped++;
      return;
    }
    touches++;
    push(k, { time, channel: ch.trim(), campaign: camp?.trim() || null, type: 'touch' });
  });
  if (!touches) throw new AppError('no_touches', `"${ti.name}" has no touches with a customer, a time and a channel.`, `“${ti.name}”没有包含客户、时间和渠道的触点记录。`);
  let purchases = 0;
  const orderSql = () => {
    const ok = customerKeyed(db, oi);
    const status = eventSql(db, oi).status;
    return `SELECT ${ok.key}, t.${qid(ot)}, t.${qid(oa)} FROM ${ok.from} WHERE t.${qid(oa)} > 0 AND ${status} = 'valid' ORDER BY t._row`;
  };
  await eachRowWhereTheDataIs(db, oi.id, orderSql, (r) => {
    const [k, t, v] = r as [string | null, string | null, number];
    const time = t ? timeMs(t) : NaN;
    if (!k || !Number.isFinite(time)) return;
    purchases++;
    push(k, { time, channel: '', type: 'purchase', value: v });
  });

  const paths = extractPaths(events, { lookbackDays: a.lookbackDays, collapseRepeats: a.collapseRepeats, by: a.by });
  const stats = commonPaths(paths, { by: a.by });
  const direct = stats.find((s) => s.key === DIRECT_KEY);
  const withCi = (s: (typeof stats)[number]) => ({ key: s.key, steps: s.steps, paths: s.paths, conversions: s.conversions, conversionRate: s.conversionRate, ci: wilson(s.conversions, s.paths), value: Math.round(s.value * 100) / 100 });
  const touched = stats.filter((s) => s.key !== DIRECT_KEY);
  const attr = attribute(paths, { halfLifeDays: a.halfLifeDays });
  const names = (pick: 'byChannel' | 'byCampaign') => {
    const all = new Set<string>();
    for (const m of ATTRIBUTION_MODELS) Object.keys(attr.models[m][pick]).forEach((k) => all.add(k));
    return [...all]
      .map((name) => ({ name, credits: Object.fromEntries(ATTRIBUTION_MODELS.map((m) => { const c = attr.models[m][pick][name]; return [m, { value: Math.round((c?.value ?? 0) * 100) / 100, conversions: num(c?.conversions ?? 0, 3)! }]; })) }))
      .sort((x, y) => y.credits.linear!.value - x.credits.linear!.value);
  };
  const gap = (g: { n: number; medianDays: number; p90Days: number }) => ({ n: g.n, medianDays: num(g.medianDays, 2), p90Days: num(g.p90Days, 2) });
  const tm = stepTimings(paths);
  return {
    lookbackDays: a.lookbackDays,
    collapseRepeats: a.collapseRepeats,
    by: a.by,
    customers: events.size,
    touches,
    purchases,
    paths: paths.length,
    convertingPaths: paths.filter((p) => p.converted).length,
    direct: { purchases: direct?.conversions ?? 0, value: Math.round((direct?.value ?? 0) * 100) / 100 },
    topPaths: touched.slice(0, a.top).map(withCi),
    bestPaths: touched
      .filter((s) => s.paths >= a.minPaths)
      .sort((x, y) => y.conversionRate - x.conversionRate || y.paths - x.paths)
      .slice(0, a.top)
      .map(withCi),
    sankey: journeySankey(paths, { by: a.by, lang: a.lang ?? 'zh' }),
    timings: { byStep: tm.byStep.map((s) => ({ from: s.from, to: s.to, ...gap(s) })), betweenSteps: gap(tm.betweenSteps), lastTouchToPurchase: gap(tm.lastTouchToPurchase), firstTouchToPurchase: gap(tm.firstTouchToPurchase) },
    attribution: {
      models: ATTRIBUTION_MODELS.map((m) => ({ model: m, ...ATTRIBUTION_MODEL_LABELS[m] })),
      byChannel: names('byChannel'),
      byCampaign: names('byCampaign'),
      attributedConversions: attr.attributedConversions,
      attributedValue: Math.round(attr.attributedValue * 100) / 100,
      unattributedConversions: attr.unattributedConversions,
      unattributedValue: Math.round(attr.unattributedValue * 100) / 100,
    },
    unmatchedTouches: skipped,
  };
}
