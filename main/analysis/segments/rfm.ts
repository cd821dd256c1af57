/**
 * RFM: recency, frequency and monetary value per customer, quintile scores and named segments.
 *
 * Inputs are transactions (customer key, time in epoch ms, amount, optional invoice id and
 * quantity). Options: as-of date (default: the last transaction time in the data); recency is
 * calendar days from the customer's last purchase date to the as-of date (the time of day is
 * ignored; `dayAfterLast` adds one day, the other common convention); frequency = distinct invoices when invoice ids exist,
 * otherwise distinct purchase days; monetary = sum of amounts. Cancellations (invoice starting
 * with 'C', negative quantity or amount) and non-positive amounts can be excluded.
 *
 * Scores 1–5: customers are ranked by value, ties broken by customer key, and cut into five
 * equal-count bins (pandas `qcut(rank(method='first'), 5)`); recency is reversed (5 = most
 * recent). FM = round((F + M) / 2).
 *
 * 11-class map on R × FM (rows FM 5→1, columns R 1→5):
 *   FM 5: Can't Lose · At Risk · Loyal · Champions · Champions
 *   FM 4: Can't Lose · At Risk · Loyal · Champions · Champions
 *   FM 3: At Risk · At Risk · Need Attention · Loyal · Potential Loyalist
 *   FM 2: Hibernating · Hibernating · About to Sleep · Potential Loyalist · Potential Loyalist
 *   FM 1: Lost · Hibernating · About to Sleep · Promising · New
 * 8-class Chinese scheme: R, F and M are each high or low against the mean (or median) of all
 * customers (recency: fewer days = high); 重要 = high M; 价值/发展/保持/挽留 from R and F.
 */
export interface RfmInput {
  customer: string[];
  time: Float64Array | number[];
  amount: Float64Array | number[];
  invoice?: (string | null)[];
  quantity?: (number | null)[];
}

export interface RfmOptions {
  asOf?: number;
  recencyFrom?: 'asOf' | 'dayAfterLast';
  excludeCancellations?: boolean;
  excludeNonPositive?: boolean;
}

export interface RfmTable {
  customers: string[];
  recency: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  first: Float64Array;
  last: Float64Array;
  asOf: number;
  rowsUsed: number;
  rowsExcluded: number;
}

const DAY = 86_400_000;

export function computeRfm(input: RfmInput, opts: RfmOptions = {}): RfmTable {
  const n = input.customer.length;
  if (input.time.length !== n || input.amount.length !== n) throw new Error('customer, time and amount must have the same length');
  const byCust = new Map<string, { first: number; last: number; money: number; keys: Set<string> }>();
  let maxTime = -Infinity;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const c = input.customer[i];
    const t = input.time[i]!;
    const a = input.amount[i]!;
    if (c === null || c === undefined || c === '' || !Number.isFinite(t) || !Number.isFinite(a)) continue;
    const inv = input.invoice?.[i] ?? null;
    const q = input.quantity?.[i] ?? null;
    if (opts.excludeCancellations !== false && ((inv !== null && /^c/i.test(inv)) || (q !== null && q < 0) || a < 0)) continue;
    if (opts.excludeNonPositive !== false && a <= 0) continue;
    if (opts.asOf !== undefined && t > opts.asOf) continue;
    used++;
    if (t > maxTime) maxTime = t;
    let e = byCust.get(c);
    if (!e) byCust.set(c, (e = { first: t, last: t, money: 0, keys: new Set() }));
    if (t < e.first) e.first = t;
    if (t > e.last) e.last = t;
    e.money += a;
    e.keys.add(inv ?? String(Math.floor(t / DAY)));
  }
  const asOf = opts.asOf ?? maxTime;
  const customers = [...byCust.keys()].sort();
  const m = customers.length;
  const out: RfmTable = {
    customers,
    recency: new Float64Array(m),
    frequency: new Float64Array(m),
    monetary: new Float64Array(m),
    first: new Float64Array(m),
    last: new Float64Array(m),
    asOf,
    rowsUsed: used,
    rowsExcluded: n - used,
  };
  customers.forEach((c, i) => {
    const e = byCust.get(c)!;
    out.recency[i] = Math.floor(asOf / DAY) - Math.floor(e.last / DAY) + (opts.recencyFrom === 'dayAfterLast' ? 1 : 0);
    out.frequency[i] = e.keys.size;
    out.monetary[i] = Math.round(e.money * 100) / 100;
    out.first[i] = e.first;
    out.last[i] = e.last;
  });
  return out;
}

/**
 * Equal-count quintile scores 1..bins by rank (ties broken by position = customer key order).
 * A customer's rank is how many values are smaller (binary search in the sorted values) plus how
 * many equal values came before it, counted at the first sorted position of their value: no
 * comparator sort of a million indices, and no map of tied values (recencies and frequencies are
 * nearly all ties: a map lookup per customer took 0.7 s of a million-customer RFM).
 */
export function quantileScores(values: ArrayLike<number>, bins = 5, reverse = false): Int8Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  // the distinct values and where each starts in sorted order: recencies and frequencies have a few
  // hundred, so the search below stays in cache
  const distinct = new Float64Array(n);
  const start = new Int32Array(n);
  let u = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (u === 0 || !(distinct[u - 1]! === v)) {
      distinct[u] = v;
      start[u++] = i;
    }
  }
  const s = new Int8Array(n);
  let lastV = NaN;
  let lastAt = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let at = lastAt;
    if (v !== lastV) {
      let lo = 0;
      let hi = u;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (distinct[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      at = lo;
      lastV = v;
      lastAt = lo;
    }
    // equal values already ranked are counted at their value's start; NaN ranks first, as it always has
    const rank = v === v ? start[at]++ : 0;
    const q = Math.floor((rank * bins) / n) + 1;
    s[i] = reverse ? bins + 1 - q : q;
  }
  return s;
}

