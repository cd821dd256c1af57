/**
 * Customer lifecycle stages as of a date, from a registration date (optional), purchase times and
 * amounts, and optionally a BG/NBD P(alive). Rule-based and explainable: every stage comes with the
 * reason that decided it and the figures it looked at, so a marketer can check it by hand.
 *
 * Time is counted in whole calendar days (UTC shifted by `utcOffsetMinutes`); purchases on the same
 * day are one purchase occasion (amounts summed), as in the BTYD summary. Only purchases on or
 * before the as-of day are read, so the same history gives the stage at any past date.
 *
 * Rules, first match wins (all thresholds in `LifecycleConfig`, defaults in brackets):
 *  1. no purchase yet: 潜在 prospect if registered on or before the date, else not a customer (null);
 *  2. days since last purchase > churnDays [180]                                → 流失 churned;
 *  3. a purchase within wonBackWindowDays [90] came after a gap > churnDays     → 回流 won_back;
 *  4. first purchase ≤ newDays [30] ago, or a single purchase not yet overdue
 *     (≤ oneTimeOverdueDays [60] ago: still in the first cycle, the action is "get the 2nd order")
 *                                                                               → 新客 new;
 *  5. declining (衰退) when any of: P(alive) < pAliveThreshold [0.3] (when given);
 *     overdue against the customer's own rhythm: days since last > max(overdueFactor [2] × median
 *     gap between purchase days, minOverdueDays [30]) (needs ≥ 2 purchase days; one-time buyers use
 *     oneTimeOverdueDays instead); a falling trend: purchases in the recent window
 *     (trendWindowDays [90]) ≤ (1 − declineRatio [0.5]) × purchases in the window before, with
 *     ≥ minTrendPurchases [2] purchases in that previous window;
 *  6. growing (成长) when recent purchases ≥ (1 + growthRatio [0.25]) × previous (previous 0 counts
 *     as 1 so one purchase does not make a trend), or the count held and the recent spend
 *     ≥ (1 + growthRatio) × previous spend;
 *  7. otherwise mature (成熟, steady).
 * The median gap is the customer's own rhythm, so a quarterly buyer is not "declining" after 60
 * days while a weekly buyer is; the floor keeps a burst of daily orders from flagging a customer
 * after a few quiet days.
 */
import { z } from 'zod';

export const STAGE_IDS = ['prospect', 'new', 'growing', 'mature', 'declining', 'churned', 'won_back'] as const;
export type StageId = (typeof STAGE_IDS)[number];

export const STAGE_LABELS: Record<StageId, { zh: string; en: string }> = {
  prospect: { zh: '潜在', en: 'Prospect' },
  new: { zh: '新客', en: 'New' },
  growing: { zh: '成长', en: 'Growing' },
  mature: { zh: '成熟', en: 'Mature' },
  declining: { zh: '衰退', en: 'Declining' },
  churned: { zh: '流失', en: 'Churned' },
  won_back: { zh: '回流', en: 'Won back' },
};

const days = z.number().int().min(1).max(3650);
export const lifecycleConfigSchema = z
  .object({
    newDays: days.default(30),
    oneTimeOverdueDays: days.default(60),
    churnDays: days.default(180),
    wonBackWindowDays: days.default(90),
    overdueFactor: z.number().min(1).max(20).default(2),
    minOverdueDays: z.number().int().min(0).max(3650).default(30),
    trendWindowDays: days.default(90),
    growthRatio: z.number().min(0).max(10).default(0.25),
    declineRatio: z.number().gt(0).max(1).default(0.5),
    minTrendPurchases: z.number().int().min(1).max(1000).default(2),
    pAliveThreshold: z.number().min(0).max(1).default(0.3),
    utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
  })
  .strict()
  .refine((c) => c.churnDays > c.newDays, { message: 'churnDays must be longer than newDays', path: ['churnDays'] });

export type LifecycleConfig = z.output<typeof lifecycleConfigSchema>;
export type LifecycleConfigInput = z.input<typeof lifecycleConfigSchema>;

