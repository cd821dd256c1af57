/**
 * Field comparators for record linkage. Each takes two values and returns a similarity in
 * [0, 1], or null when either value is missing (null, undefined, or only white space), so the
 * scoring model can treat "unknown" apart from "different". Strings are compared as given:
 * normalise first (keys.ts) — the high-level API does this once per record, not per pair.
 *
 * - jaroWinkler: Jaro with the usual match window ⌊max(|a|,|b|)/2⌋−1, Winkler bonus 0.1 per
 *   common prefix character (up to 4). MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813.
 * - levenshtein: edit distance (two rows), with maxDist: stops as soon as every cell of a row
 *   exceeds it and returns maxDist+1. levenshteinSim = 1 − d / max length; 0 beyond maxDist.
 * - tokenSetRatio: word-set similarity in the style of fuzzywuzzy's token_set_ratio: shared
 *   words (sorted) versus shared + each side's own words; best of the three indel ratios
 *   (2·LCS / total length). One name being a word subset of the other scores 1.
 * - qgramJaccard: Jaccard of padded character q-gram sets (q = 2 by default).
 * - pinyinEqual: 1 when toneless pinyin agrees (homophones 张伟/章伟), else 0.
 * - tradSimpEqual: 1 when the texts agree after traditional → simplified (張偉/张伟), else 0.
 * - nameSim: for names in Han script: same simplified text 1, same pinyin 0.9, else
 *   Jaro-Winkler of the pinyin × 0.9; Latin names: Jaro-Winkler.
 * - numericSim: max(0, 1 − |a−b| / scale) (linear decay; scale = difference that scores 0).
 * - dateSim: days apart with linear decay over scaleDays; a day/month swap (2020-03-05 vs
 *   2020-05-03) scores at least swapScore. Formats: yyyymmdd, yyyy-mm-dd (/ or . also),
 *   yyyy年m月d日, dd/mm/yyyy or mm/dd/yyyy (order option). Unparseable values fall back to exact
 *   text equality (a typo in a date still says "different").
 * - exact: 1 when equal, else 0.
 * - tfidfCosine: cosine of TF-IDF word vectors, built over a corpus of values (see below).
 */
import { pinyinKey, toSimplified, normalizeText, tokens } from './keys';

export type Sim = number | null;

/**
 * Per-value memo for the expensive parts (word sets, q-gram sets, pinyin): a record's value
 * meets many partners, so it is tokenised once, not once per pair. Bounded: cleared when full.
 */
function memo<T>(fn: (s: string) => T, limit = 50_000): (s: string) => T {
  let cache = new Map<string, T>();
  return (s: string) => {
    let v = cache.get(s);
    if (v === undefined) {
      if (cache.size >= limit) cache = new Map();
      v = fn(s);
      cache.set(s, v);
    }
    return v;
  };
}

function present(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10)) : String(v);
  return s.trim() === '' ? null : s;
}

