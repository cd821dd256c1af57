/** `segmint clv`, `segmint churn`, `segmint rules`, `segmint recommend`, `segmint forecast` — the value issue. */
import type { CliCommand, CliContext } from '../context';

const ds = (c: CliContext) => c.dataset();
const num = (c: CliContext, name: string) => (c.flag(name) === undefined ? undefined : Number(c.flag(name)));


const clv: CliCommand = {
  name: 'clv',
  usage: 'segmint clv --dataset D --workspace PATH [--calibration-end DATE] [--observation-end DATE] [--horizon MONTHS] [--discount 0.01] [--unit weeks|days] [--out FILE] [--json]',
  summary: 'BG/NBD + Gamma-Gamma: P(alive), expected purchases, CLV (and CLV deciles as a segmentation)',
  workspace: 'required',
  runsJob: 'value',
  async run(c) {
    const { jobId } = await c.call('value/clv', { datasetId: ds(c), calibrationEnd: c.flag('calibration-end'), observationEnd: c.flag('observation-end'), horizonMonths: num(c, 'horizon') ?? 12, discountMonthly: num(c, 'discount') ?? 0.01, unit: (c.flag('unit') ?? 'weeks') as 'weeks' });
    const r = await c.jobResult('value/clv', jobId);
    const out = await c.exportDataset(r.datasetId, ['customer_id', 'p_alive', 'expected_purchases', 'expected_value', 'clv', 'clv_decile']);
    c.output(
      { datasetId: r.datasetId, segmentationId: r.segmentationId, customers: r.customers, calibrationEnd: r.calibrationEnd, params: { ...r.bgnbd, gammaGamma: r.gammaGamma }, logLikelihood: r.bgnbd.logLikelihood, independence: r.independence, totalClv: r.totalClv, summarySeconds: r.summarySeconds, out },
      () => `BG/NBD r=${r.bgnbd.r.toFixed(4)} α=${r.bgnbd.alpha.toFixed(4)} a=${r.bgnbd.a.toFixed(4)} b=${r.bgnbd.b.toFixed(4)} LL=${r.bgnbd.logLikelihood.toFixed(2)}${r.gammaGamma ? `\nGamma-Gamma p=${r.gammaGamma.p.toFixed(4)} q=${r.gammaGamma.q.toFixed(4)} v=${r.gammaGamma.v.toFixed(4)}` : ''}\n${r.customers} customers, total CLV ${r.totalClv.toFixed(0)} → ${r.datasetId}`,
    );
  },
};

const churn: CliCommand = {
  name: 'churn',
  usage: 'segmint churn --dataset D --label COL --workspace PATH [--positive VALUE] [--model logistic|gbm] [--seed S] [--threshold 0.5] [--out FILE] [--json]',
  summary: 'Churn model (L2 logistic regression or gradient-boosted trees): AUC, confusion matrix, scores for every customer',
  workspace: 'required',
  runsJob: 'value',
  async run(c) {
    const { jobId } = await c.call('value/churn', { datasetId: ds(c), label: c.requireFlag('label'), positive: c.flag('positive'), seed: num(c, 'seed') ?? 0, threshold: num(c, 'threshold') ?? 0.5, model: (c.flag('model') as 'logistic' | 'gbm' | undefined) ?? 'logistic' });
    const r = await c.jobResult('value/churn', jobId);
    const out = await c.exportDataset(r.scoresDataset, ['customer_id', 'label', 'churn_score']);
    c.output({ model: r.model, auc: r.auc, confusion: r.confusion, n: r.n, positives: r.positives, coefficients: r.coefficients.slice(0, 10), scoresDataset: r.scoresDataset, out }, () => `AUC ${r.auc.toFixed(4)} on the test split; precision ${r.confusion.precision.toFixed(3)}, recall ${r.confusion.recall.toFixed(3)} at ${r.confusion.threshold} → ${r.scoresDataset}`);
  },
};

const rules: CliCommand = {
  name: 'rules',
  usage: 'segmint rules --dataset D --min-support S --workspace PATH [--min-confidence C] [--max-length 3] [--out FILE] [--json]',
  summary: 'Association rules (FP-growth) from order id × item',
  workspace: 'required',
  runsJob: 'value',
  async run(c) {
    const { jobId } = await c.call('value/rules', { datasetId: ds(c), minSupport: Number(c.requireFlag('min-support')), minConfidence: num(c, 'min-confidence') ?? 0.3, maxLength: num(c, 'max-length') ?? 3 });
    const r = await c.jobResult('value/rules', jobId);
    const out = await c.writeTable(['antecedent', 'consequent', 'support', 'confidence', 'lift', 'leverage', 'conviction'], r.rules.map((x) => [x.antecedent.join(' + '), x.consequent.join(' + '), x.support, x.confidence, x.lift, x.leverage, x.conviction]));
    c.output({ baskets: r.baskets, itemsets: r.itemsets, rules: out ? r.rules.length : r.rules.slice(0, 100), out }, () => [`${r.baskets} baskets, ${r.itemsets} frequent itemsets, ${r.rules.length} rules`, ...r.rules.slice(0, 15).map((x) => `  ${x.antecedent.join(' + ')} → ${x.consequent.join(' + ')}  conf ${x.confidence.toFixed(2)} lift ${x.lift.toFixed(2)}`)].join('\n'));
  },
};

const recommend: CliCommand = {
  name: 'recommend',
  usage: 'segmint recommend --dataset D --workspace PATH [--top 10] [--cutoff DATE] [--out FILE] [--json]',
  summary: 'Item-based recommendations per customer, with hit rate@k vs a popularity baseline',
  workspace: 'required',
  runsJob: 'value',
  async run(c) {
    const { jobId } = await c.call('value/recommend', { datasetId: ds(c), topN: num(c, 'top') ?? 10, cutoff: c.flag('cutoff') });
    const r = await c.jobResult('value/recommend', jobId);
    const out = await c.exportDataset(r.datasetId, ['customer_id', 'rank', 'item', 'score']);
    c.output({ ...r, out }, () => `hit rate@${r.hitRate.k}: ${(r.hitRate.cf * 100).toFixed(1)}% (popularity ${(r.hitRate.popularity * 100).toFixed(1)}%) on ${r.hitRate.customers} customers after ${r.hitRate.cutoff} → ${r.datasetId}`);
  },
};

const forecastCmd: CliCommand = {
  name: 'forecast',
  usage: 'segmint forecast --dataset D --workspace PATH [--measure revenue|orders|customers] [--grain month|week] [--horizon 6] [--out FILE] [--json]',
  summary: 'Holt-Winters forecast with a 95% interval',
  workspace: 'required',
  async run(c) {
    const r = await c.call('value/forecast', { datasetId: ds(c), measure: (c.flag('measure') ?? 'revenue') as 'revenue', grain: (c.flag('grain') ?? 'month') as 'month', horizon: num(c, 'horizon') ?? 6 });
    await c.writeTable(['period', 'forecast', 'lower', 'upper'], r.future.map((p, h) => [p, r.forecast[h], r.lower[h], r.upper[h]]));
    c.output(r as unknown as Record<string, unknown>, () => r.future.map((p, h) => `${p}\t${r.forecast[h]!.toFixed(1)}\t[${r.lower[h]!.toFixed(1)}, ${r.upper[h]!.toFixed(1)}]`).join('\n'));
  },
};

export const valueCommands: CliCommand[] = [clv, churn, rules, recommend, forecastCmd];
