/** BG/NBD and Gamma-Gamma against the published CDNOW references. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { datasetPath } from '../../helpers/datasets';
import { fitBgNbd, bgnbdPAlive, bgnbdExpected, bgnbdPopulationExpected } from '../../../main/analysis/btyd/bgnbd';
import { fitGammaGamma, ggExpectedValue, clvDiscounted } from '../../../main/analysis/btyd/gammagamma';
import { rfmSummary } from '../../../main/analysis/btyd/summary';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const ymd = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8));

function cdnowSample() {
  const rows = readFileSync(datasetPath('cdnow-sample.txt'), 'utf8').trim().split(/\r?\n/).map((l) => l.trim().split(/\s+/));
  return { customer: rows.map((r) => r[1]!), time: rows.map((r) => ymd(r[2]!)), amount: rows.map((r) => Number(r[4])) };
}

describe('BG/NBD', () => {
  it('the transaction summary equals lifetimes’ cdnow_customers_summary.csv', () => {
    const s = rfmSummary(cdnowSample(), { calibrationEnd: Date.UTC(1997, 8, 30), observationEnd: Date.UTC(1998, 5, 30), unit: 'weeks' });
    expect(s.customers).toHaveLength(2357);
    const ref = readFileSync(datasetPath('cdnow-customers-summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const byId = new Map(ref.map((r) => [r[0]!, r]));
    s.customers.forEach((c, i) => {
      const r = byId.get(Number(c))!;
      expect(s.x[i]).toBe(r[1]);
      expect(Math.abs(s.tx[i]! - r[2]!)).toBeLessThan(0.006);
      expect(Math.abs(s.T[i]! - r[3]!)).toBeLessThan(0.006);
    });
  });

  it('fits CDNOW (calibration to 1997-09-30, weeks): r 0.2426, α 4.4136, a 0.7929, b 2.4259, LL −9582.43', () => {
    const s = rfmSummary(cdnowSample(), { calibrationEnd: Date.UTC(1997, 8, 30), unit: 'weeks' });
    const f = fitBgNbd(s.x, s.tx, s.T);
    expect(rel(f.r, 0.2426)).toBeLessThan(0.001);
    expect(rel(f.alpha, 4.4136)).toBeLessThan(0.001);
    expect(rel(f.a, 0.7929)).toBeLessThan(0.001);
    expect(rel(f.b, 2.4259)).toBeLessThan(0.001);
    expect(Math.abs(f.logLikelihood - -9582.43)).toBeLessThan(0.01);
    expect(f.converged).toBe(true);
    const pa = bgnbdPAlive(f, s.x, s.tx, s.T);
    expect(Math.min(...pa)).toBeGreaterThan(0);
    expect(Math.max(...pa)).toBeLessThanOrEqual(1);
    // The expected population curve and the conditional expectations are consistent and increasing.
    expect(bgnbdPopulationExpected(f, 39)).toBeGreaterThan(bgnbdPopulationExpected(f, 10));
    const e = bgnbdExpected(f, 39, s.x, s.tx, s.T);
    const total = e.reduce((a, b) => a + b, 0);
    // Hold-out weeks 40–78: the model's total is close to the actual repeat purchases (FHL 2005, Fig. 3).
    const hold = rfmSummary(cdnowSample(), { calibrationEnd: Date.UTC(1997, 8, 30), observationEnd: Date.UTC(1998, 5, 30), unit: 'weeks' });
    const actual = hold.holdoutX.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - actual) / actual).toBeLessThan(0.15);
  });
});

describe('Gamma-Gamma', () => {
  it('fits the 946 CDNOW repeat buyers: p 6.2488, q 3.7446, v 15.4477', () => {
    const rows = readFileSync(datasetPath('cdnow-customers-summary-monetary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number)).filter((r) => r[1]! > 0);
    expect(rows).toHaveLength(946);
    const g = fitGammaGamma(rows.map((r) => r[1]!), rows.map((r) => r[4]!));
    expect(rel(g.p, 6.2488)).toBeLessThan(0.001);
    expect(rel(g.q, 3.7446)).toBeLessThan(0.001);
    expect(rel(g.v, 15.4477)).toBeLessThan(0.001);
    const ev = ggExpectedValue(g, [1, 10], [20, 20]);
    expect(ev[1]! - 20).toBeLessThan(ev[0]! - 20); // more purchases → closer to own mean
  });

  it('discounted CLV is positive, grows with the horizon and with P(alive)', () => {
    const s = rfmSummary(cdnowSample(), { calibrationEnd: Date.UTC(1997, 8, 30), unit: 'weeks' });
    const bg = fitBgNbd(s.x, s.tx, s.T, { starts: 2 });
    const rep = [...s.x.keys()].filter((i) => s.x[i]! > 0 && s.zbar[i]! > 0);
    const gg = fitGammaGamma(rep.map((i) => s.x[i]!), rep.map((i) => s.zbar[i]!));
    const c6 = clvDiscounted(bg, gg, s.x, s.tx, s.T, s.zbar, { months: 6, discountMonthly: 0.01, periodsPerMonth: 4.345 });
    const c12 = clvDiscounted(bg, gg, s.x, s.tx, s.T, s.zbar, { months: 12, discountMonthly: 0.01, periodsPerMonth: 4.345 });
    for (let i = 0; i < 50; i++) {
      expect(c6[i]!).toBeGreaterThan(0);
      expect(c12[i]!).toBeGreaterThan(c6[i]!);
    }
  });
});
