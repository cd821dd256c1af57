/**
 * Column type inference: which type a column's sampled values fit, and the header clean-up. The
 * parsers it tries values with are the kernel's (main/kernel/values.ts).
 *
 * Inference: the column's type is the first, in this order, whose parser accepts ≥ 95% of the
 * sample's non-empty values (the sample is e.g. the first 5,000 rows):
 *   boolean (≤ 2 distinct values among 是/否, Y/N, Yes/No, true/false, T/F, 0/1, 对/错, 有/无,
 *            √/×; a 0/1 column must show both values; never under an id-like header)
 *   → date → datetime (a column whose times are all 00:00:00 is a date)
 *   → Excel serial dates / epoch seconds or ms (only under a date/time header)
 *   → phone (under a phone header, or ≥ 90% Chinese mobiles) → email → percent
 *   → integer → decimal → id / category / text.
 * Integers become `id` instead when the header names an identifier (id, no, code, 编号, 号 …),
 * when every value looks like `17850.0` (a float-exported integer id, as CustomerID in the
 * Spark copy of Online Retail — stored as the text '17850'), when a value has a leading zero
 * ('00001', zip codes) or when a value has more than 15 digits (ID-card and order numbers that
 * a double cannot hold exactly). Text columns: `id` under an id-like header when values are
 * short and have no spaces; `category` when distinct values ≤ max(20, min(200, 5% of the
 * values)), are repeated and average ≤ 40 characters; otherwise `text`.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { ColumnType } from '../../shared/types';
import {
  CN_MOBILE,
  D_XYZ,
  INT_RE,
  NANP,
  PHONE_JUNK,
  epochToDateTime,
  excelSerialToDate,
  halfWidthDigits,
  isMissingValue,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseDecimal,
  parseEmail,
  parseInteger,
  parsePercent,
  parsePhone,
  phoneLike,
  type DateOrder,
} from '../kernel/values';

export type { ColumnType };

export interface ColumnInference {
  name: string;
  type: ColumnType;
  /** Share of the non-empty values that parse as `type` (placeholders excluded for typed columns). */
  fitShare: number;
  /** Non-empty values in the sample. */
  nonEmpty: number;
  /** Up to 5 distinct values that do not fit `type`. */
  badExamples: string[];
  dateOrder?: DateOrder;
  /** 'yyyymmdd' | 'excel-serial' | 'epoch' when the values need it to be parsed. */
  dateFormat?: string;
  distinct: number;
  /** Up to 8 distinct non-empty values, in order of appearance. */
  examples: string[];
  /** Placeholder values ('-', 'N/A' …) treated as empty. */
  missing?: number;
  /** Mean length of the non-empty values (characters). */
  avgLength?: number;
  /** A caveat for the wizard (e.g. an undecided day/month order). */
  note?: string;
  /** Phone columns written the North American way (310-246-1501): parse them with this country. */
  defaultCountry?: CountryCode;
}


