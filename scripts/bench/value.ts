/**
 * Value benchmarks: BG/NBD (+ Gamma-Gamma) on all 23,570 CDNOW customers (calibration to
 * 1997-09-30, weeks) and FP-growth on the online-retail baskets at 1% support, beside a
 * brute-force count of the frequent pairs as the baseline in the same run; L2 logistic regression
 * (λ = 1) on the Telco churn file (all 7,043 rows, standardised numerics + one-hot categoricals)
 * beside scikit-learn's LogisticRegression(C = 1) on the identical design matrix.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { summarizeTransactions } from '../../main/analysis/value/summary';
import { fitBgNbd } from '../../main/analysis/value/bgnbd';
import { fitGammaGamma } from '../../main/analysis/value/gammagamma';
import { fpGrowth } from '../../main/analysis/value/fpgrowth';
import { round } from './sqlite';
import { buildDesign, fitLogistic } from '../../main/analysis/value/logistic';
import { scipyBgNbd, sklearnLogistic } from './peers';

const datasets = process.env.SEGMINT_DATASETS ?? path.resolve('test', 'datasets');
const time = <T>(fn: () => T): [T, number, number] => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const c = process.cpuUsage(c0);
  return [r, round((performance.now() - t0) / 1000), round((c.user + c.system) / 1e6)];
};

export function valueBench(dir: string) {
  const lines = readFileSync(path.join(datasets, 'cdnow-master.txt'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.trim().split(/\s+/));
  const input = { customer: lines.map((r) => r[0]!), time: lines.map((r) => Date.UTC(+r[1]!.slice(0, 4), +r[1]!.slice(4, 6) - 1, +r[1]!.slice(6, 8))), amount: lines.map((r) => Number(r[3])) };
  const [s, summarySeconds] = time(() => summarizeTransactions(input.customer, input.time, input.amount, { calibrationEnd: Date.UTC(1997, 8, 30), unit: 'weeks' }));
  const [bg, bgSeconds, bgCpu] = time(() => fitBgNbd(s.x, s.tx, s.T));
  // SciPy L-BFGS-B on the same (x, t_x, T); equal log-likelihood within 0.01% is checked.
  const peer = scipyBgNbd(dir, s.x, s.tx, s.T);
  const bgPeer = 'peer' in peer ? { scipy: peer } : { scipy: { ...peer, seconds: round(peer.seconds), cpuSeconds: round(peer.cpuSeconds), logLikelihood: round(peer.logLikelihood, 2) }, timeRatio: round(bgSeconds / peer.seconds), cpuRatio: round(bgCpu / peer.cpuSeconds), sameLogLikelihood: Math.abs(bg.logLikelihood - peer.logLikelihood) <= 1e-4 * Math.abs(peer.logLikelihood) };
  const rep = [...s.x.keys()].filter((i) => s.x[i]! > 0 && s.zbar[i]! > 0);
  const [gg, ggSeconds] = time(() => fitGammaGamma(rep.map((i) => s.x[i]!), rep.map((i) => s.zbar[i]!)));
  const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(datasets, 'online-retail-sample.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data.filter((r) => !r.InvoiceNo!.startsWith('C') && Number(r.Quantity) > 0);
  const byInv = new Map<string, Set<string>>();
  for (const r of rows) (byInv.get(r.InvoiceNo!) ?? byInv.set(r.InvoiceNo!, new Set()).get(r.InvoiceNo!)!).add(r.StockCode!);
  const baskets = [...byInv.values()].map((x) => [...x]);
  const [{ itemsets: sets }, fpSeconds] = time(() => fpGrowth(baskets, { minSupport: 0.01 }));
  // Baseline: brute-force support of every pair of frequent items.
  const [pairs, bruteSeconds] = time(() => {
    const min = Math.ceil(0.01 * baskets.length - 1e-9);
    const single = new Map<string, number>();
    for (const b of baskets) for (const i of b) single.set(i, (single.get(i) ?? 0) + 1);
    const freq = [...single].filter(([, c]) => c >= min).map(([i]) => i);
    let n = 0;
    for (let a = 0; a < freq.length; a++) for (let b = a + 1; b < freq.length; b++) if (baskets.filter((x) => x.includes(freq[a]!) && x.includes(freq[b]!)).length >= min) n++;
    return n;
  });
  // Telco churn: the same design as the churn tests (TotalCharges blanks as 0).
  const telco = Papa.parse<Record<string, string>>(readFileSync(path.join(datasets, 'telco-customer-churn.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  const fields = telco.meta.fields!;
  const cols: Record<string, (string | number)[]> = {};
  for (const f of fields) cols[f] = telco.data.map((r) => r[f]!);
  cols.TotalCharges = telco.data.map((r) => (r.TotalCharges!.trim() === '' ? 0 : Number(r.TotalCharges)));
  const numeric = ['tenure', 'MonthlyCharges', 'TotalCharges', 'SeniorCitizen'];
  const design = buildDesign(cols, { numeric, categorical: fields.filter((f) => !['customerID', 'Churn', ...numeric].includes(f)) });
  const churn = Float64Array.from(telco.data, (r) => (r.Churn === 'Yes' ? 1 : 0));
  const [lr, lrSeconds, lrCpu] = time(() => fitLogistic(design, churn, { lambda: 1 }));
  let w2 = 0;
  for (const c of lr.coef) w2 += c * c;
  const lrObjective = lr.logLoss * design.n + 0.5 * w2;
  const lrPeer = sklearnLogistic(dir, design.X, churn, design.n, design.p, 1);
  const logisticTelco = {
    rows: design.n,
    features: design.p,
    seconds: lrSeconds,
    cpuSeconds: lrCpu,
    solver: lr.solver,
    objective: round(lrObjective, 4),
    ...('peer' in lrPeer
      ? { sklearn: lrPeer }
      : { sklearn: { ...lrPeer, seconds: round(lrPeer.seconds), cpuSeconds: round(lrPeer.cpuSeconds), objective: round(lrPeer.objective, 4) }, timeRatio: round(lrSeconds / lrPeer.seconds), cpuRatio: round(lrCpu / lrPeer.cpuSeconds), sameObjective: Math.abs(lrObjective - lrPeer.objective) <= 1e-4 * lrPeer.objective }),
  };
  return {
    logisticTelco,
    bgnbdCdnowMaster: { customers: s.customers.length, summarySeconds, fitSeconds: bgSeconds, fitCpuSeconds: bgCpu, r: round(bg.r, 4), alpha: round(bg.alpha, 4), a: round(bg.a, 4), b: round(bg.b, 4), logLikelihood: round(bg.logLikelihood, 2), starts: bg.starts, ...bgPeer, reference: { r: 0.2516, alpha: 4.7889, a: 0.7234, b: 2.1611, logLikelihood: -95368.44 } },
    gammaGammaCdnowMaster: { repeatBuyers: rep.length, seconds: ggSeconds, p: round(gg.p, 4), q: round(gg.q, 4), v: round(gg.v, 4) },
    fpGrowthRetail1pct: { baskets: baskets.length, itemsets: sets.length, seconds: fpSeconds, pairs: sets.filter((x) => x.items.length === 2).length, bruteForcePairsBaseline: { pairs, seconds: bruteSeconds } },
  };
}
