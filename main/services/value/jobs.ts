/** Value & prediction jobs: CLV (BG/NBD + Gamma-Gamma), churn model, basket rules, recommendations. */
import { AppError } from '../../../shared/errors';
import type { ChurnResult, ClvResult, RecommendResult, RulesResult } from '../../../shared/api/value';
import type { DomainJobs, JobContext } from '../../jobs/types';
import type { valueJobs } from '../../../shared/api/value';
import { qid } from '../../db/open';
import { createDerivedDataset, getDataset } from '../datasets';
import { dayText, timeMs } from '../segments/source';
import { roleColumn } from '../datasets/index';
import { CUSTOMER_KEY_COLUMNS, customerNames } from '../identity/index';
import { eachRowWhereTheDataIs, eventSql, purchaseDaySummaries, type PurchaseDays } from '../identity/events';
import { classifySql, statusKindOf } from '../definitions/index';
import { saveSegmentation } from '../segments/store';
import { dayNumber, unitDays, type CustomerSummary, type TimeUnit } from '../../analysis/value/summary';
import { bgnbdPAlive, expectedPurchasesAt, expectedPurchasesBasis, fitBgNbd } from '../../analysis/value/bgnbd';
import { clv as clvDiscounted, expectedAverageValue, fitGammaGamma, independenceCheck, valueDeciles } from '../../analysis/value/gammagamma';
import { applyDesign, buildDesign, coefficients, fitLogistic, predictProba, selectRows, type CellValue } from '../../analysis/value/logistic';
import { fitGradientBoosting, gbmFeatureImportance, predictProbaGbm } from '../../analysis/value/tree';
import { precisionRecallAt, rocCurve, stratifiedSplit } from '../../analysis/value/metrics';
import { associationRules, fpGrowth } from '../../analysis/value/fpgrowth';
import { evaluateRecommendations, fitItemCf, recommendItemCf } from '../../analysis/value/recommend';

const DAY = 86_400_000;

