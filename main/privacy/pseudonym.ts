/**
 * Keyed pseudonyms: the same person gets the same short token in every export made with the
 * same workspace secret and namespace, so recipients can join files, but nobody without the
 * secret can recompute a token from a phone number (a plain hash of an 11-digit mobile is
 * reversed by trying all ~10¹⁰ numbers in minutes; a keyed HMAC is not).
 *
 * Method: subkey = HMAC-SHA-256(secret, 'segmint/pseudonym/v1' ‖ 0x00 ‖ namespace); token =
 * prefix + base32(HMAC-SHA-256(subkey, normalised value)) cut to `length` characters (RFC 4648
 * alphabet, lower case, no padding; default 16 characters = 80 bits, so a collision among a
 * million people has probability ~4·10⁻¹³). Another secret or namespace gives an unrelated
 * token — use one namespace per recipient to stop two recipients joining their files.
 *
 * Normalisation before hashing (kind 'auto' picks by the value's shape):
 * - phone: to E.164 via the import's parser (Chinese mobiles with or without +86/0086, spaces,
 *   dashes, full-width digits → +8613812341234; other numbers through libphonenumber with the
 *   default country, CN unless given); unparsable → its digits, with a leading '+' kept.
 *   So '138 1234 1234', '+86 138-1234-1234' and '8613812341234' share a token.
 * - email: trimmed, 'mailto:' dropped, lower-cased (local parts are case-insensitive in practice).
 * - id_number: spaces and dashes removed, upper-cased (x → X).
 * - name / address / other: NFKC, trimmed, runs of white space → one space, lower-cased.
 *   Traditional and Simplified forms are NOT merged (張三 ≠ 张三).
 * 'auto': a value made only of digits, spaces, + - ( ) . / that parses as a phone → phone; a
 * value that parses as an email → email; otherwise the text rule.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { parseEmail, parsePhone } from '../kernel/values';
import type { PiiKind } from './masks';

export type PseudonymKind = PiiKind | 'auto' | 'text';

export interface PseudonymOptions {
  /** Separates token spaces (e.g. a recipient or a purpose). Default ''. */
  namespace?: string;
  /** Token length in base32 characters after the prefix, 8–52. Default 16 (80 bits). */
  length?: number;
  /** How to normalise the value first. Default 'auto'. */
  kind?: PseudonymKind;
  /** Country for phone numbers written without a country code. Default 'CN'. */
  defaultCountry?: CountryCode;
  /** Default 'p_'. */
  prefix?: string;
}

const MIN_SECRET_BYTES = 16;
const CONTEXT = 'segmint/pseudonym/v1';
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new per-workspace secret: 32 random bytes from the OS CSPRNG. */
export function createSecret(): Buffer {
  return randomBytes(32);
}

/** Secret → base64url text for storage in the workspace settings. */
export function encodeSecret(secret: Uint8Array): string {
  return Buffer.from(secret).toString('base64url');
}

/** base64url text → secret; throws if it is shorter than 16 bytes. */
export function decodeSecret(text: string): Buffer {
  const b = Buffer.from(String(text ?? ''), 'base64url');
  if (b.length < MIN_SECRET_BYTES) throw new Error(`pseudonym secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return b;
}

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

const PHONE_SHAPE = /^[\d\s+\-().\/]+$/;

/** The canonical text that is hashed (see the header for the rules). */
export function normaliseForPseudonym(value: string, kind: PseudonymKind = 'auto', defaultCountry: CountryCode = 'CN'): string {
  const s = String(value).normalize('NFKC').trim();
  const text = () => s.replace(/\s+/g, ' ').toLowerCase();
  const phone = () => parsePhone(s, defaultCountry);
  switch (kind) {
    case 'phone':
      return phone() ?? (s.startsWith('+') ? '+' : '') + s.replace(/\D/g, '');
    case 'email': {
      const e = parseEmail(s);
      return (e ?? s.replace(/^mailto:/i, '')).toLowerCase();
    }
    case 'id_number':
      return s.replace(/[\s-]/g, '').toUpperCase();
    case 'auto': {
      if (PHONE_SHAPE.test(s) && /\d{5}/.test(s.replace(/\D/g, ''))) {
        const p = phone();
        if (p) return p;
      }
      const e = s.includes('@') ? parseEmail(s) : null;
      return e ? e.toLowerCase() : text();
    }
    default:
      return text();
  }
}

/**
 * A pseudonymiser for one (secret, namespace, kind, length): the subkey is derived once, so
 * this is the one to use per column in a big export. null/undefined → null, blank → ''.
 */
export function createPseudonymizer(secret: Uint8Array, opts: PseudonymOptions = {}): (value: unknown) => string | null {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new Error(`pseudonym secret must be a Uint8Array of at least ${MIN_SECRET_BYTES} bytes`);
  }
  const length = opts.length ?? 16;
  if (!Number.isInteger(length) || length < 8 || length > 52) throw new Error('pseudonym length must be an integer in 8..52');
  const kind = opts.kind ?? 'auto';
  const country = opts.defaultCountry ?? 'CN';
  const prefix = opts.prefix ?? 'p_';
  const subkey = createHmac('sha256', secret)
    .update(CONTEXT + '\u0000' + (opts.namespace ?? ''), 'utf8')
    .digest();
  return (value: unknown) => {
    if (value === null || value === undefined) return null;
    const s = value instanceof Date ? value.toISOString() : String(value);
    if (s.trim() === '') return '';
    const mac = createHmac('sha256', subkey).update(normaliseForPseudonym(s, kind, country), 'utf8').digest();
    return prefix + base32(mac).slice(0, length);
  };
}

/** One keyed token, e.g. pseudonymize('13812341234', secret) → 'p_…' (16 base32 characters). */
export function pseudonymize(value: unknown, secret: Uint8Array, opts: PseudonymOptions = {}): string | null {
  return createPseudonymizer(secret, opts)(value);
}
