/**
 * Single-value normalisers shared by the cleaning steps and the quality profile (pure).
 *
 * Phones (Chinese rules first, then libphonenumber-js with its full metadata for types):
 *   full-width digits → ASCII; spaces, dashes, dots, slashes and brackets dropped; '0086' and a
 *   bare '86' in front of an 11-digit mobile become '+86'. An 11-digit national number starting
 *   with 1 is a mobile when libphonenumber's full metadata says its prefix is one (the import's
 *   rule, canonicalPhone: 140–144, 154, 160–164 … are not), otherwise it is invalid
 *   ('invalid_mobile') — in China only mobiles start with 1. Anything else goes through
 *   libphonenumber-js with the default country (CN): valid numbers become E.164 and are tagged
 *   landline (FIXED_LINE), mobile, or other (toll-free, shared cost, VoIP …). Invalid numbers are
 *   returned with a reason: not_a_number, too_short, too_long, invalid_country, invalid_mobile,
 *   invalid_number.
 * Emails: trimmed, a 'mailto:' prefix dropped, lower-cased; the Gmail rule (dots in the local part
 *   do not matter, '+tag' is dropped) only when asked. Invalid addresses (no single '@', no dot in
 *   the domain, spaces) are reported, not changed.
 * Dates: parsed by the import engine's parsers (main/import/types.ts: 2024/1/5, 2024年1月5日,
 *   05/01/2024 with a D/M or M/D order, month names, date-times with Chinese AM/PM …) so that a
 *   cleaned column matches an imported one; numbers (or digit strings) in the Excel serial range
 *   20000–80000 (1954–2119) are Excel 1900-system serials when `excelSerial` is on. Output is
 *   'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', the form the workspace stores.
 * Money: the import engine's decimal parser (¥/￥/$/RMB prefixes, 元/块 suffixes, 万 ×10⁴, 亿 ×10⁸,
 *   thousands separators, accounting negatives), so '1.2万元' is exactly 12000.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { CN_LIKE_MOBILE, cnMobilePrefixValid, excelSerialToDate, excelSerialToDateTime, halfWidthDigits, parseDate, parseDateTime, parseDecimal, type DateOrder } from '../../kernel/values';
import type { Cell } from '../../../shared/api/quality-model';
export type { Cell };


export type PhoneKind = 'mobile' | 'landline' | 'other';
export type PhoneResult = { ok: true; e164: string; kind: PhoneKind } | { ok: false; reason: string };

const PHONE_JUNK = /[\s\-().\/\u00a0\u3000]/g;

/** Classify and normalise a phone number (Chinese rules first). */
export function normalizePhone(raw: string | number, defaultCountry: CountryCode = 'CN'): PhoneResult {
  const s = halfWidthDigits(String(raw).trim());
  const compact = s.replace(PHONE_JUNK, '');
  if (compact === '') return { ok: false, reason: 'empty' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'not_a_number' };
  const cnContext = defaultCountry === 'CN' || compact.startsWith('+86') || compact.startsWith('0086');
  const m = cnContext ? CN_LIKE_MOBILE.exec(compact) : null;
  if (m && (defaultCountry === 'CN' || !/^1\d{10}$/.test(compact))) {
    const nat = m[1]!;
    return cnMobilePrefixValid(nat) ? { ok: true, e164: '+86' + nat, kind: 'mobile' } : { ok: false, reason: 'invalid_mobile' };
  }
  const intl = compact.startsWith('00') ? '+' + compact.slice(2) : compact;
  const p = parsePhoneNumberFromString(intl, defaultCountry);
  if (p && p.isValid()) {
    const t = p.getType();
    return { ok: true, e164: p.number, kind: t === 'FIXED_LINE' ? 'landline' : t === 'MOBILE' ? 'mobile' : 'other' };
  }
  const len = validatePhoneNumberLength(intl, defaultCountry);
  if (len === 'TOO_SHORT') return { ok: false, reason: 'too_short' };
  if (len === 'TOO_LONG') return { ok: false, reason: 'too_long' };
  if (len === 'INVALID_COUNTRY') return { ok: false, reason: 'invalid_country' };
  if (len === 'NOT_A_NUMBER') return { ok: false, reason: 'not_a_number' };
  return { ok: false, reason: 'invalid_number' };
}

