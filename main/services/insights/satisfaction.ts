/**
 * Satisfaction from a survey dataset: NPS (0–10) and CSAT (1–5 by default) overall, by a group
 * column and by calendar month, with intervals (analysis/satisfaction); themes of the comments
 * (jieba tokens without stopwords, lexicon sentiment, keywords per answer category); and the link
 * to later behaviour — churn and spend in the horizon after each answer, from an orders dataset
 * joined by customer id or phone — with detractors vs promoters (or unsatisfied vs satisfied)
 * tested. Columns are found by name when not given: NPS /nps|推荐/, CSAT /csat|满意/, the comment
 * by its message/reply text role or /评论|意见|反馈|comment|feedback/.
 */
import { AppError } from '../../../shared/errors';
import type { CsatSummary, NpsSummary, SatisfactionResult } from '../../../shared/api/insights';
import type { DatasetInfo } from '../../../shared/types';
import { qid, type DB } from '../../db/open';
import { getDataset, rowsWhereTheDataIs } from '../datasets';
import { timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { byGroup, byMonth, csat, nps, npsCategory, type CsatResult, type NpsResult } from '../../analysis/satisfaction/scores';
import { compareOutcome, laterBehaviour, type SurveyAnswer } from '../../analysis/satisfaction/outcome';
import { createTokenizer } from '../../analysis/text/tokenize';
import { removeStopwords } from '../../analysis/text/stopwords';
import { keywordsByGroup, termCounts, top } from '../../analysis/text/keywords';
import { sentimentBatch } from '../../analysis/text/sentiment';
import { customerKey, needColumn, NUMERIC_TYPES, num } from './common';
import { eachRowWhereTheDataIs, purchaseSql } from '../identity/events';
import { customerKeyed } from '../identity/index';

function findColumn(info: DatasetInfo, given: string | undefined, pattern: RegExp, numeric: boolean): string | null {
  if (given) {
    needColumn(info, given);
    const c = info.columns.find((x) => x.name === given)!;
    if (numeric && !NUMERIC_TYPES.has(c.type)) throw new AppError('not_numeric', `Column "${given}" is not numeric.`, `列“${given}”不是数值列。`);
    return given;
  }
  return info.columns.find((c) => pattern.test(c.name) && (!numeric || NUMERIC_TYPES.has(c.type)))?.name ?? null;
}

const npsOut = (r: NpsResult): NpsSummary => ({ n: r.n, promoters: r.promoters, passives: r.passives, detractors: r.detractors, nps: num(r.nps, 2), se: num(r.se, 3), ci: r.n ? [num(r.ci[0], 2)!, num(r.ci[1], 2)!] : null });
const csatOut = (r: CsatResult): CsatSummary => ({ n: r.n, satisfied: r.satisfied, csat: num(r.csat), ci: r.n ? [num(r.ci[0])!, num(r.ci[1])!] : null, mean: num(r.mean, 3) });

export async function satisfaction(
  db: DB,
  a: { datasetId: string; scale: 'nps' | 'csat'; by?: string; npsColumn?: string; csatColumn?: string; commentColumn?: string; csatMin: number; csatMax: number; satisfiedFrom: number; orders?: string; horizonDays: number },
): Promise<SatisfactionResult> {
  const info = getDataset(db, a.datasetId);
  if (!(a.csatMin < a.satisfiedFrom && a.satisfiedFrom <= a.csatMax)) throw new AppError('bad_scale', `CSAT needs min < satisfied-from ≤ max (got ${a.csatMin}, ${a.satisfiedFrom}, ${a.csatMax}).`, `CSAT 需要 最小值 < 满意起点 ≤ 最大值（当前为 ${a.csatMin}、${a.satisfiedFrom}、${a.csatMax}）。`);
  const npsCol = findColumn(info, a.npsColumn, /nps|推荐/i, true);
  const csatCol = findColumn(info, a.csatColumn, /csat|满意/i, true);
  const comment = a.commentColumn ? needColumn(info, a.commentColumn) : (roleColumn(info, 'reply_text', 'message_text') ?? info.columns.find((c) => /评论|意见|反馈|留言|comment|feedback/i.test(c.name))?.name ?? null);
  const timeCol = roleColumn(info, 'timestamp');
  const by = a.by ? needColumn(info, a.by) : null;
  const main = a.scale === 'nps' ? npsCol : csatCol;
  if (!main)
    throw new AppError('no_score', a.scale === 'nps' ? `Dataset "${info.name}" has no numeric NPS column (0–10); name it with "NPS" or "推荐", or choose it.` : `Dataset "${info.name}" has no numeric CSAT column; name it with "CSAT" or "满意", or choose it.`, a.scale === 'nps' ? `数据集“${info.name}”没有数值型的 NPS 列（0–10）：列名含“NPS”或“推荐”，或手动指定。` : `数据集“${info.name}”没有数值型的 CSAT 列：列名含“CSAT”或“满意”，或手动指定。`);

  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  const col = (c: string | null, text = false) => (c ? (text ? `CAST(${qid(c)} AS TEXT)` : qid(c)) : 'NULL');
  const rows = (await rowsWhereTheDataIs(db, info, `SELECT ${col(npsCol)}, ${col(csatCol)}, ${col(comment, true)}, ${col(timeCol)}, ${col(by, true)}, ${col(key, true)} FROM ${qid(info.id)} ORDER BY _row`)) as [number | null, number | null, string | null, string | null, string | null, string | null][];
  const npsScores = rows.map((r) => r[0]);
  const csatScores = rows.map((r) => r[1]);
  const csatOpts = { min: a.csatMin, max: a.csatMax, satisfiedFrom: a.satisfiedFrom };
  const overallNps = npsCol ? nps(npsScores) : null;
  const overallCsat = csatCol ? csat(csatScores, csatOpts) : null;
  const mainScores = a.scale === 'nps' ? npsScores : csatScores;
  const valid = (s: number | null | undefined) => (a.scale === 'nps' ? npsCategory(s) !== null : typeof s === 'number' && s >= a.csatMin && s <= a.csatMax);
  const both = (idx: number[]) => ({ nps: npsCol ? npsOut(nps(idx.map((i) => npsScores[i]))) : null, csat: csatCol ? csatOut(csat(idx.map((i) => csatScores[i]), csatOpts)) : null });
  const all = rows.map((_, i) => i);

  const groups = by ? byGroup(all, rows.map((r) => r[4]?.trim() || '—'), (idx) => both(idx as number[])) : [];
  const times = rows.map((r) => (r[3] ? timeMs(r[3]) : NaN));
  const months = timeCol ? byMonth(all, times, (idx) => both(idx as number[])) : [];

  // Themes of the comments.
  let themes: SatisfactionResult['themes'] = null;
  if (comment) {
    const withText = all.filter((i) => (rows[i]![2] ?? '').trim());
    const texts = withText.map((i) => rows[i]![2]!.trim());
    const tok = createTokenizer();
    const docs = texts.map((t) => removeStopwords(tok.tokenize(t)).filter((w) => w.length > 1 || /[\u3400-\u9fff]/.test(w)));
    const sent = sentimentBatch(texts);
    const pick = (label: string) => docs.filter((_, j) => sent[j]!.label === label);
    const category = (i: number) => {
      if (a.scale === 'nps') return npsCategory(npsScores[i]) ?? '—';
      const s = csatScores[i];
      return typeof s === 'number' ? (s >= a.satisfiedFrom ? 'satisfied' : 'unsatisfied') : '—';
    };
    const counts = { positive: 0, neutral: 0, negative: 0 };
    for (const s of sent) counts[s.label]++;
    themes = {
      comments: texts.length,
      sentiment: counts,
      complaints: top(termCounts(pick('negative')), 15),
      praise: top(termCounts(pick('positive')), 15),
      byCategory: keywordsByGroup(docs, withText.map(category), 10),
      examples: withText.slice(0, 400).filter((_, j) => sent[j]!.label === 'negative').slice(0, 8).map((i) => ({ text: rows[i]![2]!.trim(), score: mainScores[i] ?? null, sentiment: 'negative' })),
    };
  }

  // Later behaviour.
  let outcome: SatisfactionResult['outcome'] = null;
  if (a.orders) {
    if (!timeCol) throw new AppError('missing_role', `Survey "${info.name}" needs an answer time (timestamp role) to look at later purchases.`, `调查数据集“${info.name}”需要答卷时间（时间角色）列，才能关联之后的购买。`);
    const oi = getDataset(db, a.orders);
    const ot = roleColumn(oi, 'timestamp');
    const oa = roleColumn(oi, 'amount');
    if (!customerKey(info) || !customerKey(oi) || !ot || !oa) throw new AppError('cannot_join', `Orders "${oi.name}" need a time, an amount and a customer id, phone or e-mail, and the survey "${info.name}" a customer id, phone or e-mail.`, `订单“${oi.name}”需要时间、金额和客户ID、手机号或邮箱列，调查“${info.name}”也需要客户ID、手机号或邮箱列。`);
    // answers and later orders meet on the identity layer's customer key; only valid orders are purchases
    // each read where its rows are, keyed through the identity maps (the SQL is built once they are in force)
    const purchases: { customer: string; time: number; amount: number }[] = [];
    await eachRowWhereTheDataIs(db, oi.id, () => {
      const p = purchaseSql(db, oi.id);
      return `SELECT ${p.key}, ${p.time}, ${p.amount} FROM ${p.from} WHERE ${p.valid} AND ${p.amount} > 0 ORDER BY t._row`;
    }, (r) => purchases.push({ customer: r[0] as string, time: timeMs(r[1] as string), amount: r[2] as number }));
    const buyers = new Set(purchases.map((x) => x.customer));
    const keyRows: [string | null][] = [];
    await eachRowWhereTheDataIs(db, info.id, () => {
      const k = customerKeyed(db, info);
      return `SELECT ${k.key} FROM ${k.from} ORDER BY t._row`;
    }, (r) => keyRows.push(r as [string | null]));
    const answers: SurveyAnswer[] = [];
    let unmatched = 0;
    all.forEach((i) => {
      const c = keyRows[i]![0];
      const s = mainScores[i];
      if (!valid(s) || !Number.isFinite(times[i]!)) return;
      if (!c || !buyers.has(c)) {
        unmatched++;
        return;
      }
      const group = a.scale === 'nps' ? npsCategory(s)! : s! >= a.satisfiedFrom ? 'satisfied' : 'unsatisfied';
      answers.push({ customer: c, time: times[i]!, group });
    });
    const r = laterBehaviour(answers, purchases, { horizonDays: a.horizonDays });
    const order = a.scale === 'nps' ? ['promoter', 'passive', 'detractor'] : ['satisfied', 'unsatisfied'];
    r.groups.sort((x, y) => order.indexOf(x.group) - order.indexOf(y.group));
    const [ga, gb] = a.scale === 'nps' ? ['detractor', 'promoter'] : ['unsatisfied', 'satisfied'];
    let comparison: NonNullable<SatisfactionResult['outcome']>['comparison'] = null;
    if (r.groups.some((g) => g.group === ga && g.n > 1) && r.groups.some((g) => g.group === gb && g.n > 1)) comparison = compareOutcome(r, ga, gb);
    outcome = {
      horizonDays: r.horizonDays,
      censored: r.censored,
      unmatched,
      groups: r.groups.map((g) => ({ group: g.group, n: g.n, churned: g.churned, churnRate: num(g.churnRate)!, churnCi: [num(g.churnCi[0])!, num(g.churnCi[1])!], meanSpend: num(g.meanSpend, 2) ?? 0, medianSpend: num(g.medianSpend, 2) ?? 0 })),
      comparison,
    };
  }

  return {
    scale: a.scale,
    columns: { nps: npsCol, csat: csatCol, comment, time: timeCol, by },
    answers: rows.length,
    invalid: mainScores.filter((s) => !valid(s)).length,
    nps: overallNps ? npsOut(overallNps) : null,
    csat: overallCsat ? csatOut(overallCsat) : null,
    byGroup: groups.map((g) => ({ group: g.group, ...g.result })),
    byMonth: months.map((m) => ({ month: m.month, ...m.result })),
    themes,
    outcome,
  };
}
