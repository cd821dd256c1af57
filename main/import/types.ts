/**
 * Column type inference and typed parsing of cell values (Chinese and Western formats).
 *
 * A column's type is the first in this order whose parser accepts ≥ 95% of the sample's
 * non-empty values (blank and whitespace-only cells are empty, not invalid):
 * boolean → date → datetime → phone → email → percent → integer → decimal → id/category/text.
 * Integer-looking columns whose header names an identifier (id, no, code, 编号, 号 …), or whose
 * values are all like `17850.0`, become `id` (stored as text without the `.0`). 8-digit
 * numbers are dates only when every sampled value is a valid yyyymmdd date. Excel serial dates
 * and epoch seconds/milliseconds are recognised only in columns whose header names a date/time.
 * Ambiguous d/m/yyyy vs m/d/yyyy: decided by the data (a first part > 12 means d/m); when
 * nothing decides, m/d (the US export default) — the wizard shows and lets the user override it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type ColumnType = 'integer' | 'decimal' | 'percent' | 'boolean' | 'date' | 'datetime' | 'phone' | 'email' | 'id' | 'category' | 'text';
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export interface ColumnInference {
  name: string;
  type: ColumnType;
  fitShare: number;
  nonEmpty: number;
  badExamples: string[];
  dateOrder?: DateOrder;
  dateFormat?: string;
  distinct: number;
  examples: string[];
}

const FW_DIGITS = /[０-９．，－＋：／]/g;
/** Full-width digits and number punctuation → ASCII. */
export function halfWidthDigits(s: string): string {
  return s.replace(FW_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

// ---------- numbers ----------
const INT_RE = /^[+-]?\d+$/;
const INT_THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+$/;
const DEC_RE = /^[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?$/;

export function parseInteger(raw: string): number | null {
  let s = raw.trim();
  if (INT_RE.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : null;
  }
  s = halfWidthDigits(s);
  if (INT_RE.test(s) || INT_THOUSANDS.test(s)) {
    const n = Number(s.replace(/,/g, ''));
    return Number.isSafeInteger(n) ? n : null;
  }
  if (/^[+-]?\d+\.0+$/.test(s)) return Number(s.split('.')[0]);
  return null;
}

/** '1,234.50', '¥1,234.50', '￥12', '12元', '1.2万' (×10⁴), '3亿' (×10⁸), '(1,234.50)' (negative), '-'. */
export function parseDecimal(raw: string): number | null {
  let s = raw.trim();
  if (s === '') return null;
  const fast = Number(s);
  if (!Number.isNaN(fast) && /^[+-]?(\d|\.\d)/.test(s) && !/[xXoObBeE]/.test(s.replace(/e[+-]?\d+$/i, ''))) return fast;
  s = halfWidthDigits(s).replace(/\s+/g, '');
  let neg = false;
  if (/^\(.*\)$/.test(s)) {
    neg = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/^(RMB|CNY|人民币)/i, '').replace(/^[+]?[¥￥$]/, '').replace(/^-[¥￥$]/, '-');
  let mult = 1;
  if (s.endsWith('元')) s = s.slice(0, -1);
  if (s.endsWith('万')) {
    mult = 1e4;
    s = s.slice(0, -1);
  } else if (s.endsWith('亿')) {
    mult = 1e8;
    s = s.slice(0, -1);
  }
  if (s === '' || s === '-' || s === '+' || !DEC_RE.test(s)) return null;
  const n = Number(s.replace(/,/g, ''));
  if (!Number.isFinite(n)) return null;
  const v = n * mult;
  return neg ? -v : Math.round(v * 1e10) / 1e10;
}

export function parsePercent(raw: string): number | null {
  const s = halfWidthDigits(raw.trim()).replace(/％$/, '%');
  if (!s.endsWith('%')) return null;
  const n = parseDecimal(s.slice(0, -1));
  return n === null ? null : n / 100;
}

// ---------- booleans ----------
const TRUE = new Set(['是', 'y', 'yes', 'true', 't', '1', '对', '有', '√']);
const FALSE = new Set(['否', 'n', 'no', 'false', 'f', '0', '错', '无', '×']);
export function parseBoolean(raw: string): 1 | 0 | null {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return 1;
  if (FALSE.has(s)) return 0;
  return null;
}

// ---------- dates ----------
const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
function ymd(y: number, m: number, d: number): string | null {
  return validYmd(y, m, d) ? `${y}-${pad2(m)}-${pad2(d)}` : null;
}
function hms(h: number, mi: number, s: number): string | null {
  return h <= 23 && mi <= 59 && s <= 60 ? `${pad2(h)}:${pad2(mi)}:${pad2(Math.min(s, 59))}` : null;
}

const D_YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const D_CN = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/;
const D_8 = /^(\d{4})(\d{2})(\d{2})$/;
const D_XYZ = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/;
const T_PART = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?$/;

/** Parse a date; returns 'YYYY-MM-DD' or null. */
export function parseDate(raw: string, order: DateOrder = 'mdy'): string | null {
  const s = halfWidthDigits(raw.trim());
  let m = D_YMD.exec(s) ?? D_CN.exec(s);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = D_8.exec(s);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = D_XYZ.exec(s);
  if (m) {
    let y = +m[3]!;
    if (m[3]!.length === 2) y += y < 70 ? 2000 : 1900;
    const a = +m[1]!;
    const b = +m[2]!;
    return order === 'dmy' ? ymd(y, b, a) : ymd(y, a, b);
  }
  return null;
}

/** Parse a date-time; returns 'YYYY-MM-DD HH:MM:SS' or null (a bare date is not a date-time). */
const ISO_DT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

export function parseDateTime(raw: string, order: DateOrder = 'mdy'): string | null {
  // Fast path: already 'YYYY-MM-DD HH:MM:SS' (most exports) — validate, keep as is.
  const iso = ISO_DT.exec(raw);
  if (iso) return validYmd(+iso[1]!, +iso[2]!, +iso[3]!) && +iso[4]! < 24 && +iso[5]! < 60 && +iso[6]! < 61 ? (raw[10] === ' ' ? raw : raw.replace('T', ' ')) : null;
  const s = halfWidthDigits(raw.trim()).replace(/(Z|[+-]\d{2}:?\d{2})$/, '');
  const cut = s.search(/[ T]\d{1,2}[:：]/);
  if (cut < 0) {
    const cn = /^(.+日)\s*(\d{1,2})[时:](\d{1,2})分?(?:(\d{1,2})秒?)?$/.exec(s);
    if (!cn) return null;
    const d = parseDate(cn[1]!, order);
    const t = hms(+cn[2]!, +cn[3]!, +(cn[4] ?? 0));
    return d && t ? `${d} ${t}` : null;
  }
  const d = parseDate(s.slice(0, cut), order);
  const tm = T_PART.exec(s.slice(cut + 1).trim());
  if (!d || !tm) return null;
  const t = hms(+tm[1]!, +tm[2]!, +(tm[3] ?? 0));
  return t ? `${d} ${t}` : null;
}

/** Excel serial day (1900 system, with Excel's 1900-02-29 bug) → date. */
export function excelSerialToDate(n: number): string | null {
  if (!(n >= 1 && n < 2958466)) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(n) * 86400000;
  return new Date(ms).toISOString().slice(0, 10);
}

function epochToDateTime(n: number): string | null {
  const ms = n > 1e11 ? n : n * 1000;
  if (ms < Date.UTC(1990, 0, 1) || ms > Date.UTC(2100, 0, 1)) return null;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------- phones and emails ----------
const CN_MOBILE = /^(?:\+?86|0086)?(1[3-9]\d{9})$/;
/** Chinese mobile (+86/0086/spaces/dashes/full-width digits) → +86…; other numbers via libphonenumber (CN default). */
export function parsePhone(raw: string): string | null {
  const s = halfWidthDigits(raw.trim());
  const compact = s.replace(/[\s\-().]/g, '');
  const m = CN_MOBILE.exec(compact);
  if (m) return '+86' + m[1]!;
  if (!/^\+?[\d]{5,}$/.test(compact)) return null;
  const p = parsePhoneNumberFromString(s, 'CN');
  return p && p.isValid() ? p.number : null;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;
export function parseEmail(raw: string): string | null {
  const s = raw.trim();
  if (!EMAIL.test(s)) return null;
  const at = s.lastIndexOf('@');
  return s.slice(0, at) + '@' + s.slice(at + 1).toLowerCase();
}

// ---------- headers ----------
const ID_HEADER = /(^|[_\s.-])(id|no|nr|num|code|key)$|id$|编号|编码|代码|号$|单号|卡号|账号|工号/i;
const DATE_HEADER = /date|time|day|dt$|_at$|日期|时间|年月|生日|出生/i;

/** Trim; empty names → column_N; duplicates (case-insensitive, as SQLite compares names) → name_2, name_3 … */
export function uniqueHeaders(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    const n = raw.replace(/^\ufeff/, '').trim().replace(/\s+/g, ' ') || `column_${i + 1}`;
    let c = n;
    for (let k = 2; used.has(c.toLowerCase()); k++) c = `${n}_${k}`;
    used.add(c.toLowerCase());
    return c;
  });
}

// ---------- typed parsing ----------
/**
 * A parser for one column, chosen once (the import job calls it per cell: no per-cell switch).
 * Returns the typed value, or null when the text does not fit; empty cells are handled by the
 * caller.
 */
export function columnParser(type: ColumnType, hints?: { dateOrder?: DateOrder; dateFormat?: string }): (raw: string) => string | number | null {
  switch (type) {
    case 'category':
    case 'text':
      return (raw) => raw;
    case 'id':
      return (raw) => {
        const c = raw.charCodeAt(raw.length - 1);
        if (c !== 48 && c !== 32) return raw; // fast path: not ending in '0' or a space
        return parseTyped('id', raw);
      };
    case 'datetime':
      return (raw) => (raw.length === 19 && ISO_DT.test(raw) ? parseDateTime(raw) : parseTyped('datetime', raw, hints));
    default:
      return (raw) => parseTyped(type, raw, hints);
  }
}

export function parseTyped(type: ColumnType, raw: string, hints?: { dateOrder?: DateOrder; dateFormat?: string }): string | number | null {
  if (raw === '' || raw.trim() === '') return null;
  switch (type) {
    case 'integer':
      return parseInteger(raw);
    case 'decimal':
      return parseDecimal(raw);
    case 'percent':
      return parsePercent(raw) ?? parseDecimal(raw);
    case 'boolean':
      return parseBoolean(raw);
    case 'date': {
      const d = parseDate(raw, hints?.dateOrder);
      if (d) return d;
      if (hints?.dateFormat === 'excel-serial') return excelSerialToDate(Number(raw));
      const dt = parseDateTime(raw, hints?.dateOrder);
      return dt ? dt.slice(0, 10) : null;
    }
    case 'datetime': {
      const dt = parseDateTime(raw, hints?.dateOrder);
      if (dt) return dt;
      if (hints?.dateFormat === 'epoch') return /^\d{9,13}$/.test(raw.trim()) ? epochToDateTime(Number(raw)) : null;
      const d = parseDate(raw, hints?.dateOrder);
      return d ? `${d} 00:00:00` : null;
    }
    case 'phone':
      return parsePhone(raw);
    case 'email':
      return parseEmail(raw);
    case 'id': {
      const s = raw.trim();
      return /^\d+\.0+$/.test(s) ? s.split('.')[0]! : s;
    }
    default:
      return raw;
  }
}

// ---------- inference ----------
function decideOrder(values: string[]): DateOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  let any = false;
  for (const v of values) {
    const m = D_XYZ.exec(halfWidthDigits(v.trim().split(/[ T]/)[0]!));
    if (!m) continue;
    any = true;
    if (+m[1]! > 12) dmy++;
    if (+m[2]! > 12) mdy++;
  }
  if (!any) return undefined;
  return dmy > mdy ? 'dmy' : 'mdy';
}

export function inferColumn(name: string, values: string[]): ColumnInference {
  const nonEmptyVals = values.filter((v) => v !== '' && v.trim() !== '');
  const distinctSet = new Set(nonEmptyVals);
  const distinct = distinctSet.size;
  const examples = [...distinctSet].slice(0, 8);
  const base = { name, nonEmpty: nonEmptyVals.length, distinct, examples };
  if (nonEmptyVals.length === 0) return { ...base, type: 'text', fitShare: 1, badExamples: [] };
  const order = decideOrder(nonEmptyVals);
  const fit = (fn: (v: string) => unknown) => {
    let ok = 0;
    const bad: string[] = [];
    for (const v of nonEmptyVals) {
      if (fn(v) !== null) ok++;
      else if (bad.length < 5 && !bad.includes(v)) bad.push(v);
    }
    return { share: ok / nonEmptyVals.length, bad };
  };
  const result = (type: ColumnType, f: { share: number; bad: string[] }, extra: Partial<ColumnInference> = {}): ColumnInference => ({ ...base, type, fitShare: f.share, badExamples: f.bad, ...extra });
  const ok = (f: { share: number }) => f.share >= 0.95;
  const dateHeader = DATE_HEADER.test(name);
  const idHeader = ID_HEADER.test(name);

  const bool = fit(parseBoolean);
  const numericFlag = nonEmptyVals.every((v) => /^[01]$/.test(v.trim()));
  const boolDistinct = new Set(nonEmptyVals.map((v) => v.trim().toLowerCase())).size;
  if (ok(bool) && boolDistinct <= 2 && (!numericFlag || boolDistinct === 2) && !idHeader) return result('boolean', bool);
  const eightDigit = nonEmptyVals.every((v) => /^\d{8}$/.test(v.trim()));
  const date = fit((v) => (!eightDigit && /^\d+$/.test(v.trim()) ? null : parseDate(v, order)));
  if (ok(date)) return result('date', date, { dateOrder: order ?? 'ymd', dateFormat: eightDigit ? 'yyyymmdd' : undefined });
  const dt = fit((v) => parseDateTime(v, order) ?? parseDate(v, order));
  if (ok(dt) && nonEmptyVals.some((v) => parseDateTime(v, order) !== null)) return result('datetime', dt, { dateOrder: order ?? 'ymd' });
  if (dateHeader) {
    const serial = fit((v) => (/^\d{5}(\.\d+)?$/.test(v.trim()) && +v >= 20000 && +v <= 80000 ? excelSerialToDate(+v) : null));
    if (ok(serial)) return result('date', serial, { dateFormat: 'excel-serial' });
    const epoch = fit((v) => (/^\d{9,13}$/.test(v.trim()) ? epochToDateTime(+v) : null));
    if (ok(epoch)) return result('datetime', epoch, { dateFormat: 'epoch' });
  }
  const phone = fit(parsePhone);
  const phoneHeader = /phone|mobile|tel|手机|电话|联系方式/i.test(name);
  if (ok(phone) && (phoneHeader || nonEmptyVals.some((v) => /[+\s-]|^1[3-9]\d{9}$/.test(v.trim())))) {
    if (phoneHeader || nonEmptyVals.filter((v) => CN_MOBILE.test(halfWidthDigits(v).replace(/[\s\-()]/g, ''))).length >= 0.9 * nonEmptyVals.length) return result('phone', phone);
  }
  const email = fit(parseEmail);
  if (ok(email)) return result('email', email);
  const pct = fit(parsePercent);
  if (ok(pct)) return result('percent', pct);
  const int = fit(parseInteger);
  if (ok(int)) {
    const dotZero = nonEmptyVals.every((v) => /^\d+\.0+$/.test(v.trim()));
    if (idHeader || dotZero) return result('id', int);
    return result('integer', int);
  }
  const dec = fit(parseDecimal);
  if (ok(dec)) return result('decimal', dec);
  const all = { share: 1, bad: [] };
  const avgLen = nonEmptyVals.reduce((s, v) => s + v.length, 0) / nonEmptyVals.length;
  // Identifier columns: an id-like header over short codes without spaces (C101637, SO2022…).
  if (idHeader && avgLen <= 32 && nonEmptyVals.every((v) => !/\s/.test(v.trim()))) return result('id', all);
  const catLimit = Math.max(20, Math.min(200, Math.round(0.05 * nonEmptyVals.length)));
  if (distinct <= catLimit && avgLen <= 40 && distinct < nonEmptyVals.length) return result('category', all);
  if (avgLen <= 24 && distinct >= 0.9 * nonEmptyVals.length && !/\s/.test(nonEmptyVals[0]!.trim()) && /^[A-Za-z0-9_-]+$/.test(nonEmptyVals[0]!.trim())) return result('id', all);
  return result('text', all);
}
