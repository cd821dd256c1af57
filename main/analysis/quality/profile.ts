/**
 * Data-quality profile of a column and of a dataset (pure: values in, numbers out).
 *
 * Per column: count, nulls (null, '', blanks; in typed columns also placeholders such as
 * 'N/A' or '-', as at import), distinct, min/max, top-k values, pattern histogram, invalid
 * values, and for numeric and date columns mean/median/std/quartiles, a histogram and outliers.
 *   - Numeric (integer, decimal, percent) and date/datetime columns go through one pass into a
 *     Float64Array (dates as days since 1970) that is sorted once: median and quartiles (type 7),
 *     exact distinct count and exact top values come from runs of the sorted array. Strings that
 *     read as numbers count; others are invalid.
 *   - Other columns count strings in a Map. Distinct is exact up to `exactDistinctLimit` (100,000)
 *     different values; past that, new values are not added to the Map (top values then become
 *     approximate, `topExact: false`) and the distinct count is estimated from 32-bit FNV-1a hashes
 *     of every value: sort, count different hashes D′, and undo the expected collisions,
 *     D = ln(1 − D′/2³²) / ln(1 − 2⁻³²) (error well under 0.1% at a million values).
 *   - Pattern: digit → d, Latin letter → a, CJK ideograph → 汉, everything else kept, runs kept
 *     ('138-1234-5678' → 'ddd-dddd-dddd'); patterns longer than 40 are cut with '…'. Number
 *     columns use their decimal text. Up to 65,536 values every value is looked at; past that a
 *     systematic sample (every ⌈n/65,536⌉-th row) — shares are what the score uses, and a sample of
 *     65k pins a share to ±0.4% (95%).
 *   - Invalid: phone (Chinese mobile rules, then libphonenumber-js, default country CN — see
 *     clean/values.ts), email, date/datetime (ISO or any notation the import engine reads),
 *     integer (not a whole number), decimal/percent (not a number), boolean (not 0/1/是/否/yes/no…).
 *     id, category and text have no invalid values.
 *   - Outliers: IQR (1.5×) and MAD (modified z > 3.5), see ./outliers.ts; histogram bins: one per
 *     integer when an integer column spans ≤ 50 values, else Freedman–Diaconis width (Sturges when
 *     the IQR is 0), at most 50 bins.
 *
 * Quality score (0–100) of a column = 100 × Σ wᵢ·sᵢ / Σ wᵢ over the parts that apply:
 *   completeness  s = non-null / count                                     w = 0.40 (always)
 *   validity      s = valid / non-null                                     w = 0.35 (typed columns:
 *                 phone, email, date, datetime, integer, decimal, percent, boolean)
 *   uniqueness    s = distinct / non-null                                  w = 0.15 (when unique values
 *                 are expected: `expectUnique`, or an id column whose values are ≥ 95% distinct)
 *   consistency   s = share of non-null values in the 3 most common patterns  w = 0.10 (id, phone,
 *                 date, datetime: columns with a fixed shape)
 * A column with no values scores 0. Dataset score = weighted mean of the column scores, weight 2
 * for columns with a role (the fields analyses use), 1 otherwise (or the caller's weights).
 */
import type { CountryCode } from 'libphonenumber-js';
import type { ColumnType, Role } from '../../../shared/types';
import { cnMobilePrefixValid, isMissingValue, parseBoolean } from '../../kernel/values';
import { quantileSorted } from '../../kernel/stats';
import { type Cell, daysToIso, isValidEmail, isoToDays, normalizeDate, normalizePhone, toNumber } from '../clean/values';
import { detectOutliers } from './outliers';
import type { Stats, HistogramBin, QualityScore, ColumnProfile } from '../../../shared/api/quality-model';
export type { Stats, HistogramBin, QualityScore, ColumnProfile };

export interface ProfileOptions {
  topK?: number;
  patternK?: number;
  /** Cap on listed row indices (outliers, invalid). */
  rowCap?: number;
  exactDistinctLimit?: number;
  maxBins?: number;
  expectUnique?: boolean;
  defaultCountry?: CountryCode;
}





