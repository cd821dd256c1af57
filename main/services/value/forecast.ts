/** Revenue / orders / customers per month or week (SQL, valid orders through the identity layer's customer key), then Holt-Winters with a 95% interval. */
import type { ForecastResult } from '../../../shared/api/value';
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';
import { purchaseSql } from '../identity/events';
import { holtWinters } from '../../analysis/value/forecast';

export function forecast(db: DB, a: { datasetId: string; measure: 'revenue' | 'orders' | 'customers'; grain: 'month' | 'week'; horizon: number }): ForecastResult {
  const p = purchaseSql(db, a.datasetId);
  const s = { time: p.time, amount: p.amount, invoice: p.invoice, customer: p.key };
  const bucket = a.grain === 'month' ? `substr(${s.time}, 1, 7)` : `strftime('%Y-W%W', ${s.time})`;
  const measure = a.measure === 'revenue' ? `sum(${s.amount})` : a.measure === 'orders' ? (s.invoice ? `count(DISTINCT ${s.invoice})` : 'count(*)') : `count(DISTINCT ${s.customer})`;
  const rows = db.prepare(`SELECT ${bucket} AS p, ${measure} AS v FROM ${p.from} WHERE ${p.valid} GROUP BY 1 ORDER BY 1`).raw(true).all() as [string, number][];
  if (rows.length < 4) throw new AppError('too_short', 'At least 4 periods of data are needed for a forecast.', '至少需要 4 个周期的数据才能预测。');
  const values = rows.map((r) => r[1]);
  const f = holtWinters(values, { period: a.grain === 'month' ? 12 : 52, horizon: a.horizon });
  const last = rows[rows.length - 1]![0];
  const future: string[] = [];
  if (a.grain === 'month') {
    let [y, m] = last.split('-').map(Number) as [number, number];
    for (let h = 0; h < a.horizon; h++) {
      m++;
      if (m > 12) [y, m] = [y + 1, 1];
      future.push(`${y}-${String(m).padStart(2, '0')}`);
    }
  } else for (let h = 1; h <= a.horizon; h++) future.push(`+${h}w`);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    periods: rows.map((r) => r[0]),
    values,
    fitted: Array.from(f.fitted, r2),
    future,
    forecast: Array.from(f.forecast, r2),
    lower: Array.from(f.lower, r2),
    upper: Array.from(f.upper, r2),
    seasonal: f.method !== 'holt-linear',
    method: f.method,
    params: { alpha: f.alpha, beta: f.beta, gamma: Number.isNaN(f.gamma) ? 0 : f.gamma },
  };
}
