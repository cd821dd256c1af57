/**
 * Revenue / orders / customers per month or week (SQL, valid orders through the identity layer's
 * customer key, grouped in the engine that holds the rows), then Holt-Winters with a 95% interval.
 */
import type { ForecastResult } from '../../../shared/api/value';
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';
import { eachRowWhereTheDataIs, purchaseSql, type PurchaseSql } from '../identity/events';
import { holtWinters } from '../../analysis/value/forecast';

export async function forecast(db: DB, a: { datasetId: string; measure: 'revenue' | 'orders' | 'customers'; grain: 'month' | 'week'; horizon: number }): Promise<ForecastResult> {
  const rows: [string, number][] = [];
  const periodSql = (p: PurchaseSql) => {
    // the week as SQLite's strftime('%W') numbers it (weeks start on Monday); DuckDB's %W is the same
    const bucket = a.grain === 'month' ? `substr(${p.time}, 1, 7)` : p.info.engine === 'duckdb' ? `strftime(CAST(${p.time} AS TIMESTAMP), '%Y-W%W')` : `strftime('%Y-W%W', ${p.time})`;
    const measure = a.measure === 'revenue' ? `sum(${p.amount})` : a.measure === 'orders' ? (p.invoice ? `count(DISTINCT ${p.invoice})` : 'count(*)') : `count(DISTINCT ${p.key})`;
    return `SELECT ${bucket} AS p, ${measure} AS v FROM ${p.from} WHERE ${p.valid} GROUP BY 1 ORDER BY 1`;
  };
  await eachRowWhereTheDataIs(db, a.datasetId, () => periodSql(purchaseSql(db, a.datasetId)), (r) => rows.push([String(r[0]), Number(r[1])]));
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