export const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'decimal', 'percent']);
export const DATES: ReadonlySet<ColumnType> = new Set(['date', 'datetime']);
const VALIDATED: ReadonlySet<ColumnType> = new Set(['phone', 'email', 'date', 'datetime', 'integer', 'decimal', 'percent', 'boolean']);
const SHAPED: ReadonlySet<ColumnType> = new Set(['id', 'phone', 'date', 'datetime']);
const MAX_PATTERN = 40;
/** Pattern shares are read from every value up to this many rows, else from every ⌈n/65,536⌉-th row. */
export const PATTERN_SAMPLE = 65_536;
const CN_E164_MOBILE = /^\+861[3-9]\d{9}$/;
/** A phone in the form the import stores (+86 and a mobile whose prefix libphonenumber knows): valid without a parse. */
const storedCnMobile = (s: string) => CN_E164_MOBILE.test(s) && cnMobilePrefixValid(s.slice(3));

/** Shape of a value: digits → d, Latin letters → a, CJK ideographs → 汉, others kept. */
export function patternOf(s: string): string {
  let out = '';
  let n = 0;
  for (const ch of s) {
    if (n++ >= MAX_PATTERN) return out + '…';
    const c = ch.codePointAt(0)!;
    if (c >= 48 && c <= 57) out += 'd';
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) out += 'a';
    else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f)) out += '汉';
    else out += ch;
  }
  return out;
}

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Distinct count from 32-bit hashes, corrected for expected collisions. */
export function distinctFromHashes(hashes: Uint32Array): number {
  if (hashes.length === 0) return 0;
  const s = hashes.slice().sort();
  let d = 1;
  for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1]) d++;
  const m = 4294967296;
  return Math.round(Math.log(1 - d / m) / Math.log(1 - 1 / m));
}

function topInsert(top: { value: Cell; count: number }[], k: number, value: Cell, count: number): void {
  if (top.length === k && count <= top[k - 1]!.count) return;
  let p = top.length === k ? k - 1 : top.length;
  while (p > 0 && top[p - 1]!.count < count) {
    top[p] = top[p - 1]!;
    p--;
  }
  top[p] = { value, count };
  if (top.length > k) top.length = k;
}

/** Where the histogram's bins lie: one per integer when an integer column spans ≤ maxBins values, else Freedman–Diaconis (Sturges when the IQR is 0). */
export function binLayout(min: number, max: number, q1: number, q3: number, n: number, integer: boolean, maxBins: number): { lo: number; width: number; bins: number; perInteger: boolean } {
  if (integer && max - min + 1 <= maxBins) return { lo: min - 0.5, width: 1, bins: max - min + 1, perInteger: true };
  const iqr = q3 - q1;
  let bins = iqr > 0 ? Math.ceil((max - min) / (2 * iqr * Math.cbrt(1 / n))) : Math.ceil(Math.log2(n)) + 1;
  bins = Math.max(1, Math.min(maxBins, bins));
  return { lo: min, width: (max - min) / bins, bins, perInteger: false };
}

/** The bin of a value (values past either end go to the end bins). */
function binOf(x: number, lo: number, width: number, bins: number): number {
  const b = Math.floor((x - lo) / width);
  return b >= bins ? bins - 1 : b < 0 ? 0 : b;
}

/** Bins with their counts; the last bin ends at `max`, except per-integer bins. */
export function binsOf(counts: ArrayLike<number>, layout: { lo: number; width: number; bins: number; perInteger: boolean }, max: number): HistogramBin[] {
  const { lo, width, bins, perInteger } = layout;
  return Array.from({ length: bins }, (_, b) => ({ lo: lo + b * width, hi: b === bins - 1 && !perInteger ? max : lo + (b + 1) * width, count: counts[b] ?? 0 }));
}