/** Validates a partial config and fills the defaults (throws a ZodError on bad values). */
export function lifecycleConfig(input: LifecycleConfigInput = {}): LifecycleConfig {
  return lifecycleConfigSchema.parse(input);
}

export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = lifecycleConfig();

export interface CustomerHistory {
  /** Registration time (epoch ms), if known. */
  registeredAt?: number | null;
  /** Purchase times (epoch ms), any order (an array or a view into a flat typed array). */
  purchaseTimes: ArrayLike<number>;
  /** Amount of each purchase (same order); missing → value trend not used. */
  amounts?: ArrayLike<number>;
  /** BG/NBD P(alive) as of the same date, if a model was fitted. */
  pAlive?: number | null;
}

export type StageReason =
  | 'registered_no_purchase'
  | 'inactive_over_churn_days'
  | 'returned_after_churn_gap'
  | 'first_purchase_recent'
  | 'single_purchase_not_overdue'
  | 'single_purchase_overdue'
  | 'low_p_alive'
  | 'overdue_vs_rhythm'
  | 'falling_frequency'
  | 'rising_frequency'
  | 'rising_value'
  | 'steady';

export interface StageResult {
  stage: StageId;
  reason: StageReason;
  /** Distinct purchase days up to the date. */
  purchaseDays: number;
  daysSinceFirst: number | null;
  daysSinceLast: number | null;
  /** Median gap between purchase days (null with < 2 purchase days). */
  medianGapDays: number | null;
  recentPurchases: number;
  previousPurchases: number;
  recentValue: number;
  previousValue: number;
}

const DAY = 86_400_000;

export function dayIndex(time: number, utcOffsetMinutes = 0): number {
  return Math.floor((time + utcOffsetMinutes * 60_000) / DAY);
}

/** One customer's purchase days as a slice [lo, hi) of flat arrays (a customer of PackedHistories). */
interface Span {
  days: Int32Array;
  values: Float64Array;
  lo: number;
  hi: number;
  registeredDay: number | null;
  hasValues: boolean;
  pAlive: number | null;
}

function stageOfSpan(p: Span, asOfDay: number, cfg: LifecycleConfig): StageResult | null {
  const { days, values, lo: base } = p;
  // Purchase days up to and including the as-of day (binary search for the cut).
  let lo = base;
  let hi = p.hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! <= asOfDay) lo = mid + 1;
    else hi = mid;
  }
  const n = lo - base;
  if (n === 0) {
    if (p.registeredDay != null && p.registeredDay <= asOfDay) return { stage: 'prospect', reason: 'registered_no_purchase', purchaseDays: 0, daysSinceFirst: null, daysSinceLast: null, medianGapDays: null, recentPurchases: 0, previousPurchases: 0, recentValue: 0, previousValue: 0 };
    return null;
  }
  const first = days[base]!;
  const last = days[base + n - 1]!;
  const sinceFirst = asOfDay - first;
  const sinceLast = asOfDay - last;
  const W = cfg.trendWindowDays;
  let rc = 0;
  let pc = 0;
  let rv = 0;
  let pv = 0;
  for (let i = base + n - 1; i >= base; i--) {
    const ago = asOfDay - days[i]!;
    if (ago >= 2 * W) break;
    const val = values[i]!;
    if (ago < W) {
      rc++;
      if (Number.isFinite(val)) rv += val;
    } else {
      pc++;
      if (Number.isFinite(val)) pv += val;
    }
  }
  const medianGap = n >= 2 ? medianGapOf(days, base, n) : null;
  const [stage, reason] = decide(p, n, asOfDay, sinceFirst, sinceLast, medianGap, rc, pc, rv, pv, cfg);
  return { stage, reason, purchaseDays: n, daysSinceFirst: sinceFirst, daysSinceLast: sinceLast, medianGapDays: medianGap, recentPurchases: rc, previousPurchases: pc, recentValue: rv, previousValue: pv };
}