export async function clvJob(job: JobContext, a: { datasetId: string; calibrationEnd?: string; observationEnd?: string; unit: 'weeks' | 'days'; horizonMonths: number; discountMonthly: number; seed: number }): Promise<ClvResult> {
  job.progress(0, 5, 'read');
  // the summary is grouped where the rows are (SQLite or DuckDB): one row per customer reaches JavaScript
  const day = (text: string) => dayNumber(timeMs(text));
  const given = { cal: a.calibrationEnd ? day(a.calibrationEnd) : undefined, obs: a.observationEnd ? day(a.observationEnd) : undefined };
  if (given.cal !== undefined && given.obs !== undefined && given.cal > given.obs) throw badDates();
  const t0 = performance.now();
  const pd = await purchaseDaySummaries(job.db, a.datasetId, { calDay: given.cal ?? given.obs, obsDay: given.obs }, job);
  const summarySeconds = +((performance.now() - t0) / 1000).toFixed(2);
  const info = pd.sql.info;
  job.checkCancel();
  if (pd.linesUsed === 0) throw new AppError('no_rows', 'No transactions to model.', '没有可建模的交易。');
  const obsDay = given.obs ?? pd.maxDay;
  const calDay = given.cal ?? obsDay;
  if (calDay > obsDay) throw badDates();
  const calEnd = calDay * DAY;
  const s = btydSummary(pd, calDay, obsDay, a.unit);
  if (s.customers.length < 4) throw new AppError('no_rows', 'Too few customers before the calibration end to fit a model.', '校准期结束前的客户太少，无法建模。');
  // BG/NBD learns from repeat purchases; without any the fit is undefined — say so in both languages.
  if (!s.x.some((v) => v > 0)) throw new AppError('no_repeat', 'No customer bought more than once before the calibration end, so CLV cannot be modelled: choose an orders dataset with repeat purchases or a later calibration end.', '校准期结束前没有任何客户重复购买，无法建立 CLV 模型：请选择有复购的订单数据集，或把校准期结束日往后调。');
  job.progress(1, 5, 'BG/NBD');
  const bg = fitBgNbd(s.x, s.tx, s.T, { seed: a.seed, shouldCancel: job.cancelled });
  job.checkCancel();
  job.progress(2, 5, 'Gamma-Gamma');
  const rep = [...s.x.keys()].filter((i) => s.x[i]! > 0 && s.zbar[i]! > 0);
  const gg = rep.length >= 10 ? fitGammaGamma(rep.map((i) => s.x[i]!), rep.map((i) => s.zbar[i]!), { seed: a.seed, shouldCancel: job.cancelled }) : null;
  const periodsPerMonth = a.unit === 'weeks' ? 365.25 / 12 / 7 : 365.25 / 12;
  const basis = expectedPurchasesBasis(bg, s.x, s.tx, s.T);
  const pAlive = basis.pAlive;
  const horizon = a.horizonMonths * periodsPerMonth;
  const expected = expectedPurchasesAt(basis, horizon);
  const usableGg = gg && gg.q > 1 ? gg : null; // E[Z] exists only for q > 1
  const value = usableGg ? expectedAverageValue(usableGg, s.x, s.zbar) : new Float64Array(s.x.length);
  const clv = usableGg ? clvDiscounted(bg, usableGg, s.x, s.tx, s.T, s.zbar, { horizonPeriods: a.horizonMonths, discountRatePerPeriod: a.discountMonthly, periodsPerMonth }, basis) : new Float64Array(s.x.length);
  job.progress(3, 5, 'charts');
  // Calibration vs hold-out: cumulative repeat purchases per period after the calibration end.
  const holdout: ClvResult['holdout'] = [];
  const periods = Math.floor(s.holdoutDuration);
  if (periods >= 1) {
    const uDays = unitDays(a.unit);
    const offsets = pd.holdoutPerDay.map(([d, n]) => [(d - calDay) / uDays, n] as const);
    const step = Math.max(1, Math.ceil(periods / 60));
    for (let t = step; t <= periods; t += step) {
      const actual = offsets.reduce((u, [o, n]) => (o <= t ? u + n : u), 0);
      const predicted = expectedPurchasesAt(basis, t).reduce((u, v) => u + v, 0);
      holdout.push({ period: t, actual, predicted: Math.round(predicted * 10) / 10 });
    }
  }
  // P(alive) by frequency × recency for a customer as old as the oldest.
  // (a spread of a million arguments would overflow the stack, and one pass counts every cell)
  const Tmax = s.T.reduce((u, v) => Math.max(u, v), 0);
  const maxX = Math.min(30, s.x.reduce((u, v) => Math.max(u, v), 0));
  const pAliveMatrix: ClvResult['pAliveMatrix'] = [];
  const bins = 12;
  const cell = new Float64Array((maxX + 1) * bins);
  for (let i = 0; i < s.x.length; i++) if (s.x[i]! <= maxX) cell[s.x[i]! * bins + Math.min(bins - 1, Math.floor((s.tx[i]! / Tmax) * bins))]!++;
  for (let x = 0; x <= maxX; x++)
    for (let b = 0; b < bins; b++) {
      const rec = ((b + 0.5) / bins) * Tmax;
      pAliveMatrix.push({ frequency: x, recency: Math.round(rec * 10) / 10, pAlive: x === 0 ? 1 : bgnbdPAlive(bg, [x], [rec], [Tmax])[0]!, customers: cell[x * bins + b]! });
    }
  const sorted = Float64Array.from(clv).sort();
  const top = sorted[Math.floor(0.99 * (sorted.length - 1))]! || 1;
  const clvHistogram = Array.from({ length: 20 }, (_, k) => ({ from: (k * top) / 20, to: ((k + 1) * top) / 20, customers: 0 }));
  for (const v of clv) clvHistogram[Math.min(19, Math.floor((v / top) * 20))]!.customers++;
  job.progress(4, 5, 'save');
  const decile = valueDeciles(clv);
  const decileSizes: number[] = [];
  for (const d of decile) decileSizes[d] = (decileSizes[d] ?? 0) + 1;
  const names = customerNames(job.db);
  const ds = createDerivedDataset(job.db, {
    name: `CLV ${info.name} ${dayText(calEnd)}`,
    parentId: info.id,
    columns: [
      ...CUSTOMER_KEY_COLUMNS,
      { name: 'frequency', type: 'integer', role: null },
      { name: 'recency', type: 'decimal', role: null },
      { name: 'T', type: 'decimal', role: null },
      { name: 'monetary_mean', type: 'decimal', role: null },
      { name: 'p_alive', type: 'decimal', role: null },
      { name: 'expected_purchases', type: 'decimal', role: null },
      { name: 'expected_value', type: 'decimal', role: null },
      { name: 'clv', type: 'decimal', role: 'amount' },
      { name: 'clv_decile', type: 'integer', role: null },
    ],
    // one row at a time (a million rows held at once cost their memory and collections)
    rows: (function* () {
      for (let i = 0; i < s.customers.length; i++) {
        const c = String(s.customers[i]);
        const nm = names.get(c);
        yield [c, nm?.memberId ?? null, nm?.phone ?? null, s.x[i], +s.tx[i]!.toFixed(4), +s.T[i]!.toFixed(4), +s.zbar[i]!.toFixed(2), +pAlive[i]!.toFixed(4), +expected[i]!.toFixed(4), +value[i]!.toFixed(2), +clv[i]!.toFixed(2), decile[i]];
      }
    })(),
    settings: { analysis: 'clv', ...a },
  });
  const seg = saveSegmentation(job.db, {
    name: `CLV deciles ${info.name}`,
    kind: 'tier',
    sourceDataset: info.id,
    resultDataset: ds.id,
    params: { ...a, measure: 'clv' },
    asOf: dayText(calEnd),
    // the members are the result's rows, by their decile (writing a million of them again took 4.8 s of a 5M-order CLV)
    membersIn: { customer: 'customer_id', segment: 'clv_decile', prefix: 'decile_' },
    segments: Array.from({ length: 10 }, (_, k) => 10 - k).map((d) => ({ key: `decile_${d}`, name: `CLV 第 ${d} 十分位`, nameEn: `CLV decile ${d}`, size: decileSizes[d] ?? 0 })),
  });
  return {
    datasetId: ds.id,
    segmentationId: seg.id,
    customers: s.customers.length,
    calibrationEnd: dayText(calEnd),
    observationEnd: dayText(obsDay * DAY),
    unit: a.unit,
    bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, logLikelihood: bg.logLikelihood, converged: bg.converged },
    gammaGamma: gg ? { p: gg.p, q: gg.q, v: gg.v, logLikelihood: gg.logLikelihood, converged: gg.converged, repeatBuyers: rep.length } : null,
    independence: rep.length > 2 ? { pearson: independenceCheck(s.x, s.zbar).pearson } : null,
    holdout,
    pAliveMatrix,
    clvHistogram,
    totalClv: clv.reduce((u, v) => u + v, 0),
    summarySeconds,
  };
}

