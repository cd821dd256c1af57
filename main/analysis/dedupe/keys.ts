/**
 * Normalisers and match keys for record linkage. Every function is pure, total (null, undefined
 * and non-strings are accepted) and returns '' for a missing value, so callers can treat '' as
 * "unknown" without special cases.
 *
 * - normalizeText: NFKC (full-width → half-width, compatibility forms), lower case, trim,
 *   runs of white space collapsed to one space. The base of every other key.
 * - looseText: normalizeText plus punctuation → space, so "St. James" and "st james" agree.
 * - phoneDigits: digits only. phoneKey: E.164 via libphonenumber-js when the number parses
 *   (so 310/246-1501, (310) 246 1501 and +1 310 246 1501 agree for country US), digits only
 *   otherwise; a default country is needed for national numbers.
 * - emailKey: trimmed, lower case, "+tag" removed from the local part; dots removed too for
 *   gmail.com / googlemail.com (which ignore them). Not an address validator.
 * - toSimplified: traditional → simplified Chinese with opencc-js (Taiwan, Hong Kong and
 *   generic traditional variants), so 張偉 and 张伟 compare equal.
 * - pinyinKey: toneless pinyin of the Han characters (syllables space-separated), other text
 *   kept as it is; homophones such as 张伟/章伟 share `zhang wei`. pinyinInitials: first
 *   letters (`zw`). Polyphones take pinyin-pro's in-context reading (surname mode for names).
 * - soundex: American Soundex (letter, three digits; H/W do not separate equal codes, vowels
 *   do), written here; for Latin names only (non-letters are ignored).
 * - sortedTokenKey: tokens sorted and de-duplicated, so word order does not matter.
 * - tokens: Latin words and digit runs from looseText; Han runs cut into words with jieba
 *   (the shared tokenizer) only when Han characters are present (jieba is loaded lazily).
 */
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { createTokenizer, type Tokenizer } from '../text/tokenize';

export type RawValue = string | number | boolean | Date | null | undefined;

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

/** The value as a string, '' when missing. Dates become yyyy-mm-dd. */
export function asString(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v);
}

/** NFKC, lower case, trimmed, white space collapsed. */
export function normalizeText(v: unknown): string {
  return asString(v).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** normalizeText with punctuation and symbols replaced by spaces. */
export function looseText(v: unknown): string {
  return normalizeText(v)
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Digits only (after NFKC, so full-width digits count). */
export function phoneDigits(v: unknown): string {
  return asString(v).normalize('NFKC').replace(/\D+/g, '');
}

/** E.164 when libphonenumber-js can parse the number (with defaultCountry for national numbers), else digits only. */
export function phoneKey(v: unknown, defaultCountry?: CountryCode): string {
  const s = asString(v).normalize('NFKC').trim();
  if (!s) return '';
  const p = parsePhoneNumberFromString(s, defaultCountry);
  if (p && p.isPossible()) return p.number;
  return phoneDigits(s);
}

/** Lower case, "+tag" dropped, gmail dots dropped. Returns '' when there is no '@'. */
export function emailKey(v: unknown): string {
  const s = normalizeText(v).replace(/\s+/g, '');
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return '';
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}

let t2s: ((s: string) => string) | null = null;
let hk2s: ((s: string) => string) | null = null;
let tw2s: ((s: string) => string) | null = null;

/** Traditional → simplified Chinese (generic, Hong Kong and Taiwan variants in turn); other text untouched. */
export function toSimplified(v: unknown): string {
  const s = asString(v);
  if (!HAN.test(s)) return s;
  t2s ??= OpenCC.Converter({ from: 't', to: 'cn' });
  hk2s ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
  tw2s ??= OpenCC.Converter({ from: 'tw', to: 'cn' });
  return tw2s(hk2s(t2s(s)));
}

function hanToPinyin(run: string, initials: boolean): string[] {
  return pinyin(run, {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    ...(initials ? { pattern: 'first' as const } : {}),
  }).map((x) => x.toLowerCase());
}

function pinyinOf(v: unknown, initials: boolean): string {
  const s = normalizeText(toSimplified(v));
  if (!s) return '';
  if (!HAN.test(s)) return s;
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(HAN_RUN)) {
    const before = s.slice(last, m.index).trim();
    if (before) parts.push(before);
    parts.push(...hanToPinyin(m[0], initials));
    last = m.index! + m[0].length;
  }
  const tail = s.slice(last).trim();
  if (tail) parts.push(tail);
  return initials ? parts.join('') : parts.join(' ');
}

/** Toneless pinyin, syllables separated by spaces: 张伟 → "zhang wei". */
export function pinyinKey(v: unknown): string {
  return pinyinOf(v, false);
}

/** Pinyin initials: 张伟 → "zw". */
export function pinyinInitials(v: unknown): string {
  return pinyinOf(v, true);
}

const SOUNDEX_CODE: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3',
  l: '4',
  m: '5', n: '5',
  r: '6',
};

/** American Soundex of the Latin letters in the value ("robert" → "r163"); '' when there are none. */
export function soundex(v: unknown): string {
  const letters = normalizeText(v)
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
  if (!letters) return '';
  let out = letters[0]!;
  let prev = SOUNDEX_CODE[letters[0]!] ?? '';
  for (let i = 1; i < letters.length && out.length < 4; i++) {
    const ch = letters[i]!;
    const code = SOUNDEX_CODE[ch];
    if (code) {
      if (code !== prev) out += code;
      prev = code;
    } else if (ch !== 'h' && ch !== 'w') {
      prev = ''; // a vowel separates two equal codes; h and w do not
    }
  }
  return out.padEnd(4, '0');
}

let tokenizer: Tokenizer | null = null;

/** Words of the value: Latin words and digit runs, Han runs cut by jieba. */
export function tokens(v: unknown): string[] {
  const s = looseText(toSimplified(v));
  if (!s) return [];
  if (!HAN.test(s)) return s.split(' ');
  tokenizer ??= createTokenizer();
  const out: string[] = [];
  for (const part of s.split(' ')) {
    if (!HAN.test(part)) {
      out.push(part);
      continue;
    }
    let last = 0;
    for (const m of part.matchAll(HAN_RUN)) {
      if (m.index! > last) out.push(part.slice(last, m.index));
      out.push(...tokenizer.tokenize(m[0]));
      last = m.index! + m[0].length;
    }
    if (last < part.length) out.push(part.slice(last));
  }
  return out.filter(Boolean);
}

/** Tokens sorted and de-duplicated, joined by one space. */
export function sortedTokenKey(v: unknown): string {
  return [...new Set(tokens(v))].sort().join(' ');
}

/** Padded character q-grams of a string (q ≥ 1); '' gives []. Padding marks word starts and ends. */
export function qgrams(s: string, q = 2, pad = true): string[] {
  if (!s) return [];
  const t = pad && q > 1 ? '#'.repeat(q - 1) + s + '#'.repeat(q - 1) : s;
  if (t.length < q) return [t];
  const out: string[] = [];
  for (let i = 0; i + q <= t.length; i++) out.push(t.slice(i, i + q));
  return out;
}

/** Names of the built-in normalisers, for configs that must be plain data. */
export const normalisers = {
  none: asString,
  text: normalizeText,
  loose: looseText,
  digits: phoneDigits,
  phone: (v: unknown) => phoneKey(v),
  email: emailKey,
  simplified: (v: unknown) => normalizeText(toSimplified(v)),
  pinyin: pinyinKey,
  pinyinInitials,
  soundex,
  sortedTokens: sortedTokenKey,
} as const satisfies Record<string, (v: unknown) => string>;

export type NormaliserName = keyof typeof normalisers;
