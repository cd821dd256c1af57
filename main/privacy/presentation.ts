/**
 * Presentation mode (for consultants demoing to clients): when it is on, every answer and every
 * event leaving the services is masked BEFORE it reaches a screen, so no raw phone, e-mail, ID
 * number or personal name can be in the DOM, a chart tooltip or a screenshot.
 *
 * Rules:
 * - Tables ({columns: string[], rows: unknown[][]}) and arrays of records: each column/key gets
 *   a PII kind from its name and a sample of its values (detectPiiKind), and its cells are
 *   masked by that kind.
 * - Any other string is scrubbed: phone-number-like runs (Chinese mobiles with or without
 *   +86/0086 and separators, any +E.164) and e-mail addresses inside free text are masked,
 *   e.g. a reply "请打 138 1234 5678" → "请打 138****5678".
 * - The workspace's known customer names are masked by value inside every string too
 *   (./known-names.ts): a name greeted in an SMS text or under any SQL alias is masked.
 * - A bare key `name` is a person's name only in customer results (elsewhere it names datasets,
 *   segments and campaigns, which are not personal).
 */
import { detectPiiKind, maskEmail, maskPhone, maskValue, type PiiKind } from './masks';
import { maskKnownNames, type NameMatcher } from './known-names';

const PHONE_RUN = /(?<![\d\w])(?:(?:\+|00)\d{1,3}[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)|(?<![\d\w])\+\d{8,15}(?!\d)/g;
const EMAIL_RUN = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export function scrubText(s: string, names?: NameMatcher | null): string {
  const t = s.length < 6 ? s : s.replace(EMAIL_RUN, (m) => maskEmail(m)).replace(PHONE_RUN, (m) => maskPhone(m));
  return maskKnownNames(t, names);
}

export interface PresentationOptions {
  /** Treat a bare `name` key as a person's name (customer results). */
  personNames?: boolean;
  /** The workspace's known customer names, masked wherever they appear. */
  names?: NameMatcher | null;
}

function kindOf(key: string, samples: unknown[], o: PresentationOptions): PiiKind | null {
  if (key === 'name' && !o.personNames) return null;
  return detectPiiKind(key, null, samples.slice(0, 50));
}

function maskCell(v: unknown, kind: PiiKind | null, o: PresentationOptions): unknown {
  if (kind && (typeof v === 'string' || typeof v === 'number') && v !== '') return maskValue(v, kind);
  return maskDeep(v, o);
}

export function maskDeep(value: unknown, o: PresentationOptions = {}): unknown {
  if (typeof value === 'string') return scrubText(value, o.names);
  if (Array.isArray(value)) {
    // An array of records: one kind per key, from all the records' values.
    if (value.length && value.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const keys = new Set<string>();
      for (const r of value.slice(0, 50)) for (const k of Object.keys(r as object)) keys.add(k);
      const kinds = new Map<string, PiiKind | null>();
      for (const k of keys) kinds.set(k, kindOf(k, value.slice(0, 50).map((r) => (r as Record<string, unknown>)[k]), o));
      return value.map((r) => maskRecord(r as Record<string, unknown>, kinds, o));
    }
    return value.map((x) => maskDeep(x, o));
  }
  if (value && typeof value === 'object') {
    if (value instanceof Uint8Array || ArrayBuffer.isView(value)) return value;
    const obj = value as Record<string, unknown>;
    // A table page: column names + row arrays.
    if (Array.isArray(obj.columns) && Array.isArray(obj.rows) && obj.columns.every((c) => typeof c === 'string') && obj.rows.every((r) => Array.isArray(r))) {
      const cols = obj.columns as string[];
      const rows = obj.rows as unknown[][];
      const kinds = cols.map((c, j) => kindOf(c, rows.slice(0, 50).map((r) => r[j]), o));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) out[k] = k === 'rows' ? rows.map((r) => r.map((cell, j) => maskCell(cell, kinds[j] ?? null, o))) : k === 'columns' ? v : maskDeep(v, o);
      return out;
    }
    const kinds = new Map<string, PiiKind | null>();
    for (const [k, v] of Object.entries(obj)) if (typeof v === 'string' || typeof v === 'number') kinds.set(k, kindOf(k, [v], o));
    return maskRecord(obj, kinds, o);
  }
  return value;
}

function maskRecord(r: Record<string, unknown>, kinds: Map<string, PiiKind | null>, o: PresentationOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = maskCell(v, kinds.get(k) ?? null, o);
  return out;
}