function histogram(sorted: Float64Array, values: Float64Array, integer: boolean, maxBins: number): HistogramBin[] {
  const n = sorted.length;
  if (!n) return [];
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (min === max) return [{ lo: min, hi: max, count: n }];
  const layout = binLayout(min, max, quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75), n, integer, maxBins);
  const counts = new Float64Array(layout.bins);
  for (let i = 0; i < values.length; i++) counts[binOf(values[i]!, layout.lo, layout.width, layout.bins)]!++;
  return binsOf(counts, layout, max);
}

/** Why a value of a phone, e-mail or boolean column is invalid, or null when it is valid. */
export function validity(type: ColumnType, v: Cell, country: CountryCode): string | null {
  switch (type) {
    case 'phone': {
      if (typeof v === 'string' && storedCnMobile(v)) return null; // stored form, the common case
      const r = normalizePhone(v as string | number, country);
      return r.ok ? null : r.reason;
    }
    case 'email':
      return typeof v === 'string' && isValidEmail(v) ? null : 'invalid_email';
    case 'boolean':
      return v === 0 || v === 1 || (typeof v === 'string' && parseBoolean(v) !== null) ? null : 'not_boolean';
    default:
      return null;
  }
}

/** The column's quality score from its counts (the weights are in the header). */
export function columnScore(p: { count: number; nonNull: number; invalid: number; distinct: number; patternShare: number }, type: ColumnType, expectUnique: boolean | undefined): QualityScore {
  const completeness = p.count ? p.nonNull / p.count : 0;
  const validity = VALIDATED.has(type) ? (p.nonNull ? (p.nonNull - p.invalid) / p.nonNull : 1) : null;
  const uniqueRatio = p.nonNull ? Math.min(1, p.distinct / p.nonNull) : 1;
  const uniqueness = expectUnique || (expectUnique === undefined && type === 'id' && uniqueRatio >= 0.95) ? uniqueRatio : null;
  const consistency = SHAPED.has(type) ? p.patternShare : null;
  const parts: [number, number | null][] = [
    [0.4, completeness],
    [0.35, validity],
    [0.15, uniqueness],
    [0.1, consistency],
  ];
  let sw = 0;
  let s = 0;
  for (const [w, v] of parts)
    if (v !== null) {
      sw += w;
      s += w * v;
    }
  const total = p.nonNull === 0 ? 0 : Math.round((1000 * s) / sw) / 10;
  return { score: total, completeness, validity, uniqueness, consistency };
}

/** A numeric or date column's statistics into its profile (dates, and their top values, as ISO text); returns its min and max as shown. */
export function placeStats(out: Partial<ColumnProfile>, st: Stats, type: ColumnType, top: { value: Cell; count: number }[]): { min: Cell; max: Cell } {
  if (!DATES.has(type)) {
    out.numeric = st;
    return { min: st.min, max: st.max };
  }
  const withTime = type === 'datetime';
  out.dates = { min: daysToIso(st.min, withTime), max: daysToIso(st.max, withTime), mean: daysToIso(st.mean, withTime), median: daysToIso(st.median, withTime), stdDays: st.std };
  for (const t of top) t.value = daysToIso(t.value as number, withTime);
  return { min: out.dates.min, max: out.dates.max };
}