let scratch = new Float64Array(64);
function medianGapOf(days: Int32Array, base: number, n: number): number {
  if (scratch.length < n - 1) scratch = new Float64Array(2 * n);
  const len = n - 1;
  for (let i = 1; i < n; i++) scratch[i - 1] = days[base + i]! - days[base + i - 1]!;
  // a customer has a few gaps: sorted in place here (TypedArray#sort's call cost was most of this function)
  if (len <= 32) {
    for (let i = 1; i < len; i++) {
      const v = scratch[i]!;
      let j = i - 1;
      while (j >= 0 && scratch[j]! > v) {
        scratch[j + 1] = scratch[j]!;
        j--;
      }
      scratch[j + 1] = v;
    }
  } else scratch.subarray(0, len).sort();
  const m = len >> 1;
  return len % 2 ? scratch[m]! : (scratch[m - 1]! + scratch[m]!) / 2;
}

function decide(p: Span, n: number, asOfDay: number, sinceFirst: number, sinceLast: number, medianGap: number | null, rc: number, pc: number, rv: number, pv: number, cfg: LifecycleConfig): [StageId, StageReason] {
  if (sinceLast > cfg.churnDays) return ['churned', 'inactive_over_churn_days'];
  const { days, lo } = p;
  for (let i = lo + n - 1; i >= lo + 1; i--) {
    if (asOfDay - days[i]! > cfg.wonBackWindowDays) break;
    if (days[i]! - days[i - 1]! > cfg.churnDays) return ['won_back', 'returned_after_churn_gap'];
  }
  if (sinceFirst <= cfg.newDays) return ['new', 'first_purchase_recent'];
  if (n === 1) return sinceLast <= cfg.oneTimeOverdueDays ? ['new', 'single_purchase_not_overdue'] : ['declining', 'single_purchase_overdue'];
  if (p.pAlive != null && p.pAlive < cfg.pAliveThreshold) return ['declining', 'low_p_alive'];
  if (sinceLast > Math.max(cfg.overdueFactor * medianGap!, cfg.minOverdueDays)) return ['declining', 'overdue_vs_rhythm'];
  if (pc >= cfg.minTrendPurchases && rc <= (1 - cfg.declineRatio) * pc) return ['declining', 'falling_frequency'];
  if (rc >= (1 + cfg.growthRatio) * Math.max(pc, 1) && rc > pc) return ['growing', 'rising_frequency'];
  if (p.hasValues && rc >= pc && pc > 0 && rv >= (1 + cfg.growthRatio) * pv && rv > 0) return ['growing', 'rising_value'];
  return ['mature', 'steady'];
}

/** Stage of one customer as of `asOf` (epoch ms); null when the customer did not exist yet. */
export function lifecycleStage(history: CustomerHistory, asOf: number, config: LifecycleConfigInput | LifecycleConfig = {}): StageResult | null {
  const cfg = lifecycleConfig(config);
  return stageOfPacked(packHistories([history], cfg.utcOffsetMinutes), 0, dayIndex(asOf, cfg.utcOffsetMinutes), cfg);
}

/** Stages of many customers as of one date (null where not yet a customer). */
export function assignStages(histories: readonly CustomerHistory[], asOf: number, config: LifecycleConfigInput | LifecycleConfig = {}): (StageResult | null)[] {
  const cfg = lifecycleConfig(config);
  return assignPackedStages(packHistories(histories, cfg.utcOffsetMinutes), asOf, cfg);
}

/**
 * Many customers' prepared histories in flat arrays, no object per customer: customer i's purchase
 * days (ascending, distinct) and summed values are days/values[chunk[i]][start[i], end[i]). The days
 * live in chunks of up to a million entries, filled one after the other, so building them never
 * copies a whole array to grow it (at 46M purchase days one contiguous array, doubled as it grew,
 * took twice its size at the moment of growing). A million customers with a few purchase days each
 * take a few dozen MB.
 */
export interface PackedHistories {
  count: number;
  chunk: Uint32Array;
  start: Int32Array;
  end: Int32Array;
  days: Int32Array[];
  values: Float64Array[];
  /** NaN: no registration date. */
  registeredDay: Float64Array;
  /** NaN: no P(alive). */
  pAlive: Float64Array;
  hasValues: Uint8Array;
}