const EMAIL_RE = /^[^\s@<>(),;:"\[\]]+@[^\s@<>(),;:"\[\]]+\.[^\s@<>(),;:"\[\].]{2,}$/;
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

export function normalizeEmail(raw: string, opts: { gmailDots?: boolean; plusTags?: boolean } = {}): EmailResult {
  let s = raw.trim().replace(/^mailto:/i, '').toLowerCase();
  if (!EMAIL_RE.test(s)) return { ok: false, reason: s.includes('@') ? 'invalid_email' : 'no_at_sign' };
  const at = s.lastIndexOf('@');
  let local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..') || domain.startsWith('.') || domain.includes('..') || domain.startsWith('-')) return { ok: false, reason: 'invalid_email' };
  if (opts.plusTags && local.includes('+')) local = local.slice(0, local.indexOf('+')) || local;
  if (opts.gmailDots && GMAIL.has(domain)) local = local.replace(/\./g, '');
  s = local + '@' + domain;
  return { ok: true, email: s };
}

export function isValidEmail(raw: string): boolean {
  return normalizeEmail(raw).ok;
}

export interface DateOptions {
  /** Order of D/M/Y parts in '05/01/2024'-style values. Default 'mdy' (as the import engine). */
  order?: DateOrder;
  /** 'date' drops a time part, 'datetime' adds 00:00:00 to bare dates, 'auto' keeps what was given. */
  output?: 'date' | 'datetime' | 'auto';
  /** Numbers 20000–80000 are Excel serial days. Default true. */
  excelSerial?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parse a date or date-time in many notations; null when it cannot be read. */
export function normalizeDate(raw: string | number, opts: DateOptions = {}): string | null {
  const out = opts.output ?? 'auto';
  let d: string | null = null;
  let dt: string | null = null;
  const serial = typeof raw === 'number' ? raw : /^\s*\d{5}(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isFinite(serial)) {
    if ((opts.excelSerial ?? true) && serial >= 20000 && serial <= 80000) {
      if (Number.isInteger(serial)) d = excelSerialToDate(serial);
      else dt = excelSerialToDateTime(serial);
    }
    if (!d && !dt && typeof raw === 'number') {
      // yyyymmdd as a number (20240105)
      if (Number.isInteger(raw) && raw >= 10000101 && raw <= 29991231) d = parseDate(String(raw));
    }
  } else {
    const s = String(raw).trim();
    if (ISO_DATE.test(s)) d = parseDate(s);
    else {
      dt = parseDateTime(s, opts.order ?? 'mdy');
      if (!dt) d = parseDate(s, opts.order ?? 'mdy');
    }
  }
  if (dt) return out === 'date' ? dt.slice(0, 10) : dt;
  if (d) return out === 'datetime' ? `${d} 00:00:00` : d;
  return null;
}

/** '¥1,234.50' → 1234.5, '1.2万' → 12000, '1,234元' → 1234; null when it is not an amount. */
export function parseMoney(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  return parseDecimal(raw);
}

/** A cell as a finite number (numbers pass, numeric strings are read); null otherwise. */
export function toNumber(v: Cell | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null || v === undefined) return null;
  const s = v.trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : parseDecimal(s);
}

/** Empty cell: null, undefined, '' or whitespace only. */
export function isEmpty(v: Cell | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Days since 1970-01-01 (fractional for date-times) of an ISO date or date-time string; NaN if not one. */
export function isoToDays(s: string): number {
  const m = ISO_DAYS.exec(s);
  if (!m) return NaN;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  const h = +(m[4] ?? 0);
  const mi = +(m[5] ?? 0);
  const se = +(m[6] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return NaN;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  if (new Date(ms).getUTCDate() !== d) return NaN; // 2023-02-30
  return ms / 86400000;
}
const ISO_DAYS = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Inverse of isoToDays: 'YYYY-MM-DD' (whole days) or 'YYYY-MM-DD HH:MM:SS'. */
export function daysToIso(days: number, withTime = false): string {
  const iso = new Date(Math.round(days * 86400) * 1000).toISOString();
  return withTime ? iso.slice(0, 19).replace('T', ' ') : iso.slice(0, 10);
}