/** Profile one column of cells (numbers, strings, null) declared as `type`. */
export function profileColumn(values: ArrayLike<Cell>, type: ColumnType, opts: ProfileOptions = {}): ColumnProfile {
  const topK = opts.topK ?? 10;
  const patternK = opts.patternK ?? 10;
  const rowCap = opts.rowCap ?? 1000;
  const limit = opts.exactDistinctLimit ?? 100_000;
  const maxBins = opts.maxBins ?? 50;
  const country = opts.defaultCountry ?? 'CN';
  const n = values.length;
  const typed = type !== 'text' && type !== 'category' && type !== 'id';
  const numericLike = NUMERIC.has(type) || DATES.has(type);

  let nulls = 0;
  const invalidRows: number[] = [];
  const invalidEx: Cell[] = [];
  const reasons: Record<string, number> = {};
  let invalid = 0;
  const bad = (i: number, v: Cell, reason: string) => {
    invalid++;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (invalidRows.length < rowCap) invalidRows.push(i);
    if (invalidEx.length < 10 && !invalidEx.includes(v)) invalidEx.push(v);
  };
  const pat = new Map<string, number>();
  // Patterns from a systematic sample: every value up to 65,536, else every stride-th row.
  const stride = Math.max(1, Math.ceil(n / PATTERN_SAMPLE));
  let patternSample = 0;
  const addPattern = (s: string, i: number) => {
    if (i % stride !== 0) return;
    patternSample++;
    const p = patternOf(s);
    pat.set(p, (pat.get(p) ?? 0) + 1);
  };

  // numeric-like path
  const nums = numericLike ? new Float64Array(n) : null;
  const rows = numericLike ? new Int32Array(n) : null;
  let m = 0;
  // string path
  const counts = numericLike ? null : new Map<string, { v: Cell; n: number }>();
  let overflow: number[] | null = null;
  let lenMin = Infinity;
  let lenMax = 0;
  let lenSum = 0;
  let lenN = 0;
  let smin: string | null = null;
  let smax: string | null = null;
  let allInt = true;
  const vmemo = new Map<string, string | null>();

  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'string' && (v.trim() === '' || (typed && isMissingValue(v))))) {
      nulls++;
      continue;
    }
    if (typeof v === 'string') {
      const L = v.length;
      if (L < lenMin) lenMin = L;
      if (L > lenMax) lenMax = L;
      lenSum += L;
      lenN++;
    }
    if (nums) {
      let x: number | null;
      if (DATES.has(type)) {
        if (typeof v === 'string') {
          x = isoToDays(v);
          if (Number.isNaN(x)) {
            const d = normalizeDate(v);
            x = d ? isoToDays(d) : null;
          }
        } else x = null;
        if (x === null) {
          bad(i, v, 'unparsed_date');
          addPattern(String(v), i);
          continue;
        }
        if (typeof v === 'string') addPattern(v, i);
      } else {
        x = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : toNumber(v);
        if (x === null) {
          bad(i, v, 'not_a_number');
          addPattern(String(v), i);
          continue;
        }
        if (!Number.isInteger(x)) {
          allInt = false;
          if (type === 'integer') {
            bad(i, v, 'not_integer');
            continue;
          }
        }
        if (i % stride === 0) addPattern(typeof v === 'number' ? String(v) : v, i);
      }
      nums[m] = x;
      rows![m] = i;
      m++;
      continue;
    }
    // string-like path
    const s = typeof v === 'number' ? String(v) : v;
    addPattern(s, i);
    if (smin === null || s < smin) smin = s;
    if (smax === null || s > smax) smax = s;
    let reason: string | null;
    if (type === 'phone' && storedCnMobile(s)) reason = null;
    else if (type === 'phone' || type === 'email') {
      // memoised per value: libphonenumber is slow and bad values repeat
      const hit = vmemo.get(s);
      if (hit !== undefined) reason = hit;
      else {
        reason = validity(type, v, country);
        if (vmemo.size < 200_000) vmemo.set(s, reason);
      }
    } else reason = validity(type, v, country);
    if (reason) bad(i, v, reason);
    const key = typeof v === 'number' ? '\u0001' + s : s;
    const e = counts!.get(key);
    if (e) e.n++;
    else if (counts!.size < limit) counts!.set(key, { v, n: 1 });
    else (overflow ??= []).push(fnv1a(key));
  }

  const nonNull = n - nulls;
  const top: { value: Cell; count: number }[] = [];
  let distinct = 0;
  let distinctExact = true;
  let min: Cell = null;
  let max: Cell = null;
  const out: Partial<ColumnProfile> = {};

  if (nums) {
    const vals = nums.subarray(0, m);
    const sorted = vals.slice().sort();
    for (let i = 0; i < m; ) {
      let j = i + 1;
      while (j < m && sorted[j] === sorted[i]) j++;
      distinct++;
      topInsert(top, topK, sorted[i]!, j - i);
      i = j;
    }
    if (m) {
      let mean = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        const d = vals[i]! - mean;
        mean += d / (i + 1);
        s2 += d * (vals[i]! - mean);
      }
      const st: Stats = { mean, median: quantileSorted(sorted, 0.5), std: m > 1 ? Math.sqrt(s2 / (m - 1)) : 0, q1: quantileSorted(sorted, 0.25), q3: quantileSorted(sorted, 0.75), min: sorted[0]!, max: sorted[m - 1]! };
      out.outliers = detectOutliers(vals, rows!.subarray(0, m), sorted, { cap: rowCap });
      out.histogram = histogram(sorted, vals, allInt && !DATES.has(type), maxBins);
      ({ min, max } = placeStats(out, st, type, top));
    }
  } else {
    for (const e of counts!.values()) topInsert(top, topK, e.v, e.n);
    if (overflow) {
      const h = new Uint32Array(counts!.size + overflow.length);
      let k = 0;
      for (const key of counts!.keys()) h[k++] = fnv1a(key);
      for (const x of overflow) h[k++] = x;
      distinct = distinctFromHashes(h);
      distinctExact = false;
    } else distinct = counts!.size;
    min = smin;
    max = smax;
  }

  const patterns = [...pat.entries()].sort((a, b) => b[1] - a[1]);
  const patTotal = patterns.reduce((a, p) => a + p[1], 0);
  const top3 = patterns.slice(0, 3).reduce((a, p) => a + p[1], 0);
  const quality = columnScore({ count: n, nonNull, invalid, distinct, patternShare: patTotal ? top3 / patTotal : 1 }, type, opts.expectUnique);

  return {
    type,
    count: n,
    nulls,
    nonNull,
    distinct,
    distinctExact,
    min,
    max,
    ...out,
    top,
    topExact: !overflow,
    patterns: patterns.slice(0, patternK).map(([pattern, count]) => ({ pattern, count })),
    patternsDistinct: patterns.length,
    patternSample,
    ...(lenN ? { length: { min: lenMin, max: lenMax, mean: lenSum / lenN } } : {}),
    invalid: { count: invalid, rows: invalidRows, examples: invalidEx, reasons },
    quality,
  };
}