export function rfmScores(t: RfmTable): { r: Int8Array; f: Int8Array; m: Int8Array } {
  return { r: quantileScores(t.recency, 5, true), f: quantileScores(t.frequency), m: quantileScores(t.monetary) };
}

export type RfmScheme = '11' | 'cn8';

export interface SegmentName {
  key: string;
  en: string;
  zh: string;
}

export const RFM11: Record<string, SegmentName> = {
  champions: { key: 'champions', en: 'Champions', zh: '冠军客户' },
  loyal: { key: 'loyal', en: 'Loyal', zh: '忠诚客户' },
  potential_loyalist: { key: 'potential_loyalist', en: 'Potential Loyalist', zh: '潜力客户' },
  new: { key: 'new', en: 'New', zh: '新客户' },
  promising: { key: 'promising', en: 'Promising', zh: '有希望客户' },
  need_attention: { key: 'need_attention', en: 'Need Attention', zh: '需要关注' },
  about_to_sleep: { key: 'about_to_sleep', en: 'About to Sleep', zh: '即将沉睡' },
  at_risk: { key: 'at_risk', en: 'At Risk', zh: '有流失风险' },
  cant_lose: { key: 'cant_lose', en: "Can't Lose Them", zh: '不能失去' },
  hibernating: { key: 'hibernating', en: 'Hibernating', zh: '休眠客户' },
  lost: { key: 'lost', en: 'Lost', zh: '已流失' },
};

// GRID[fm-1][r-1]
export const GRID: string[][] = [
  ['lost', 'hibernating', 'about_to_sleep', 'promising', 'new'],
  ['hibernating', 'hibernating', 'about_to_sleep', 'potential_loyalist', 'potential_loyalist'],
  ['at_risk', 'at_risk', 'need_attention', 'loyal', 'potential_loyalist'],
  ['cant_lose', 'at_risk', 'loyal', 'champions', 'champions'],
  ['cant_lose', 'at_risk', 'loyal', 'champions', 'champions'],
];

export function segment11(r: number, f: number, m: number): SegmentName {
  const fm = Math.round((f + m) / 2);
  return RFM11[GRID[fm - 1]![r - 1]!]!;
}

export const CN8: Record<string, SegmentName> = {
  important_value: { key: 'important_value', zh: '重要价值客户', en: 'Important value' },
  important_develop: { key: 'important_develop', zh: '重要发展客户', en: 'Important to develop' },
  important_keep: { key: 'important_keep', zh: '重要保持客户', en: 'Important to keep' },
  important_retain: { key: 'important_retain', zh: '重要挽留客户', en: 'Important to win back' },
  general_value: { key: 'general_value', zh: '一般价值客户', en: 'General value' },
  general_develop: { key: 'general_develop', zh: '一般发展客户', en: 'General to develop' },
  general_keep: { key: 'general_keep', zh: '一般保持客户', en: 'General to keep' },
  general_retain: { key: 'general_retain', zh: '一般挽留客户', en: 'General to win back' },
};

export function segmentCn8(t: RfmTable, threshold: 'mean' | 'median' = 'mean'): SegmentName[] {
  const cut = (xs: Float64Array) => {
    // an exact sum of cents (monetary is rounded to cents, the others are whole days and orders): the
    // same cut whichever engine adds them up, in whatever order
    if (threshold === 'mean') return xs.reduce((a, b) => a + Math.round(b * 100), 0) / 100 / xs.length;
    const s = Float64Array.from(xs).sort();
    const h = (s.length - 1) / 2;
    return (s[Math.floor(h)]! + s[Math.ceil(h)]!) / 2;
  };
  const rc = cut(t.recency);
  const fc = cut(t.frequency);
  const mc = cut(t.monetary);
  return t.customers.map((_, i) => {
    const R = t.recency[i]! < rc; // recent = high
    const F = t.frequency[i]! > fc;
    const M = t.monetary[i]! > mc;
    const kind = R && F ? 'value' : R && !F ? 'develop' : !R && F ? 'keep' : 'retain';
    return CN8[`${M ? 'important' : 'general'}_${kind}`]!;
  });
}

export function rfmSegments(t: RfmTable, scheme: RfmScheme, threshold: 'mean' | 'median' = 'mean'): { r: Int8Array; f: Int8Array; m: Int8Array; segments: SegmentName[] } {
  const sc = rfmScores(t);
  const segments = scheme === 'cn8' ? segmentCn8(t, threshold) : t.customers.map((_, i) => segment11(sc.r[i]!, sc.f[i]!, sc.m[i]!));
  return { ...sc, segments };
}

/** Value tiers by a measure: top 20% / next 30% / rest (ranked descending, ties by position). */
export function valueTiers(measure: ArrayLike<number>, cuts: [number, number] = [0.2, 0.5]): ('top' | 'middle' | 'rest')[] {
  const n = measure.length;
  const order = [...Array(n).keys()].sort((a, b) => measure[b]! - measure[a]! || a - b);
  const out = new Array<'top' | 'middle' | 'rest'>(n);
  order.forEach((idx, rank) => (out[idx] = rank < cuts[0] * n ? 'top' : rank < cuts[1] * n ? 'middle' : 'rest'));
  return out;
}