/** Jaro similarity of two strings (both non-empty). */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const aUsed = new Uint8Array(la);
  const bUsed = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!bUsed[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        aUsed[i] = 1;
        bUsed[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let half = 0;
  for (let i = 0; i < la; i++) {
    if (!aUsed[i]) continue;
    while (!bUsed[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) half++;
    k++;
  }
  const t = half / 2;
  return (matches / la + matches / lb + (matches - t) / matches) / 3;
}

/** Jaro-Winkler similarity; null when either value is missing. */
export function jaroWinkler(a: unknown, b: unknown, opts: { prefixScale?: number; maxPrefix?: number } = {}): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  const j = jaro(x, y);
  const p = opts.prefixScale ?? 0.1;
  const maxPrefix = opts.maxPrefix ?? 4;
  let l = 0;
  while (l < maxPrefix && l < x.length && l < y.length && x[l] === y[l]) l++;
  return j + l * p * (1 - j);
}

/** Levenshtein distance; with maxDist, returns maxDist + 1 as soon as the distance must exceed it. */
export function levenshtein(a: string, b: string, maxDist = Infinity): number {
  if (a === b) return 0;
  let s = a;
  let t = b;
  if (s.length > t.length) [s, t] = [t, s];
  const ls = s.length;
  const lt = t.length;
  if (lt - ls > maxDist) return maxDist + 1;
  if (ls === 0) return lt;
  let prev = new Int32Array(ls + 1);
  let cur = new Int32Array(ls + 1);
  for (let i = 0; i <= ls; i++) prev[i] = i;
  for (let j = 1; j <= lt; j++) {
    cur[0] = j;
    let rowMin = j;
    const tc = t.charCodeAt(j - 1);
    for (let i = 1; i <= ls; i++) {
      const cost = s.charCodeAt(i - 1) === tc ? 0 : 1;
      const v = Math.min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + cost);
      cur[i] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > maxDist) return maxDist + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[ls];
}

/** 1 − distance / longer length; 0 when the distance exceeds maxDist. */
export function levenshteinSim(a: unknown, b: unknown, opts: { maxDist?: number } = {}): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  const maxDist = opts.maxDist ?? Infinity;
  const d = levenshtein(x, y, maxDist);
  if (d > maxDist) return 0;
  return 1 - d / Math.max(x.length, y.length);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Length of the longest common subsequence, bit-parallel (Allison-Dix / Crochemore et al.):
 * one machine word per 32 characters of the shorter string, V' = (V + (V & M)) | (V & ~M),
 * and the LCS is the number of zero bits of V. O(|b| · ⌈|a|/32⌉).
 */
export function lcsLength(a: string, b: string): number {
  if (a.length > b.length) [a, b] = [b, a];
  const m = a.length;
  if (m === 0) return 0;
  const W = (m + 31) >>> 5;
  const masks = new Map<number, Uint32Array>();
  for (let i = 0; i < m; i++) {
    const c = a.charCodeAt(i);
    let mk = masks.get(c);
    if (!mk) masks.set(c, (mk = new Uint32Array(W)));
    mk[i >>> 5] |= 1 << (i & 31);
  }
  const V = new Uint32Array(W).fill(0xffffffff);
  for (let j = 0; j < b.length; j++) {
    const M = masks.get(b.charCodeAt(j));
    if (!M) continue;
    let carry = 0;
    for (let k = 0; k < W; k++) {
      const v = V[k]!;
      const u = (v & M[k]!) >>> 0;
      const sum = v + u + carry; // < 2^33, exact in a double
      carry = sum > 0xffffffff ? 1 : 0;
      V[k] = (sum >>> 0) | (v & ~M[k]!);
    }
  }
  let zeros = 0;
  for (let k = 0; k < W; k++) {
    const bits = k === W - 1 && m % 32 !== 0 ? m % 32 : 32;
    const word = bits === 32 ? V[k]! : V[k]! & ((1 << bits) - 1);
    zeros += bits - popcount32(word);
  }
  return zeros;
}

/** Indel similarity 2·LCS / (|a| + |b|) (1 for two empty strings). */
export function indelRatio(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  return (2 * lcsLength(a, b)) / (a.length + b.length);
}

/** Word-set similarity (fuzzywuzzy token_set_ratio style, indel ratio). */
export function tokenSetRatio(a: unknown, b: unknown): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  const ta = wordSet(x);
  const tb = wordSet(y);
  if (ta.length === 0 || tb.length === 0) return ta.length === tb.length ? 1 : 0;
  // both lists are sorted and unique: one merge pass splits shared words from each side's own
  const inter: string[] = [];
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ta.length || j < tb.length) {
    if (j >= tb.length || (i < ta.length && ta[i]! < tb[j]!)) onlyA.push(ta[i++]!);
    else if (i >= ta.length || tb[j]! < ta[i]!) onlyB.push(tb[j++]!);
    else {
      inter.push(ta[i]!);
      i++;
      j++;
    }
  }
  const t0 = inter.join(' ');
  const da = onlyA.join(' ');
  const db = onlyB.join(' ');
  const sep = t0 ? 1 : 0;
  const l1 = t0.length + (da ? sep + da.length : 0); // t1 = t0 + ' ' + da
  const l2 = t0.length + (db ? sep + db.length : 0);
  // t1 and t2 share the prefix t0 (and the space after it when both go on), so their LCS is
  // |t0| (+1) + LCS(da, db); t0 is a prefix of t1, so LCS(t0, t1) = |t0|.
  const lcs12 = t0.length + (da && db ? sep + lcsLength(da, db) : 0);
  let best = (2 * lcs12) / (l1 + l2);
  if (t0) best = Math.max(best, (2 * t0.length) / (t0.length + l1), (2 * t0.length) / (t0.length + l2));
  return best;
}

const wordSet = memo((s: string) => [...new Set(tokens(s))].sort());