// ---------- headers ----------
const ID_HEADER = /(^|[_\s.\-#])(id|no|nr|num|code|key|uid|sku)$|^(id|no|sku|uid)([_\s]|$)|^(customer|cust|user|member|order|client|product|item|invoice|account|stock|rec|record|master|sample)_?(id|no|code|number)$|编号|编码|代码|号$|单号|卡号|账号|工号|序号/i;
const ID_HEADER_CAMEL = /[a-z](ID|Id|No|NO|Code|Key)$/;
const isIdHeader = (name: string) => ID_HEADER.test(name) || ID_HEADER_CAMEL.test(name);
const DATE_HEADER = /date|time|day|dt$|_at$|_on$|stamp|日期|时间|时刻|年月|生日|出生/i;
const PHONE_HEADER = /phone|mobile|tel(ephone)?$|^tel|cell|手机|电话|联系方式|号码/i;

/**
 * Trim; empty names → column_N; duplicates (case-insensitive, as SQLite compares names) → name_2,
 * name_3 …; '_row' is Segmint's own row number column, so a file's '_row' becomes '_row_2'.
 * NUL and other control characters (which SQLite names cannot hold) become spaces.
 */
export function uniqueHeaders(names: string[]): string[] {
  if (!Array.isArray(names)) throw new Error('uniqueHeaders: names must be an array of strings');
  const used = new Set<string>(['_row']);
  // eslint-disable-next-line no-control-regex
  const clean = (raw: unknown) => String(raw ?? '').replace(/^\ufeff/, '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().replace(/\s+/g, ' ');
  for (const raw of names) used.add(clean(raw).toLowerCase());
  const taken = new Set<string>(['_row']);
  return names.map((raw, i) => {
    const given = clean(raw);
    const n = given || `column_${i + 1}`;
    let c = n;
    // A generated name also avoids names that appear elsewhere in the header.
    for (let k = 2; taken.has(c.toLowerCase()) || ((c !== given) && used.has(c.toLowerCase())); k++) c = `${n}_${k}`;
    taken.add(c.toLowerCase());
    return c;
  });
}

// ---------- inference ----------
function decideOrder(values: string[]): { order?: DateOrder; decided: boolean } {
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
  if (!any) return { decided: true };
  return { order: dmy > mdy ? 'dmy' : 'mdy', decided: dmy !== mdy };
}

const isDigits = (s: string) => s.length > 0 && INT_RE.test(s) && s[0] !== '+' && s[0] !== '-';

export function inferColumn(name: string, values: string[]): ColumnInference {
  if (typeof name !== 'string') throw new Error('inferColumn: name must be a string');
  if (!Array.isArray(values)) throw new Error('inferColumn: values must be an array of strings');
  const nonEmptyVals: string[] = [];
  let totalLen = 0;
  for (const v of values) {
    if (typeof v !== 'string' || v === '' || v.trim() === '') continue;
    nonEmptyVals.push(v);
    totalLen += v.length;
  }
  const distinctSet = new Set(nonEmptyVals);
  const base = { name, nonEmpty: nonEmptyVals.length, distinct: distinctSet.size, examples: [...distinctSet].slice(0, 8), avgLength: nonEmptyVals.length ? Math.round((totalLen / nonEmptyVals.length) * 10) / 10 : 0 };
  if (nonEmptyVals.length === 0) return { ...base, type: 'text', fitShare: 1, badExamples: [] };
  // Typed candidates see the values without placeholders ('-', 'N/A' …).
  const vals = nonEmptyVals.filter((v) => !isMissingValue(v));
  const missing = nonEmptyVals.length - vals.length;
  const trimmed = vals.map((v) => v.trim());
  type Fit = { share: number; bad: string[] };
  // A candidate type stops as soon as more than 5% of the values failed: it can no longer win.
  const maxBad = Math.floor(0.05 * vals.length);
  const fit = (fn: (v: string) => unknown): Fit => {
    let ok = 0;
    let failed = 0;
    const bad: string[] = [];
    for (const v of vals) {
      if (fn(v) !== null) ok++;
      else {
        if (++failed > maxBad) return { share: 0, bad };
        if (bad.length < 5 && !bad.includes(v)) bad.push(v);
      }
    }
    return { share: vals.length ? ok / vals.length : 0, bad };
  };
  const typed = (type: ColumnType, f: Fit, extra: Partial<ColumnInference> = {}): ColumnInference => ({ ...base, type, fitShare: f.share, badExamples: f.bad, ...(missing ? { missing } : {}), ...extra });
  // id/category/text accept every value (placeholders included, as read).
  const untyped = (type: ColumnType): ColumnInference => ({ ...base, type, fitShare: 1, badExamples: [] });
  const ok = (f: Fit) => vals.length > 0 && f.share >= 0.95;
  const dateHeader = DATE_HEADER.test(name);
  const idHeader = isIdHeader(name.trim());

  if (vals.length > 0) {
    const bool = fit(parseBoolean);
    const boolDistinct = new Set(trimmed.map((v) => v.toLowerCase())).size;
    const numericFlag = trimmed.every((v) => v === '0' || v === '1');
    if (ok(bool) && boolDistinct <= 2 && (!numericFlag || boolDistinct === 2) && !idHeader) return typed('boolean', bool);

    const { order, decided } = decideOrder(vals);
    const orderNote = decided ? {} : { note: 'day/month order not decided by the data (no part above 12): month/day assumed' };
    const eightDigit = trimmed.every((v) => /^\d{8}$/.test(v));
    const date = fit((v) => (!eightDigit && /^\d+$/.test(v.trim()) ? null : parseDate(v, order)));
    if (ok(date)) return typed('date', date, { dateOrder: order ?? 'ymd', ...(eightDigit ? { dateFormat: 'yyyymmdd' } : {}), ...orderNote });
    let withTime = 0;
    let midnight = 0;
    const dt = fit((v) => {
      const x = parseDateTime(v, order);
      if (x !== null) {
        withTime++;
        if (x.endsWith(' 00:00:00')) midnight++;
        return x;
      }
      return parseDate(v, order);
    });
    if (ok(dt) && withTime > 0) {
      // Excel exports dates as 'YYYY-MM-DD 00:00:00': all midnights make it a date.
      const type = midnight === withTime ? 'date' : 'datetime';
      return typed(type, dt, { dateOrder: order ?? 'ymd', ...orderNote });
    }
    if (dateHeader) {
      const serial = fit((v) => (/^\d{5}(\.\d+)?$/.test(v.trim()) && +v >= 20000 && +v <= 80000 ? excelSerialToDate(+v) : null));
      if (ok(serial)) return typed(trimmed.some((v) => v.includes('.')) ? 'datetime' : 'date', serial, { dateFormat: 'excel-serial' });
      const epoch = fit((v) => (/^\d{9,13}$/.test(v.trim()) ? epochToDateTime(+v) : null));
      if (ok(epoch)) return typed('datetime', epoch, { dateFormat: 'epoch' });
    }
    // Phone: under a phone header, or ≥ 90% Chinese mobiles (checked first: libphonenumber is slow).
    const mobiles = trimmed.filter((v) => CN_MOBILE.test(halfWidthDigits(v).replace(PHONE_JUNK, ''))).length;
    if (PHONE_HEADER.test(name) || mobiles >= 0.9 * vals.length) {
      // 3-3-4 digit groups and no Chinese mobiles: North American numbers (the restaurant file).
      const nanp = mobiles < 0.1 * vals.length && trimmed.filter((v) => NANP.test(v)).length >= 0.9 * vals.length;
      const phone = fit((v) => parsePhone(v, nanp ? 'US' : 'CN'));
      if (ok(phone)) return nanp ? typed('phone', phone, { defaultCountry: 'US', note: 'numbers are written the North American way (NXX-NXX-XXXX): parsed with country US' }) : typed('phone', phone);
    }
    // A phone-like column is never typed as a number, however many of its values are bad (a
    // number type would turn 01012345678 into 1012345678 and +86 131… into 8613 1…): it stays a
    // phone column; the raw table keeps every value as read and bad cells are counted with a reason.
    const phoneish = PHONE_HEADER.test(name) ? trimmed.filter(phoneLike).length : 0;
    if (phoneish >= 0.5 * vals.length || mobiles >= 0.9 * vals.length) {
      let good = 0;
      const bad: string[] = [];
      for (const v of vals) {
        if (parsePhone(v) !== null) good++;
        else if (bad.length < 5 && !bad.includes(v)) bad.push(v);
      }
      const share = good / vals.length;
      if (share >= 0.5) return typed('phone', { share, bad }, { note: `${Math.round((1 - share) * 100)}% of the values are not valid phone numbers: they stay as read in the raw table and are flagged as invalid` });
      return untyped(idHeader ? 'id' : 'text');
    }
    const email = fit(parseEmail);
    if (ok(email)) return typed('email', email);
    const pct = fit(parsePercent);
    if (ok(pct)) return typed('percent', pct);
    const int = fit(parseInteger);
    // "523.00" throughout is money written with two decimals (a shop system's 实付金额), not an id:
    // it is typed below as a decimal. A lone ".0" is the float artefact of an exported id.
    const twoDecimals = trimmed.every((v) => /^-?\d+\.\d\d$/.test(v));
    if (ok(int) && !twoDecimals) {
      const dotZero = trimmed.every((v) => /^\d+\.0+$/.test(v));
      const leadingZero = trimmed.some((v) => /^0\d/.test(v));
      if (idHeader || dotZero || leadingZero) return untyped('id');
      return typed('integer', int);
    }
    // Digit strings beyond 15 digits (ID cards, long order numbers): a double would round them.
    const longDigits = fit((v) => (isDigits(v.trim()) && v.trim().length > 15 ? v : parseInteger(v)));
    if (ok(longDigits) && trimmed.some((v) => v.length > 15)) return untyped('id');
    const dec = fit(parseDecimal);
    if (ok(dec)) return typed('decimal', dec);
  }
  const avgLen = base.avgLength;
  const noSpaces = nonEmptyVals.every((v) => !/\s/.test(v.trim()));
  // Identifier columns: an id-like header over short codes without spaces (C101637, SO2022…).
  if (idHeader && avgLen <= 32 && noSpaces) return untyped('id');
  const catLimit = Math.max(20, Math.min(200, Math.round(0.05 * nonEmptyVals.length)));
  if (base.distinct <= catLimit && avgLen <= 40 && base.distinct < nonEmptyVals.length) return untyped('category');
  // Unique short codes made of letters, digits, '-' and '_' with at least one digit.
  if (avgLen <= 24 && base.distinct >= 0.9 * nonEmptyVals.length && nonEmptyVals.every((v) => /^[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*$/.test(v.trim()))) return untyped('id');
  return untyped('text');
}