const badDates = () => new AppError('bad_dates', 'The calibration end must not be after the observation end.', '校准期结束日不能晚于观察期结束日。');

/** The (x, t_x, T, zbar) of `summarizeTransactions`, from per-customer day counts grouped in SQL. */
function btydSummary(pd: PurchaseDays, calDay: number, obsDay: number, unit: TimeUnit): Pick<CustomerSummary, 'customers' | 'x' | 'tx' | 'T' | 'zbar' | 'holdoutDuration'> {
  const u = unitDays(unit);
  const x = pd.days.map((d) => d - 1);
  return {
    customers: pd.keys,
    x,
    tx: pd.last.map((l, i) => (l - pd.first[i]!) / u),
    T: pd.first.map((f) => (calDay - f) / u),
    zbar: x.map((v, i) => (v > 0 ? (pd.calibrationAmount[i]! - pd.firstDayAmount[i]!) / v : 0)),
    holdoutDuration: (obsDay - calDay) / u,
  };
}

const POSITIVE = new Set(['yes', 'y', 'true', '1', '是', 'churn', 'churned', '流失', 't']);

export async function churnJob(job: JobContext, a: { datasetId: string; label: string; positive?: string; labelRule?: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq'; value: number | string }; features?: string[]; testShare: number; seed: number; l2: number; threshold: number; model: 'logistic' | 'gbm' }): Promise<ChurnResult> {
  const info = getDataset(job.db, a.datasetId);
  const labelCol = info.columns.find((c) => c.name === a.label);
  if (!labelCol) throw new AppError('unknown_column', `Unknown column "${a.label}".`, `未知列“${a.label}”。`);
  const key = roleColumn(info, 'customer_id', 'phone', 'email');
  const usable = info.columns.filter((c) => c.name !== a.label && c.name !== key && !['id', 'text', 'email', 'phone', 'date', 'datetime'].includes(c.type));
  const features = a.features ?? usable.map((c) => c.name);
  const numeric = features.filter((f) => ['integer', 'decimal', 'percent', 'boolean'].includes(info.columns.find((c) => c.name === f)?.type ?? ''));
  const categorical = features.filter((f) => !numeric.includes(f));
  job.progress(0, 3, 'read');
  // every row as an object of its columns, read where the rows live (the workspace or DuckDB)
  const names = ['_row', ...info.columns.map((c) => c.name)];
  const rows: Record<string, unknown>[] = [];
  await eachRowWhereTheDataIs(job.db, info.id, () => `SELECT ${names.map(qid).join(', ')} FROM ${qid(info.id)} ORDER BY _row`, (r) => rows.push(Object.fromEntries(names.map((n, j) => [n, r[j]]))), [], job);
  const rule = a.labelRule;
  const isPos = (v: unknown) => {
    if (rule) {
      const x = typeof rule.value === 'number' ? Number(v) : String(v);
      return rule.op === 'gt' ? x > rule.value : rule.op === 'gte' ? x >= rule.value : rule.op === 'lt' ? x < rule.value : rule.op === 'lte' ? x <= rule.value : x === rule.value;
    }
    return a.positive !== undefined ? String(v) === a.positive : POSITIVE.has(String(v ?? '').trim().toLowerCase());
  };
  const labelled = rows.filter((r) => r[a.label] !== null && r[a.label] !== '');
  const y = labelled.map((r) => (isPos(r[a.label]) ? 1 : 0));
  const positives = y.reduce((s: number, v) => s + v, 0);
  if (positives === 0 || positives === y.length) throw new AppError('one_class', `The label "${a.label}" has only one class; say which value means churn.`, `标签列“${a.label}”只有一个类别，请指定哪个值表示流失。`);
  const { train, test } = stratifiedSplit(y, a.testShare, a.seed);
  job.progress(1, 3, 'fit');
  const column = (rs: Record<string, unknown>[]) => Object.fromEntries(features.map((f) => [f, rs.map((r) => r[f] as CellValue)]));
  // Means, sds and levels come from the training rows only, so the test score is honest.
  const design = buildDesign(column(labelled), { numeric, categorical, fitRows: train });
  const trainX = selectRows(design, train);
  const testX = selectRows(design, test);
  const yTrain = Array.from(train, (i) => y[i]!);
  const allX = applyDesign(design.encoder, column(rows));
  let pTest: Float64Array, all: Float64Array, weights: { feature: string; weight: number }[];
  if (a.model === 'gbm') {
    const m = fitGradientBoosting(trainX, yTrain, { seed: a.seed, shouldCancel: job.cancelled });
    pTest = predictProbaGbm(m, testX);
    all = predictProbaGbm(m, allX);
    weights = gbmFeatureImportance(m).map((f) => ({ feature: f.feature, weight: f.importance }));
  } else {
    const m = fitLogistic(trainX, yTrain, { lambda: a.l2, shouldCancel: job.cancelled });
    pTest = predictProba(m, testX);
    all = predictProba(m, allX);
    weights = coefficients(m).map((c) => ({ feature: c.feature, weight: c.coef }));
  }
  job.checkCancel();
  const yTest = Array.from(test, (i) => y[i]!);
  const r = rocCurve(yTest, pTest);
  const stride = Math.max(1, Math.floor(r.points.length / 200));
  const curve = r.points.filter((_, i) => i % stride === 0 || i === r.points.length - 1).map((q) => ({ fpr: q.fpr, tpr: q.tpr }));
  const at = precisionRecallAt(yTest, pTest, a.threshold);
  job.progress(2, 3, 'score');
  const ds = createDerivedDataset(job.db, {
    name: `Churn scores ${info.name}`,
    parentId: info.id,
    columns: [
      { name: 'customer_id', type: 'id', role: 'customer_id' },
      { name: 'label', type: 'category', role: 'label' },
      { name: 'churn_score', type: 'decimal', role: null },
    ],
    rows: rows.map((row, i) => [String(key ? row[key] : row._row), row[a.label] === null ? null : String(row[a.label]), +all[i]!.toFixed(5)]),
    settings: { analysis: 'churn', ...a },
  });
  return {
    datasetId: ds.id,
    n: labelled.length,
    positives,
    auc: r.auc,
    roc: curve,
    model: a.model,
    confusion: { ...at.confusion, precision: at.precision, recall: at.recall, f1: at.f1, accuracy: at.accuracy, threshold: a.threshold },
    coefficients: weights.slice(0, 40),
    scoresDataset: ds.id,
  };
}

async function basketsOf(job: JobContext, datasetId: string, excludeCancellations: boolean) {
  const info = getDataset(job.db, datasetId);
  const order = roleColumn(info, 'order_id');
  const item = roleColumn(info, 'item');
  if (!order || !item) throw new AppError('missing_role', 'Basket analysis needs order id and item roles.', '购物篮分析需要“订单号”和“商品”角色。');
  const qty = roleColumn(info, 'quantity');
  // only valid orders make baskets (status definitions in force; a dataset without a status: every order)
  const status = statusKindOf(info) === 'order' ? classifySql(job.db, info.id, 'order', 't') : "'valid'";
  const where = `WHERE ${status} = 'valid'` + (excludeCancellations ? ` AND NOT (CAST(${qid(order)} AS TEXT) LIKE 'C%')${qty ? ` AND coalesce(${qid(qty)}, 1) > 0` : ''}` : '');
  const byOrder = new Map<string, Set<string>>();
  // Item labels from a descriptive column next to the item code (Description, 商品名称 …).
  const desc = info.columns.find((c) => c.name !== item && /desc|名称|品名|product.?name/i.test(c.name));
  // read where the rows live, in row order (baskets and their items in first-seen order on either engine)
  const [descRows = []] = await eachRowWhereTheDataIs(
    job.db,
    info.id,
    () => `SELECT CAST(${qid(order)} AS TEXT), CAST(${qid(item)} AS TEXT) FROM ${qid(info.id)} t ${where} ORDER BY t._row`,
    (r) => {
      const [o, i] = r as [string | null, string | null];
      if (o && i) (byOrder.get(o) ?? byOrder.set(o, new Set()).get(o)!).add(i);
    },
    desc ? [`SELECT CAST(${qid(item)} AS TEXT), max(${qid(desc.name)}) FROM ${qid(info.id)} GROUP BY 1`] : [],
    job,
  );
  const labels: Record<string, string> = {};
  for (const [i, d] of descRows as [string, string][]) if (d) labels[i] = String(d).trim();
  return { baskets: [...byOrder.values()].map((s) => [...s]), labels, info };
}

export async function rulesJob(job: JobContext, a: { datasetId: string; minSupport: number; minConfidence: number; maxLength: number; excludeCancellations: boolean }): Promise<RulesResult> {
  const { baskets, labels } = await basketsOf(job, a.datasetId, a.excludeCancellations);
  job.progress(1, 3, 'FP-growth');
  const sets = fpGrowth(baskets, { minSupport: a.minSupport, maxLength: a.maxLength, shouldCancel: job.cancelled });
  job.progress(2, 3, 'rules');
  const rules = associationRules(sets, { minConfidence: a.minConfidence }).sort((p, q) => q.lift - p.lift || q.support - p.support).slice(0, 1000);
  const used = new Set(rules.flatMap((r) => [...r.antecedent, ...r.consequent]));
  return {
    baskets: baskets.length,
    itemsets: sets.itemsets.length,
    rules: rules.map((r) => ({ antecedent: r.antecedent, consequent: r.consequent, support: r.support, confidence: r.confidence, lift: r.lift, leverage: r.leverage, conviction: Number.isFinite(r.conviction) ? r.conviction : null })),
    labels: Object.fromEntries(Object.entries(labels).filter(([k]) => used.has(k))),
  };
}

export async function recommendJob(job: JobContext, a: { datasetId: string; topN: number; cutoff?: string }): Promise<RecommendResult> {
  const info = getDataset(job.db, a.datasetId);
  const cust = roleColumn(info, 'customer_id', 'phone', 'email');
  const item = roleColumn(info, 'item');
  const time = roleColumn(info, 'timestamp');
  if (!cust || !item || !time) throw new AppError('missing_role', 'Recommendations need customer, item and timestamp roles.', '推荐需要“客户ID”“商品”“时间”角色。');
  const order = roleColumn(info, 'order_id');
  const qty = roleColumn(info, 'quantity');
  // customers are the identity layer's keys; only valid orders are purchases
  const rows: [string, string, string][] = [];
  const purchases = () => {
    const e = eventSql(job.db, info);
    const where = [`t.${qid(item)} IS NOT NULL`, `t.${qid(time)} IS NOT NULL`, `${e.status} = 'valid'`, ...(order ? [`NOT (CAST(t.${qid(order)} AS TEXT) LIKE 'C%')`] : []), ...(qty ? [`coalesce(t.${qid(qty)}, 1) > 0`] : [])].join(' AND ');
    return `SELECT ${e.key}, CAST(t.${qid(item)} AS TEXT), t.${qid(time)} FROM ${e.from} WHERE ${where} ORDER BY t._row`;
  };
  // read where the rows live, in row order, keyed through the identity maps
  await eachRowWhereTheDataIs(job.db, info.id, purchases, (r) => rows.push(r as [string, string, string]), [], job);
  const times = rows.map((r) => r[2]).sort();
  const cutoff = a.cutoff ?? String(times[Math.floor(times.length * 0.8)] ?? '').slice(0, 10);
  const ms = rows.map((r) => timeMs(r[2]));
  job.progress(1, 3, 'evaluate');
  // Time-based hold-out: learn from purchases before the cutoff, check against new items after it.
  const ev = evaluateRecommendations(rows.map((r) => r[0]), rows.map((r) => r[1]), ms, { cutoff: timeMs(cutoff), k: a.topN, shouldCancel: job.cancelled });
  const h = { cf: ev.itemCf.hitRate, popularity: ev.popularity.hitRate, customers: ev.customers };
  job.progress(2, 3, 'recommend');
  const model = fitItemCf(rows.map((r) => r[0]), rows.map((r) => r[1]), { shouldCancel: job.cancelled });
  const lists = recommendItemCf(model, a.topN);
  const byCustomer = model.customers.map((c, i) => [String(c), i] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const out: unknown[][] = [];
  for (const [c, i] of byCustomer) lists[i]!.forEach((r, k) => out.push([c, k + 1, String(r.item), +r.score.toFixed(4)]));
  const ds = createDerivedDataset(job.db, {
    name: `Recommendations ${info.name}`,
    parentId: info.id,
    columns: [
      { name: 'customer_id', type: 'id', role: 'customer_id' },
      { name: 'rank', type: 'integer', role: null },
      { name: 'item', type: 'id', role: 'item' },
      { name: 'score', type: 'decimal', role: null },
    ],
    rows: out,
    settings: { analysis: 'recommend', ...a },
  });
  return { datasetId: ds.id, hitRate: { ...h, cutoff, k: a.topN }, customers: model.customers.length };
}

/** The value domain's job kinds (joined in main/jobs/kinds.ts). */
export const valueJobKinds: DomainJobs<typeof valueJobs> = { 'value/clv': clvJob, 'value/churn': churnJob, 'value/rules': rulesJob, 'value/recommend': recommendJob };
