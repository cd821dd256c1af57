/** Churn model: metrics, splits, design builder, logistic regression and boosted trees on Telco. */
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  confusionMatrix,
  precisionRecallAt,
  rocCurve,
  stratifiedKFold,
  stratifiedSplit,
} from '../../../main/analysis/value/metrics';
import { applyDesign, buildDesign, coefficients, fitLogistic, predictProba, selectRows } from '../../../main/analysis/value/logistic';
import { fitGradientBoosting, gbmFeatureImportance, predictProbaGbm } from '../../../main/analysis/value/tree';
import { csv } from './load';

describe('metrics', () => {
  it('ROC: scikit-learn example AUC 0.75, ties count half', () => {
    const r = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(r.auc).toBeCloseTo(0.75, 12);
    expect(r.points[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(r.points[r.points.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
    // A tie between one positive and one negative is worth ½.
    expect(rocCurve([0, 1], [0.5, 0.5]).auc).toBeCloseTo(0.5, 12);
    expect(rocCurve([0, 0, 1], [0.2, 0.5, 0.5]).auc).toBeCloseTo(0.75, 12);
    // Brute-force Mann–Whitney on random scores with many ties.
    const y: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < 300; i++) {
      y.push((i * 7) % 3 === 0 ? 1 : 0);
      s.push(((i * 13) % 17) / 17);
    }
    let num = 0;
    let den = 0;
    for (let i = 0; i < y.length; i++)
      for (let j = 0; j < y.length; j++)
        if (y[i] === 1 && y[j] === 0) {
          den++;
          num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
    expect(rocCurve(y, s).auc).toBeCloseTo(num / den, 12);
  });

  it('average precision, confusion matrix and precision/recall at a threshold', () => {
    // scikit-learn docs: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 12);
    expect(confusionMatrix([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])).toEqual({ tp: 2, fn: 1, fp: 1, tn: 1 });
    const m = precisionRecallAt([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.35);
    expect(m.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.8, 12);
  });

  it('stratified split and k-fold keep class proportions, cover every row once, and are seeded', () => {
    const y = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const a = stratifiedSplit(y, 0.3, 0);
    const b = stratifiedSplit(y, 0.3, 0);
    const c = stratifiedSplit(y, 0.3, 1);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
    expect(a.test.length).toBe(300);
    expect(Array.from(a.test).filter((i) => y[i] === 1)).toHaveLength(75);
    expect(new Set([...a.train, ...a.test]).size).toBe(1000);
    const folds = stratifiedKFold(y, 5, 0);
    expect(folds.map((f) => f.length)).toEqual([200, 200, 200, 200, 200]);
    for (const f of folds) expect(Array.from(f).filter((i) => y[i] === 1)).toHaveLength(50);
    expect(new Set(folds.flatMap((f) => Array.from(f))).size).toBe(1000);
  });
});

describe('design builder', () => {
  it('standardises with the fitting rows, one-hot encodes, imputes and ignores unseen levels', () => {
    const cols = { age: [20, 30, '', 40], plan: ['a', 'b', 'a', 'c'] };
    const d = buildDesign(cols, { numeric: ['age'], categorical: ['plan'], fitRows: [0, 1, 2] });
    expect(d.featureNames).toEqual(['age', 'plan=a', 'plan=b']);
    // mean 25, population sd 5 over the non-missing fitting rows
    expect(Array.from(d.X.subarray(0, 3))).toEqual([-1, 1, 0]);
    expect(d.X[2 * 3]).toBe(0); // missing → mean → 0
    expect(Array.from(d.X.subarray(9, 12))).toEqual([3, 0, 0]); // unseen level 'c' → all zeros
    const again = applyDesign(d.encoder, { age: [25], plan: ['b'] });
    expect(Array.from(again.X)).toEqual([0, 0, 1]);
    expect(() => buildDesign({ x: ['1', 'abc'] }, { numeric: ['x'] })).toThrow(/holds the text "abc"/);
    expect(() => buildDesign({ x: [1] }, { numeric: ['y'] })).toThrow(/column "y" is missing/);
  });
});

function telco() {
  const { fields, rows } = csv('telco-customer-churn.csv');
  const cols: Record<string, (string | number)[]> = {};
  for (const f of fields) cols[f] = rows.map((r) => r[f]!);
  // Reference recipe: TotalCharges blanks as 0.
  cols.TotalCharges = rows.map((r) => (r.TotalCharges!.trim() === '' ? 0 : Number(r.TotalCharges)));
  const y = rows.map((r) => (r.Churn === 'Yes' ? 1 : 0));
  const numeric = ['tenure', 'MonthlyCharges', 'TotalCharges', 'SeniorCitizen'];
  const categorical = fields.filter((f) => !['customerID', 'Churn', ...numeric].includes(f));
  return { cols, y, numeric, categorical };
}

describe('Telco churn', () => {
  const { cols, y, numeric, categorical } = telco();
  const { train, test } = stratifiedSplit(y, 0.3, 0);
  const d = buildDesign(cols, { numeric, categorical, fitRows: train });
  const yTrain = Array.from(train, (i) => y[i]!);
  const yTest = Array.from(test, (i) => y[i]!);

  it('stratified 70/30 (seed 0), standardised numbers + one-hot + L2 logistic regression: test AUC ≥ 0.84 (reference 0.846)', () => {
    expect(y).toHaveLength(7043);
    expect(y.filter((v) => v === 1)).toHaveLength(1869);
    expect(test.length).toBe(2113);
    const m = fitLogistic(selectRows(d, train), yTrain, { lambda: 1 });
    expect(m.converged).toBe(true);
    expect(m.solver).toBe('newton');
    const p = predictProba(m, selectRows(d, test));
    const roc = rocCurve(yTest, p);
    expect(roc.auc).toBeGreaterThanOrEqual(0.84);
    // Known drivers: short tenure and month-to-month contracts raise churn, two-year contracts lower it.
    const coef = new Map(coefficients(m).map((c) => [c.feature, c.coef]));
    expect(coef.get('tenure')!).toBeLessThan(0);
    expect(coef.get('Contract=Month-to-month')!).toBeGreaterThan(0);
    expect(coef.get('Contract=Two year')!).toBeLessThan(0);
    const at = precisionRecallAt(yTest, p, 0.5);
    expect(at.accuracy).toBeGreaterThan(0.78);
    expect(at.confusion.tp + at.confusion.fn).toBe(561);
  });

  it('optimality: the gradient of the penalised log-loss vanishes at the fitted coefficients', () => {
    const tr = selectRows(d, train);
    const m = fitLogistic(tr, yTrain, { lambda: 1 });
    const p = predictProba(m, tr);
    let maxG = 0;
    for (let j = 0; j < tr.p; j++) {
      let g = m.lambda * m.coef[j]!;
      for (let i = 0; i < tr.n; i++) g += (p[i]! - yTrain[i]!) * tr.X[i * tr.p + j]!;
      maxG = Math.max(maxG, Math.abs(g));
    }
    let g0 = 0;
    for (let i = 0; i < tr.n; i++) g0 += p[i]! - yTrain[i]!;
    expect(maxG).toBeLessThan(1e-6);
    expect(Math.abs(g0)).toBeLessThan(1e-6);
  });

  it('5-fold stratified cross-validation: mean AUC ≥ 0.84', () => {
    const folds = stratifiedKFold(y, 5, 0);
    const aucs: number[] = [];
    for (const f of folds) {
      const inTest = new Set(f);
      const tr = Int32Array.from({ length: y.length }, (_, i) => i).filter((i) => !inTest.has(i));
      const dd = buildDesign(cols, { numeric, categorical, fitRows: tr });
      const m = fitLogistic(selectRows(dd, tr), Array.from(tr, (i) => y[i]!));
      aucs.push(rocCurve(Array.from(f, (i) => y[i]!), predictProba(m, selectRows(dd, f))).auc);
    }
    expect(aucs.reduce((a, b) => a + b, 0) / aucs.length).toBeGreaterThanOrEqual(0.84);
  });

  it('gradient-boosted trees (seeded): test AUC ≥ 0.84, same seed same model, contract and tenure most important', () => {
    const tr = selectRows(d, train);
    const te = selectRows(d, test);
    const m = fitGradientBoosting(tr, yTrain, { seed: 0, nTrees: 200, learningRate: 0.07 });
    const p = predictProbaGbm(m, te);
    expect(rocCurve(yTest, p).auc).toBeGreaterThanOrEqual(0.84);
    const again = predictProbaGbm(fitGradientBoosting(tr, yTrain, { seed: 0, nTrees: 20 }), te);
    const again2 = predictProbaGbm(fitGradientBoosting(tr, yTrain, { seed: 0, nTrees: 20 }), te);
    expect(Array.from(again)).toEqual(Array.from(again2));
    const imp = gbmFeatureImportance(m);
    expect(imp.reduce((a, b) => a + b.importance, 0)).toBeCloseTo(1, 10);
    expect(imp.slice(0, 3).map((f) => f.feature)).toEqual(expect.arrayContaining(['Contract=Month-to-month', 'tenure']));
  });
});

describe('wide designs and cancellation', () => {
  it.each([
    { p: 3, route: 'Newton (values checked in its kernel)' },
    { p: 310, route: 'L-BFGS' },
  ])('a value that is not finite is named by its position: $route', ({ p }) => {
    const n = 50;
    const X = new Float64Array(n * p).map((_, i) => ((i * 7) % 11) / 11 - 0.5);
    const y = Array.from({ length: n }, (_, i) => i % 2);
    const d = { X, n, p, featureNames: Array.from({ length: p }, (_, j) => `f${j}`) };
    expect(fitLogistic(d, y).converged).toBe(true);
    const bad = 17 * p + 2;
    X[bad] = Number.NaN;
    expect(() => fitLogistic(d, y)).toThrow(`fitLogistic: design value ${bad} is not finite`);
    X[bad] = Number.POSITIVE_INFINITY;
    expect(() => fitLogistic(d, y)).toThrow(`fitLogistic: design value ${bad} is not finite`);
  });

  it('more than 300 features: L-BFGS reaches the penalised optimum', () => {
    const n = 600;
    const p = 320;
    const X = new Float64Array(n * p);
    const y: number[] = [];
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) - 0.5;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) {
        const v = rnd();
        X[i * p + j] = v;
        if (j < 5) t += 3 * v;
      }
      y.push(t + rnd() > 0 ? 1 : 0);
    }
    const d = { X, n, p, featureNames: Array.from({ length: p }, (_, j) => `f${j}`) };
    const m = fitLogistic(d, y, { lambda: 1 });
    expect(m.solver).toBe('lbfgs');
    expect(m.converged).toBe(true);
    const mu = predictProba(m, d);
    let maxG = 0;
    for (let j = 0; j < p; j++) {
      let g = m.coef[j]!;
      for (let i = 0; i < n; i++) g += (mu[i]! - y[i]!) * X[i * p + j]!;
      maxG = Math.max(maxG, Math.abs(g));
    }
    expect(maxG).toBeLessThan(1e-4);
    expect(coefficients(m).slice(0, 5).map((c) => c.feature).sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
  });

  it('fits stop with "cancelled" when asked', () => {
    const d = { X: Float64Array.from({ length: 200 }, (_, i) => i % 7), n: 100, p: 2, featureNames: ['a', 'b'] };
    const y = Array.from({ length: 100 }, (_, i) => i % 2);
    expect(() => fitGradientBoosting(d, y, { shouldCancel: () => true })).toThrow('cancelled');
    expect(() => fitLogistic(d, y, { shouldCancel: () => true })).toThrow('cancelled');
  });
});

describe('boosted trees on a non-linear toy problem', () => {
  it('learns an XOR that a linear model cannot', () => {
    const n = 2000;
    const X = new Float64Array(n * 2);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = ((i * 37) % 101) / 50 - 1;
      const b = ((i * 61) % 103) / 51 - 1;
      X[2 * i] = a;
      X[2 * i + 1] = b;
      y.push(a * b > 0 ? 1 : 0);
    }
    const d = { X, n, p: 2, featureNames: ['a', 'b'] };
    const gb = rocCurve(y, predictProbaGbm(fitGradientBoosting(d, y, { nTrees: 100, learningRate: 0.2 }), d)).auc;
    const lr = rocCurve(y, predictProba(fitLogistic(d, y), d)).auc;
    expect(gb).toBeGreaterThan(0.97);
    expect(lr).toBeLessThan(0.6);
  });
});