export interface DatasetColumnInput {
  name: string;
  type: ColumnType;
  role?: Role | null;
  values: ArrayLike<Cell>;
  expectUnique?: boolean;
  /** Weight in the dataset score (default 2 with a role, else 1). */
  weight?: number;
}

export interface DatasetProfile {
  rows: number;
  columns: (ColumnProfile & { name: string; role: Role | null; weight: number })[];
  /** Rows identical to an earlier row in every column. */
  duplicateRows: number;
  score: number;
}

/** Profile every column and score the dataset (weighted mean of column scores). */
export function profileDataset(columns: DatasetColumnInput[], opts: ProfileOptions = {}): DatasetProfile {
  const rows = columns.length ? columns[0]!.values.length : 0;
  for (const c of columns) if (c.values.length !== rows) throw new Error(`column "${c.name}" has ${c.values.length} values, expected ${rows}`);
  const profiled = columns.map((c) => {
    const { expectUnique: _ignored, ...rest } = opts;
    const p = profileColumn(c.values, c.type, { ...rest, ...(c.expectUnique !== undefined ? { expectUnique: c.expectUnique } : {}) });
    return { name: c.name, role: c.role ?? null, weight: c.weight ?? (c.role ? 2 : 1), ...p };
  });
  let sw = 0;
  let s = 0;
  for (const p of profiled) {
    sw += p.weight;
    s += p.weight * p.quality.score;
  }
  // Duplicate rows: hash each row's cells (strings and numbers kept apart).
  const seen = new Set<string>();
  let duplicateRows = 0;
  for (let i = 0; i < rows; i++) {
    let key = '';
    for (const c of columns) {
      const v = c.values[i];
      key += (v === null || v === undefined ? '\u0000' : typeof v === 'number' ? '#' + v : '$' + v) + '\u0001';
    }
    if (seen.has(key)) duplicateRows++;
    else seen.add(key);
  }
  return { rows, columns: profiled, duplicateRows, score: sw ? Math.round((10 * s) / sw) / 10 : 0 };
}
