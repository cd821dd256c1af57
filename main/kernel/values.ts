/**
 * Typed parsing of cell values (Chinese and Western formats): the value parsers every domain uses
 * (import, cleaning, suppression, masking, exports). Domain-free: imports nothing from main/.
 *
 * Empty: '' and whitespace-only cells are empty (NULL), never invalid. Placeholders for "no
 * value" ('-', '--', '—', 'N/A', 'NA', '#N/A', 'null', 'NULL', 'None', 'NaN', '\N') are also
 * treated as empty when the column is typed (number, date, …): they are left out of the fit
 * share and parse to null; in id/category/text columns they stay as read.
 *
 *
 * Dates: 'YYYY-MM-DD', 'YYYY/M/D', 'YYYY.M.D', 'YYYY年M月D日', 'yyyymmdd' (a column of 8-digit
 * values only when all are valid dates), 'D/M/YYYY' or 'M/D/YYYY' (also '-' '.' and 2-digit
 * years: 00–69 → 20xx, 70–99 → 19xx), month names ('5 Jan 2024', '05-Jan-2024', 'Jan 5, 2024').
 * Day/month order is decided by the data: a first part > 12 votes d/m, a second part > 12 votes
 * m/d, the majority wins; with no vote m/d is assumed and `note` says so (the wizard lets the
 * user override `dateOrder`). Times: 'H:MM[:SS[.fff]]' with optional AM/PM or 上午/下午/晚上,
 * '8时26分[5秒]' / '8点26分'; a trailing 'Z' or '+08:00' is dropped (the wall-clock time as
 * written is kept). Excel serial days use the 1900 system (serial 1 = 1900-01-01; 60 is
 * Excel's fictitious 1900-02-29 and gives null; from 61 on one day is taken off); epoch values ≥ 1e11 are milliseconds,
 * otherwise seconds, shown in UTC unless `tzOffsetMinutes` is given (480 for China).
 * Output: dates 'YYYY-MM-DD', date-times 'YYYY-MM-DD HH:MM:SS'.
 *
 * Numbers: integers may have thousands separators ('1,234') and full-width digits. Decimals also
 * accept currency marks (¥ ￥ $ € £ RMB CNY 人民币 US$ HK$, a trailing 元 or 块), 万 (×10⁴) and
 * 亿 (×10⁸) — shifted on the decimal text, so '1.2万' is exactly 12000 — and accounting
 * negatives '(1,234.50)' = −1234.5. Percent: '12.5%' → 0.125 (also '１２％'); in a percent column
 * a bare number is taken as already a fraction. Non-finite results are rejected.
 * Booleans → 1/0. Phones → E.164 (+8613800138000): Chinese mobiles with +86/0086/spaces/dashes/
 * full-width digits on a fast path (a national number starting with 1 that is not a mobile is
 * rejected), everything else (landlines with area code '010-12345678')
 * through libphonenumber-js with default country CN (or `defaultCountry`; a phone column of
 * 3-3-4 digit groups without Chinese mobiles is inferred with defaultCountry 'US'). Emails: trimmed,
 * domain lowercased. Ids: the text as read, trimmed, with a float-export '.0' removed.
 */
import { parsePhoneNumberFromString as parsePhoneNumberMax, type CountryCode } from 'libphonenumber-js/max';
import type { ColumnType } from '../../shared/types';

export type { ColumnType };
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export interface TypeHints {
  dateOrder?: DateOrder;
  dateFormat?: string;
  /** Offset from UTC for epoch values, minutes (480 = China Standard Time). Default 0. */
  tzOffsetMinutes?: number;
  /** Default country for phone numbers without a country code. Default 'CN'. */
  defaultCountry?: CountryCode;
}