const CHUNK = 1 << 20;

/**
 * Builds PackedHistories one customer at a time: `customer(...)`, then its purchases with `day`
 * in ascending time order (times on one day are merged, their amounts summed), then the next.
 */
export function historyPacker(utcOffsetMinutes = 0) {
  let chunk = new Uint32Array(1024);
  let start = new Int32Array(1024);
  let end = new Int32Array(1024);
  let registeredDay = new Float64Array(1024);
  let pAlive = new Float64Array(1024);
  let hasValues = new Uint8Array(1024);
  const daysChunks: Int32Array[] = [];
  const valuesChunks: Float64Array[] = [];
  // the chunk being filled (small at first: a few customers need no megabyte)
  let days = new Int32Array(4096);
  let values = new Float64Array(4096);
  let count = 0;
  let len = 0;
  const grow = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, need: number): T => {
    if (need <= a.length) return a;
    const b = new (a.constructor as { new (n: number): T })(Math.max(need, a.length * 2));
    b.set(a);
    return b;
  };
  /** A new chunk to fill; the current customer's days so far move to it, so a customer never spans two chunks. */
  const nextChunk = () => {
    const c = count - 1;
    const from = start[c]!;
    const mine = len - from;
    const size = Math.max(Math.min(CHUNK, days.length * 2), 2 * mine + 1);
    const d = new Int32Array(size);
    const v = new Float64Array(size);
    d.set(days.subarray(from, len));
    v.set(values.subarray(from, len));
    daysChunks.push(days.subarray(0, from));
    valuesChunks.push(values.subarray(0, from));
    days = d;
    values = v;
    len = mine;
    chunk[c] = daysChunks.length;
    start[c] = 0;
    end[c] = len;
  };
  return {
    customer(registeredAt: number | null, withValues: boolean, p: number | null = null): void {
      chunk = grow(chunk, count + 1);
      start = grow(start, count + 1);
      end = grow(end, count + 1);
      registeredDay = grow(registeredDay, count + 1);
      pAlive = grow(pAlive, count + 1);
      hasValues = grow(hasValues, count + 1);
      registeredDay[count] = registeredAt != null && Number.isFinite(registeredAt) ? dayIndex(registeredAt, utcOffsetMinutes) : NaN;
      pAlive[count] = p != null && Number.isFinite(p) ? p : NaN;
      hasValues[count] = withValues ? 1 : 0;
      chunk[count] = daysChunks.length;
      start[count] = len;
      end[count] = len;
      count++;
    },
    /** A purchase of the current customer, no earlier than its last one. */
    day(time: number, amount: number): void {
      const c = count - 1;
      const day = dayIndex(time, utcOffsetMinutes);
      const amt = hasValues[c] ? (Number.isFinite(amount) ? amount : 0) : NaN;
      if (len > start[c]! && days[len - 1] === day) {
        values[len - 1] = values[len - 1]! + amt;
        return;
      }
      if (len === days.length) nextChunk();
      days[len] = day;
      values[len++] = amt;
      end[c] = len;
    },
    done(): PackedHistories {
      daysChunks.push(days.subarray(0, len));
      valuesChunks.push(values.subarray(0, len));
      return { count, chunk: chunk.subarray(0, count), start: start.subarray(0, count), end: end.subarray(0, count), days: daysChunks, values: valuesChunks, registeredDay: registeredDay.subarray(0, count), pAlive: pAlive.subarray(0, count), hasValues: hasValues.subarray(0, count) };
    },
  };
}

/** CustomerHistory objects (purchases in any order) packed. */
export function packHistories(histories: readonly CustomerHistory[], utcOffsetMinutes = 0): PackedHistories {
  const pack = historyPacker(utcOffsetMinutes);
  for (const h of histories) {
    const n = h.purchaseTimes.length;
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(h.purchaseTimes[i]));
    order.sort((a, b) => h.purchaseTimes[a]! - h.purchaseTimes[b]!);
    const withValues = !!h.amounts && h.amounts.length === n;
    pack.customer(h.registeredAt ?? null, withValues, h.pAlive ?? null);
    for (const i of order) pack.day(h.purchaseTimes[i]!, withValues ? Number(h.amounts![i]) : NaN);
  }
  return pack.done();
}

