/** A/B planner: customers per variant to detect a lift, and the power curve around that size. */
import { AppError } from '../../../shared/errors';
import { power, sampleSize } from '../../analysis/sms/abtest';

export function planAbTest(a: { p1: number; p2: number; alpha: number; power: number; n?: number }) {
  if (a.p1 === a.p2) throw new AppError('no_difference', 'The two rates are equal: there is no difference to detect.', '两个转化率相同，没有可检测的差异。');
  const perVariant = sampleSize(a.p1, a.p2, { alpha: a.alpha, power: a.power });
  const curve = [0.25, 0.5, 0.75, 1, 1.5, 2, 3].map((f) => Math.max(2, Math.round(perVariant * f))).map((n) => ({ n, power: power(n, a.p1, a.p2, a.alpha) }));
  return { perVariant, total: 2 * perVariant, powerAtN: a.n ? power(a.n, a.p1, a.p2, a.alpha) : null, curve };
}