const FW = /[０-９．，－＋：／％（）]/g;
/** Full-width digits and number punctuation → ASCII. */
export function halfWidthDigits(s: string): string {
  return s.replace(FW, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Placeholders read as missing in typed columns (lower case; compared trimmed and lower-cased). */
export const MISSING_WORDS: readonly string[] = ['-', '--', '---', '—', '——', '–', 'n/a', 'na', '#n/a', 'null', 'none', 'nan', '\\n', '(null)', '#null!', '#value!', '#div/0!'];
const MISSING = new Set(MISSING_WORDS);
/** A placeholder for "no value" ('-', 'N/A', 'NULL' …), or an empty/blank cell. */
export function isMissingValue(raw: string): boolean {
  // fast path (called for most typed cells): a digit or a CJK character first is never a placeholder
  const c = raw.charCodeAt(0);
  if ((c >= 48 && c <= 57) || (c >= 0x3400 && c < 0xfe00)) return false;
  const s = raw.trim();
  return s === '' || (s.length <= 7 && MISSING.has(s.toLowerCase()));
}

// ---------- numbers ----------
export const INT_RE = /^[+-]?\d+$/;
const INT_THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+$/;
const DEC_RE = /^[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?$/;
const FAST_NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseInteger(raw: string): number | null {
  let s = raw.trim();
  if (!INT_RE.test(s)) {
    s = halfWidthDigits(s);
    if (INT_THOUSANDS.test(s)) s = s.replace(/,/g, '');
    else if (/^[+-]?\d+\.0+$/.test(s)) s = s.slice(0, s.indexOf('.'));
    else if (!INT_RE.test(s)) return null;
  }
  const n = Number(s);
  return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : null;
}

/** Move the decimal point of a plain decimal string k places (exact: no binary rounding). */
function shiftDecimal(s: string, k: number): number {
  let sign = '';
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let ip = dot === -1 ? s : s.slice(0, dot);
  let fp = dot === -1 ? '' : s.slice(dot + 1);
  if (k >= 0) {
    fp = fp.padEnd(k, '0');
    ip += fp.slice(0, k);
    fp = fp.slice(k);
  } else {
    const m = -k;
    ip = ip.padStart(m + 1, '0');
    fp = ip.slice(ip.length - m) + fp;
    ip = ip.slice(0, ip.length - m);
  }
  const n = Number(`${sign}${ip || '0'}${fp ? '.' + fp : ''}`);
  return n === 0 ? 0 : n;
}

/** '1,234.50', '¥1,234.50', '￥12', '12元', '1.2万' (×10⁴), '3亿' (×10⁸), '(1,234.50)' (negative). */
export function parseDecimal(raw: string): number | null {
  let s = raw.trim();
  if (s === '') return null;
  if (FAST_NUM.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? (n === 0 ? 0 : n) : null;
  }
  s = halfWidthDigits(s).replace(/\s+/g, '');
  let neg = false;
  if (s.length > 2 && s[0] === '(' && s[s.length - 1] === ')') {
    neg = true;
    s = s.slice(1, -1);
  }
  let sign = '';
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  s = s.replace(/^(RMB|CNY|人民币|US\$|HK\$|NT\$|[¥￥$€£])/i, '');
  if (s[0] === '-' && sign === '') {
    sign = '-';
    s = s.slice(1);
  }
  s = s.replace(/(元|块|RMB|CNY)$/i, '');
  let shift = 0;
  if (s.endsWith('万')) {
    shift = 4;
    s = s.slice(0, -1);
  } else if (s.endsWith('亿')) {
    shift = 8;
    s = s.slice(0, -1);
  }
  if (s === '' || s === '.' || !DEC_RE.test(s)) return null;
  const v = shiftDecimal(sign + s.replace(/,/g, ''), shift);
  if (!Number.isFinite(v)) return null;
  return neg ? (v === 0 ? 0 : -v) : v;
}

/** '12.5%' → 0.125 (also full-width ％). Null when there is no percent sign. */
export function parsePercent(raw: string): number | null {
  const s = halfWidthDigits(raw.trim());
  if (!s.endsWith('%')) return null;
  let body = s.slice(0, -1).trim().replace(/,/g, '');
  let neg = false;
  if (body[0] === '-' || body[0] === '+') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (!/^(\d+\.?\d*|\.\d+)$/.test(body)) return null;
  const v = shiftDecimal(body, -2);
  return neg && v !== 0 ? -v : v;
}

// ---------- booleans ----------
const TRUE = new Set(['是', 'y', 'yes', 'true', 't', '1', '对', '有', '√', '真']);
const FALSE = new Set(['否', 'n', 'no', 'false', 'f', '0', '错', '无', '×', '假']);
export function parseBoolean(raw: string): 1 | 0 | null {
  // the word as written first: lower-casing a Chinese word (是/否) goes through ICU, ~0.1 µs a cell
  if (TRUE.has(raw)) return 1;
  if (FALSE.has(raw)) return 0;
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return 1;
  if (FALSE.has(s)) return 0;
  return null;
}

// ---------- dates ----------
const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function validYmd(y: number, m: number, d: number): boolean {
  if (!(y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1)) return false;
  return d <= (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[m - 1]!);
}
function ymd(y: number, m: number, d: number): string | null {
  return validYmd(y, m, d) ? `${y}-${pad2(m)}-${pad2(d)}` : null;
}
function hms(h: number, mi: number, s: number): string | null {
  return h <= 23 && mi <= 59 && s <= 60 ? `${pad2(h)}:${pad2(mi)}:${pad2(Math.min(s, 59))}` : null;
}
const year2 = (t: string) => (t.length === 2 ? (+t < 70 ? 2000 : 1900) + +t : +t);

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12 };
const monthOf = (w: string): number | undefined => MONTHS[w.toLowerCase().slice(0, w.length > 4 && w.toLowerCase().startsWith('sept') ? 4 : 3)];

const D_YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const D_CN = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;
const D_8 = /^(\d{4})(\d{2})(\d{2})$/;
export const D_XYZ = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/;
const D_DMONY = /^(\d{1,2})[-\s/]([A-Za-z]{3,9})\.?[-\s/,]+(\d{2}|\d{4})$/;
const D_MONDY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;
const T_PART = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?\s*(am|pm|a\.m\.|p\.m\.)?$/i;
const T_CN = /^(上午|下午|晚上|中午|凌晨|早上)?\s*(\d{1,2})\s*[时點点:：]\s*(\d{1,2})\s*分?\s*(?:(\d{1,2})\s*秒?)?$/;

/** Parse a date; returns 'YYYY-MM-DD' or null. */
export function parseDate(raw: string, order: DateOrder = 'mdy'): string | null {
  const s = halfWidthDigits(raw.trim());
  let m = D_YMD.exec(s) ?? D_CN.exec(s) ?? D_8.exec(s);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = D_XYZ.exec(s);
  if (m) {
    const y = year2(m[3]!);
    const a = +m[1]!;
    const b = +m[2]!;
    return order === 'dmy' ? ymd(y, b, a) : ymd(y, a, b);
  }
  m = D_DMONY.exec(s);
  if (m) {
    const mo = monthOf(m[2]!);
    return mo ? ymd(year2(m[3]!), mo, +m[1]!) : null;
  }
  m = D_MONDY.exec(s);
  if (m) {
    const mo = monthOf(m[1]!);
    return mo ? ymd(+m[3]!, mo, +m[2]!) : null;
  }
  return null;
}

function parseTime(t: string): string | null {
  let m = T_PART.exec(t);
  if (m) {
    let h = +m[1]!;
    const ap = m[4]?.toLowerCase()[0];
    if (ap) {
      if (h < 1 || h > 12) return null;
      if (ap === 'p' && h < 12) h += 12;
      if (ap === 'a' && h === 12) h = 0;
    }
    return hms(h, +m[2]!, +(m[3] ?? 0));
  }
  m = T_CN.exec(t);
  if (m) {
    let h = +m[2]!;
    if ((m[1] === '下午' || m[1] === '晚上') && h < 12) h += 12;
    if (m[1] === '凌晨' && h === 12) h = 0;
    return hms(h, +m[3]!, +(m[4] ?? 0));
  }
  return null;
}

/** The number of the two ASCII digits at s[i], s[i + 1], or -1. */
export function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * 'YYYY-MM-DD HH:MM:SS' (or with a T) read by character codes, without a regular expression or
 * allocation: most exports write every date-time this way. true/false = it is one, valid or not;
 * null = another layout.
 */
function isoDateTimeValid(raw: string): boolean | null {
  if (raw.length !== 19 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45 || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58) return null;
  const sep = raw.charCodeAt(10);
  const hi = digits2(raw, 0);
  const lo = digits2(raw, 2);
  const mo = digits2(raw, 5);
  const d = digits2(raw, 8);
  const h = digits2(raw, 11);
  const mi = digits2(raw, 14);
  const sec = digits2(raw, 17);
  if ((sep !== 32 && sep !== 84) || hi < 0 || lo < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return null;
  return validYmd(hi * 100 + lo, mo, d) && h < 24 && mi < 60 && sec < 61;
}

/** The fast path of parseDateTime: the value of an ISO-laid-out date-time (null if invalid), undefined for any other layout. */
function isoDateTime(raw: string): string | null | undefined {
  const valid = isoDateTimeValid(raw);
  if (valid === null) return undefined;
  return valid ? (raw.charCodeAt(10) === 32 ? raw : raw.replace('T', ' ')) : null;
}

const TIME_START = /[ T]\s*(?=\d{1,2}\s*[:：时點点])|(?<=[日号])\s*(?=(上午|下午|晚上|中午|凌晨|早上)?\s*\d{1,2}\s*[:：时點点])|\s+(?=(上午|下午|晚上|中午|凌晨|早上))/;

/** Parse a date-time; returns 'YYYY-MM-DD HH:MM:SS' or null (a bare date is not a date-time). */
export function parseDateTime(raw: string, order: DateOrder = 'mdy'): string | null {
  // Fast path: already 'YYYY-MM-DD HH:MM:SS' (most exports) — validate, keep as is.
  const iso = isoDateTime(raw);
  if (iso !== undefined) return iso;
  const s = halfWidthDigits(raw.trim()).replace(/(Z|\s?(UTC|GMT)?[+-]\d{2}:?\d{2})$/i, '');
  const cut = s.search(TIME_START);
  if (cut <= 0) return null;
  const d = parseDate(s.slice(0, cut), order);
  if (!d) return null;
  const t = parseTime(s.slice(cut).trim().replace(/^T/, ''));
  return t ? `${d} ${t}` : null;
}

/** Excel serial day (1900 system: 1 = 1900-01-01, 60 = Excel's fictitious 1900-02-29 → null) → 'YYYY-MM-DD' (fraction ignored). */
export function excelSerialToDate(n: number): string | null {
  const dt = excelSerialToDateTime(Math.floor(n));
  return dt ? dt.slice(0, 10) : null;
}

/** Excel serial with a time fraction → 'YYYY-MM-DD HH:MM:SS' (rounded to the second). */
export function excelSerialToDateTime(n: number): string | null {
  if (!(n >= 1 && n < 2958466) || Math.floor(n) === 60) return null; // 60 is Excel's fictitious 1900-02-29
  // Serials from 61 on are one day ahead of the calendar because of that fictitious day.
  const base = n >= 61 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const ms = base + Math.round(n * 86400) * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch seconds (< 1e11) or milliseconds → 'YYYY-MM-DD HH:MM:SS' at the given UTC offset (1990–2100 only). */
export function epochToDateTime(n: number, tzOffsetMinutes = 0): string | null {
  const ms = n >= 1e11 ? n : n * 1000;
  if (!(ms >= Date.UTC(1990, 0, 1) && ms <= Date.UTC(2100, 0, 1))) return null;
  return new Date(ms + tzOffsetMinutes * 60000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------- phones and emails ----------
export const CN_MOBILE = /^(?:\+?86|0086)?(1[3-9]\d{9})$/;
export const NANP = /^(\+?1[-.\s]?)?\(?[2-9]\d{2}\)?[-/.\s]?\d{3}[-.\s]\d{4}$/;
export const PHONE_JUNK = /[\s\-().\/\u2010-\u2015\u00a0]/g;
// What Excel shows for a long number it stored as a double (1.38E+10): the digits are gone.
const EXCEL_SCIENTIFIC = /^[+-]?\d(\.\d+)?e\+?\d{1,3}$/i;
/** An 11-digit Chinese number starting with 1, with or without +86 / 0086 / 86 in front (group 1: the national number). */
export const CN_LIKE_MOBILE = /^(?:\+86|0086|86)?(1\d{10})$/;

/** Why a phone cell has no canonical value. */
export type PhoneProblem = 'excel_scientific' | 'not_a_phone_number' | 'invalid_number' | 'not_a_mobile_prefix';
export interface PhoneCanonical {
  /** E.164 (+8613800138000), or null when the text is not a valid number. */
  e164: string | null;
  problem: PhoneProblem | null;
}

// Chinese mobile validity depends on the first five digits only. These are the five-digit prefixes
// libphonenumber-js's full metadata calls mobile, as ranges (test/unit/import/phone-canonical.test.ts
// checks all 10,000 prefixes, with three endings each, against the metadata). Asking the library
// costs ~30 µs a prefix: filling a cache took 0.28 s in every thread that met every prefix (the
// import's reading thread), and ~0.1 s of inspecting a file's 5,000-row sample.
const CN_MOBILE_PREFIX_RANGES: readonly (readonly [number, number])[] = [
  [13000, 13999], [14500, 14599], [14700, 14799], [15000, 15399], [15500, 15999], [16200, 16299],
  [16500, 16799], [17000, 17405], [17500, 17899], [18000, 19399], [19500, 19999],
];
const cnPrefixValid = new Uint8Array(10_000); // indexed by the prefix − 10000: 1 = mobile
for (const [a, b] of CN_MOBILE_PREFIX_RANGES) cnPrefixValid.fill(1, a - 10_000, b - 10_000 + 1);
/** Whether an 11-digit national number from 1 is a Chinese mobile (its first five digits decide). */
export function cnMobilePrefixValid(national: string): boolean {
  return cnPrefixValid[+national.slice(0, 5) - 10_000] === 1;
}

let surelyMobile: string[] | null = null;
/**
 * The three-digit mobile prefixes (130–199) every one of whose five-digit prefixes is a mobile, so a
 * '+86' number with one of them is valid without asking libphonenumber (a SQL filter can say it).
 */
export function cnSurelyMobilePrefixes(): readonly string[] {
  if (surelyMobile) return surelyMobile;
  const out: string[] = [];
  for (let p = 130; p <= 199; p++) {
    let all = true;
    for (let q = 0; q < 100 && all; q++) all = cnMobilePrefixValid(`${p}${String(q).padStart(2, '0')}000000`);
    if (all) out.push(String(p));
  }
  return (surelyMobile = out);
}

/**
 * Canonical E.164 value of a phone cell, and why there is none. Accepts full-width characters,
 * spaces, dashes, dots and brackets, and the prefixes +86, 0086, 86 and (+86). Chinese mobiles
 * (11 digits from 1) are checked against libphonenumber-js's full metadata, so 140–144, 154,
 * 160–164 … are not mobiles; Excel's scientific form (1.38E+10) has lost digits and is
 * reported, never guessed. Other numbers (landlines such as 010-12345678, foreign numbers with
 * +) go through libphonenumber-js with `defaultCountry`.
 */
export function canonicalPhone(raw: string, defaultCountry: CountryCode = 'CN'): PhoneCanonical {
  let s = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = halfWidthDigits(s.normalize('NFKC'));
  if (EXCEL_SCIENTIFIC.test(s)) return { e164: null, problem: 'excel_scientific' };
  const compact = s.replace(PHONE_JUNK, '');
  if (!/^(\+|00)?\d{5,15}$/.test(compact)) return { e164: null, problem: 'not_a_phone_number' };
  if (defaultCountry === 'CN' || compact.startsWith('+86') || compact.startsWith('0086')) {
    const m = CN_LIKE_MOBILE.exec(compact);
    if (m) return cnMobilePrefixValid(m[1]!) ? { e164: '+86' + m[1]!, problem: null } : { e164: null, problem: 'not_a_mobile_prefix' };
    // Written the national way in China, a number starting with 1 must be a mobile (landlines start with 0).
    if (defaultCountry === 'CN' && compact[0] === '1') return { e164: null, problem: 'invalid_number' };
  }
  const p = parsePhoneNumberMax(compact.startsWith('00') ? '+' + compact.slice(2) : compact, defaultCountry);
  return p && p.isValid() ? { e164: p.number, problem: null } : { e164: null, problem: 'invalid_number' };
}

/** E.164 of a phone cell or null (see canonicalPhone). Shared by the SMS, privacy and identity code. */
export function parsePhone(raw: string, defaultCountry: CountryCode = 'CN'): string | null {
  return canonicalPhone(raw, defaultCountry).e164;
}

/** Under a phone header: a number written as 6–15 digits (with +, 00, spaces, dashes, brackets). */
const PHONE_LIKE = /^(\+|00)?\d{6,15}$/;
export const phoneLike = (v: string): boolean => PHONE_LIKE.test(halfWidthDigits(v).replace(PHONE_JUNK, ''));

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;
export function parseEmail(raw: string): string | null {
  const s = raw.trim().replace(/^mailto:/i, '');
  if (!EMAIL.test(s)) return null;
  const at = s.lastIndexOf('@');
  return s.slice(0, at) + '@' + s.slice(at + 1).toLowerCase();
}

// ---------- typed parsing ----------
/**
 * A parser for one column, chosen once (the import job calls it per cell: no per-cell switch).
 * Returns the typed value, or null when the text does not fit or is a placeholder; blank cells
 * are handled by the caller.
 */
export function columnParser(type: ColumnType, hints?: TypeHints): (raw: string) => string | number | null {
  switch (type) {
    case 'category':
    case 'text':
      return (raw) => raw;
    case 'id':
      return (raw) => {
        const c = raw.charCodeAt(raw.length - 1);
        if (c !== 48 && c !== 32 && raw.charCodeAt(0) !== 32) return raw; // fast path: not ending in '0' or blank
        return parseTyped('id', raw);
      };
    case 'datetime':
      return (raw) => {
        const iso = isoDateTime(raw);
        return iso !== undefined ? iso : parseTyped('datetime', raw, hints);
      };
    default:
      return (raw) => parseTyped(type, raw, hints);
  }
}

export function parseTyped(type: ColumnType, raw: string, hints?: TypeHints): string | number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') throw new Error(`parseTyped: raw must be a string, not ${typeof raw}`);
  if (raw === '' || raw.trim() === '') return null;
  switch (type) {
    case 'category':
    case 'text':
      return raw;
    case 'id': {
      const s = raw.trim();
      return /^\d+\.0+$/.test(s) ? s.slice(0, s.indexOf('.')) : s;
    }
    default:
      break;
  }
  if (isMissingValue(raw)) return null;
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
      if (hints?.dateFormat === 'excel-serial') return /^\d+(\.\d+)?$/.test(raw.trim()) ? excelSerialToDate(Number(raw)) : parseDate(raw, hints.dateOrder);
      if (hints?.dateFormat === 'epoch') return /^\d{9,13}$/.test(raw.trim()) ? (epochToDateTime(Number(raw), hints.tzOffsetMinutes)?.slice(0, 10) ?? null) : parseDate(raw, hints.dateOrder);
      const d = parseDate(raw, hints?.dateOrder);
      if (d) return d;
      const dt = parseDateTime(raw, hints?.dateOrder);
      return dt ? dt.slice(0, 10) : null;
    }
    case 'datetime': {
      const dt = parseDateTime(raw, hints?.dateOrder);
      if (dt) return dt;
      if (hints?.dateFormat === 'epoch') return /^\d{9,13}$/.test(raw.trim()) ? epochToDateTime(Number(raw), hints.tzOffsetMinutes) : null;
      if (hints?.dateFormat === 'excel-serial') return /^\d+(\.\d+)?$/.test(raw.trim()) ? excelSerialToDateTime(Number(raw)) : null;
      const d = parseDate(raw, hints?.dateOrder);
      return d ? `${d} 00:00:00` : null;
    }
    case 'phone':
      return parsePhone(raw, hints?.defaultCountry);
    case 'email':
      return parseEmail(raw);
    default:
      throw new Error(`parseTyped: unknown column type ${JSON.stringify(type)}`);
  }
}