function qgramSetOf(s: string, q: number): Set<string> {
  const t = '#'.repeat(q - 1) + s + '#'.repeat(q - 1);
  const out = new Set<string>();
  for (let i = 0; i + q <= t.length; i++) out.add(t.slice(i, i + q));
  return out;
}
const qgramMemos = new Map<number, (s: string) => Set<string>>();
function qgramSet(s: string, q: number): Set<string> {
  let f = qgramMemos.get(q);
  if (!f) qgramMemos.set(q, (f = memo((x: string) => qgramSetOf(x, q))));
  return f(s);
}
const pinyinOf = memo(pinyinKey);
const simplifiedOf = memo((s: string) => normalizeText(toSimplified(s)));

/** Jaccard similarity of padded q-gram sets. */
export function qgramJaccard(a: unknown, b: unknown, opts: { q?: number } = {}): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  if (x === y) return 1;
  const q = Math.max(1, opts.q ?? 2);
  let sa = qgramSet(x, q);
  let sb = qgramSet(y, q);
  if (sa.size > sb.size) [sa, sb] = [sb, sa];
  let inter = 0;
  for (const g of sa) if (sb.has(g)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** 1 when the toneless pinyin agrees (homophones), else 0. */
export function pinyinEqual(a: unknown, b: unknown): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  return pinyinOf(x) === pinyinOf(y) ? 1 : 0;
}

/** 1 when the texts agree after traditional → simplified conversion, else 0. */
export function tradSimpEqual(a: unknown, b: unknown): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  return simplifiedOf(x) === simplifiedOf(y) ? 1 : 0;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Names: Han script via simplified text and pinyin (homophones 0.9), Latin via Jaro-Winkler. */
export function nameSim(a: unknown, b: unknown): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  if (!HAN.test(x) && !HAN.test(y)) return jaroWinkler(normalizeText(x), normalizeText(y));
  if (simplifiedOf(x) === simplifiedOf(y)) return 1;
  const px = pinyinOf(x);
  const py = pinyinOf(y);
  if (px === py) return 0.9;
  return 0.9 * (jaroWinkler(px, py) ?? 0);
}

/** Parses a number out of text such as "1,234.5", "¥12", "-3"; NaN when there is none. */
export function parseNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = present(v);
  if (s === null) return NaN;
  const m = s.normalize('NFKC').replace(/[,\s]/g, '').match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/i);
  return m ? Number(m[0]) : NaN;
}

/** Linear decay: 1 − |a − b| / scale, floored at 0. */
export function numericSim(a: unknown, b: unknown, opts: { scale?: number } = {}): Sim {
  const x = parseNumber(a);
  const y = parseNumber(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return null;
  const scale = opts.scale ?? Math.max(1, Math.abs(x), Math.abs(y));
  return Math.max(0, 1 - Math.abs(x - y) / scale);
}

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Parses a calendar date; null when the text is not a valid date. */
export function parseYmd(v: unknown, order: 'dmy' | 'mdy' = 'dmy'): Ymd | null {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    return { y: v.getUTCFullYear(), m: v.getUTCMonth() + 1, d: v.getUTCDate() };
  }
  const s = present(v)?.normalize('NFKC').trim();
  if (!s) return null;
  let y: number;
  let m: number;
  let d: number;
  let r: RegExpMatchArray | null;
  if ((r = s.match(/^(\d{4})(\d{2})(\d{2})$/))) [y, m, d] = [+r[1]!, +r[2]!, +r[3]!];
  else if ((r = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/)))
    [y, m, d] = [+r[1]!, +r[2]!, +r[3]!];
  else if ((r = s.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$/))) {
    y = +r[3]!;
    [d, m] = order === 'dmy' ? [+r[1]!, +r[2]!] : [+r[2]!, +r[1]!];
  } else return null;
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1) return null;
  return { y, m, d };
}

function dayNumber(p: Ymd): number {
  return Date.UTC(p.y, p.m - 1, p.d) / 86_400_000;
}

/** Days between two dates (absolute); null when either is missing or not a date. */
export function dateDistanceDays(a: unknown, b: unknown, order: 'dmy' | 'mdy' = 'dmy'): number | null {
  const x = parseYmd(a, order);
  const y = parseYmd(b, order);
  if (!x || !y) return null;
  return Math.abs(dayNumber(x) - dayNumber(y));
}

/** True when one date is the other with day and month swapped (and they differ). */
export function isDayMonthSwap(x: Ymd, y: Ymd): boolean {
  return x.y === y.y && x.m === y.d && x.d === y.m && x.m !== x.d;
}

