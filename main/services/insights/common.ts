/** Small helpers shared by the insights services: dates, role columns with clear errors, column lookups. */
import { AppError } from '../../../shared/errors';
import type { DatasetInfo, Role } from '../../../shared/types';
import { roleColumn } from '../datasets/index';

export const DAY = 86_400_000;

/** 'YYYY-MM-DD' → the last millisecond of that day (UTC wall time, as timeMs reads stored times). */
export function endOfDay(date: string): number {
  const t = Date.parse(date + 'T23:59:59.999Z');
  if (!Number.isFinite(t)) throw new AppError('bad_date', `"${date}" is not a date (YYYY-MM-DD).`, `“${date}”不是有效日期（YYYY-MM-DD）。`);
  return t;
}

const ROLE_ZH: Partial<Record<Role, string>> = { customer_id: '客户ID', phone: '手机号', timestamp: '时间', amount: '金额', channel: '渠道', region: '省份', city: '城市' };

export function needRole(info: DatasetInfo, ...roles: Role[]): string {
  const c = roleColumn(info, ...roles);
  if (!c) {
    const en = roles.join(' or ');
    const zh = roles.map((r) => ROLE_ZH[r] ?? r).join('或');
    throw new AppError('missing_role', `Dataset "${info.name}" has no ${en} column; set the role in the import settings.`, `数据集“${info.name}”没有“${zh}”角色的列，请在导入设置中指定。`, { dataset: info.id, role: roles[0] });
  }
  return c;
}

export function needColumn(info: DatasetInfo, name: string): string {
  if (!info.columns.some((c) => c.name === name)) throw new AppError('unknown_column', `Dataset "${info.name}" has no column "${name}".`, `数据集“${info.name}”没有列“${name}”。`, { dataset: info.id, column: name });
  return name;
}

/** The customer key column and its role: customer id, else phone, else email. */
export function customerKey(info: DatasetInfo): { column: string; role: Role } | null {
  for (const r of ['customer_id', 'phone', 'email'] as Role[]) {
    const c = roleColumn(info, r);
    if (c) return { column: c, role: r };
  }
  return null;
}

/** The key two datasets share: customer id when both have one, else phone, else email. */
export function sharedKey(a: DatasetInfo, b: DatasetInfo): { a: string; b: string; role: Role } | null {
  for (const r of ['customer_id', 'phone', 'email'] as Role[]) {
    const ca = roleColumn(a, r);
    const cb = roleColumn(b, r);
    if (ca && cb) return { a: ca, b: cb, role: r };
  }
  return null;
}

export const NUMERIC_TYPES = new Set(['integer', 'decimal', 'percent']);

/** Rounds for JSON payloads (NaN/∞ → null). */
export function num(x: number, digits = 4): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