/** Stage of customer i of packed histories as of a day index; `usePAlive` false ignores P(alive) (the trend has none for past dates). */
export function stageOfPacked(h: PackedHistories, i: number, asOfDay: number, cfg: LifecycleConfig, usePAlive = true): StageResult | null {
  const reg = h.registeredDay[i]!;
  const pa = h.pAlive[i]!;
  const c = h.chunk[i]!;
  return stageOfSpan({ days: h.days[c]!, values: h.values[c]!, lo: h.start[i]!, hi: h.end[i]!, registeredDay: Number.isNaN(reg) ? null : reg, hasValues: h.hasValues[i] === 1, pAlive: usePAlive && !Number.isNaN(pa) ? pa : null }, asOfDay, cfg);
}

/** Stages of every packed customer as of one date (null where not yet a customer). */
export function assignPackedStages(h: PackedHistories, asOf: number, cfg: LifecycleConfig): (StageResult | null)[] {
  const day = dayIndex(asOf, cfg.utcOffsetMinutes);
  const out = new Array<StageResult | null>(h.count);
  for (let i = 0; i < h.count; i++) out[i] = stageOfPacked(h, i, day, cfg);
  return out;
}

/** Counts per stage (all seven ids present). */
export function countStages(stages: readonly (StageId | null | undefined)[]): Record<StageId, number> {
  const c = Object.fromEntries(STAGE_IDS.map((s) => [s, 0])) as Record<StageId, number>;
  for (const s of stages) if (s) c[s]++;
  return c;
}

/**
 * Month ends (UTC, shifted by the offset) from the month of `from` to the month of `to`, inclusive:
 * the last millisecond of each month as seen in that offset.
 */
export function monthEnds(from: number, to: number, utcOffsetMinutes = 0): number[] {
  const off = utcOffsetMinutes * 60_000;
  const a = new Date(from + off);
  const b = new Date(to + off);
  const out: number[] = [];
  let y = a.getUTCFullYear();
  let m = a.getUTCMonth();
  while (y < b.getUTCFullYear() || (y === b.getUTCFullYear() && m <= b.getUTCMonth())) {
    out.push(Date.UTC(y, m + 1, 1) - 1 - off);
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

export interface StageByMonth {
  /** Month labels 'YYYY-MM'. */
  months: string[];
  /** Last moment of each month (epoch ms). */
  monthEnds: number[];
  /** counts[stage][monthIndex]. */
  counts: Record<StageId, number[]>;
  /** Customers who existed (had a stage) at each month end. */
  totals: number[];
}

/** Stage counts at each month end between `from` and `to` (histories are prepared once). */
export function stageByMonth(histories: readonly CustomerHistory[], from: number, to: number, config: LifecycleConfigInput | LifecycleConfig = {}): StageByMonth {
  const cfg = lifecycleConfig(config);
  return packedStageByMonth(packHistories(histories, cfg.utcOffsetMinutes), from, to, cfg);
}

/** The same over packed histories: each month end's stages are counted, none is kept. */
export function packedStageByMonth(h: PackedHistories, from: number, to: number, cfg: LifecycleConfig): StageByMonth {
  const ends = monthEnds(from, to, cfg.utcOffsetMinutes);
  const counts = Object.fromEntries(STAGE_IDS.map((s) => [s, new Array<number>(ends.length).fill(0)])) as Record<StageId, number[]>;
  const totals = new Array<number>(ends.length).fill(0);
  ends.forEach((end, k) => {
    const day = dayIndex(end, cfg.utcOffsetMinutes);
    for (let i = 0; i < h.count; i++) {
      const r = stageOfPacked(h, i, day, cfg, false);
      if (!r) continue;
      counts[r.stage][k]!++;
      totals[k]!++;
    }
  });
  const months = ends.map((e) => new Date(e + cfg.utcOffsetMinutes * 60_000).toISOString().slice(0, 7));
  return { months, monthEnds: ends, counts, totals };
}