/** Date similarity: linear decay over scaleDays (default 365); day/month swaps score ≥ swapScore (0.9). */
export function dateSim(
  a: unknown,
  b: unknown,
  opts: { scaleDays?: number; swapScore?: number; order?: 'dmy' | 'mdy' } = {},
): Sim {
  const sa = present(a);
  const sb = present(b);
  if (sa === null || sb === null) return null;
  const x = parseYmd(a, opts.order);
  const y = parseYmd(b, opts.order);
  if (!x || !y) return normalizeText(sa) === normalizeText(sb) ? 1 : 0;
  const days = Math.abs(dayNumber(x) - dayNumber(y));
  let sim = Math.max(0, 1 - days / (opts.scaleDays ?? 365));
  if (isDayMonthSwap(x, y)) sim = Math.max(sim, opts.swapScore ?? 0.9);
  return sim;
}

/** 1 when equal (as strings), else 0. */
export function exact(a: unknown, b: unknown): Sim {
  const x = present(a);
  const y = present(b);
  if (x === null || y === null) return null;
  return x === y ? 1 : 0;
}

/**
 * TF-IDF cosine over a corpus (the field's values in both tables): words shared by few
 * records (a report number, a rare surname) count more than common ones ("learning", "the").
 * Weight of a word = (1 + ln tf) · ln(1 + N / df); vectors are L2-normalised once per value.
 * Words never seen in the corpus get the highest idf.
 */
export function tfidfCosine(corpus: readonly unknown[]): Comparator {
  const df = new Map<string, number>();
  let N = 0;
  for (const v of corpus) {
    const s = present(v);
    if (s === null) continue;
    N++;
    for (const w of new Set(tokens(s))) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const vector = memo((s: string): Map<string, number> => {
    const toks = tokens(s);
    const tf = new Map<string, number>();
    for (const w of toks) tf.set(w, (tf.get(w) ?? 0) + 1);
    const vec = new Map<string, number>();
    let norm = 0;
    for (const [w, c] of tf) {
      const x = (1 + Math.log(c)) * Math.log(1 + Math.max(1, N) / (df.get(w) ?? 1));
      vec.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [w, x] of vec) vec.set(w, x / norm);
    return vec;
  });
  return (a, b) => {
    const x = present(a);
    const y = present(b);
    if (x === null || y === null) return null;
    let va = vector(x);
    let vb = vector(y);
    if (va.size === 0 || vb.size === 0) return va.size === vb.size ? 1 : 0;
    if (va.size > vb.size) [va, vb] = [vb, va];
    let dot = 0;
    for (const [w, v] of va) {
      const u = vb.get(w);
      if (u !== undefined) dot += v * u;
    }
    return Math.min(1, dot);
  };
}

/** Comparators by name, for configs that must be plain data. */
export type ComparatorName =
  | 'exact'
  | 'jaroWinkler'
  | 'levenshtein'
  | 'tokenSet'
  | 'qgram'
  | 'pinyin'
  | 'tradSimp'
  | 'name'
  | 'numeric'
  | 'date'
  | 'tfidf';

export interface ComparatorOptions {
  maxDist?: number;
  q?: number;
  scale?: number;
  scaleDays?: number;
  swapScore?: number;
  order?: 'dmy' | 'mdy';
}

export type Comparator = (a: unknown, b: unknown) => Sim;

/** A comparator function from its name and options ('tfidf' needs the corpus of values). */
export function comparatorFor(name: ComparatorName, o: ComparatorOptions = {}, corpus?: readonly unknown[]): Comparator {
  switch (name) {
    case 'tfidf':
      if (!corpus) throw new Error('the tfidf comparator needs the corpus of values');
      return tfidfCosine(corpus);
    case 'exact':
      return exact;
    case 'jaroWinkler':
      return (a, b) => jaroWinkler(a, b);
    case 'levenshtein':
      return (a, b) => levenshteinSim(a, b, { maxDist: o.maxDist });
    case 'tokenSet':
      return tokenSetRatio;
    case 'qgram':
      return (a, b) => qgramJaccard(a, b, { q: o.q });
    case 'pinyin':
      return pinyinEqual;
    case 'tradSimp':
      return tradSimpEqual;
    case 'name':
      return nameSim;
    case 'numeric':
      return (a, b) => numericSim(a, b, { scale: o.scale });
    case 'date':
      return (a, b) => dateSim(a, b, o);
  }
}
