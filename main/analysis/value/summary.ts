/**
 * Transactions → the per-customer summary the "buy till you die" models need.
 *
 * Semantics follow lifetimes' `summary_data_from_transaction_data` / `calibration_and_holdout_data`
 * with freq='D' (and freq_multiplier=7 for weeks):
 * - Every transaction time (epoch ms) is mapped to its calendar DAY (UTC, shifted by
 *   `utcOffsetMinutes` to bucket by local day). Transactions of one customer on one day are one
 *   purchase; their amounts are summed. Days, not orders, are the purchase occasions.
 * - Only transactions on or before the observation end are read; the calibration period is
 *   everything up to and INCLUDING the calibration end day. Customers whose first purchase is after
 *   the calibration end are not in the cohort (they are counted in `excludedLate`).
 * - x (frequency) = number of distinct purchase days in calibration − 1 (repeat purchases);
 *   t_x (recency) = last purchase day − first purchase day; T (age) = calibration end day − first
 *   purchase day; both in `unit` (days, or days / 7 for weeks — fractional weeks, exactly like
 *   lifetimes' CDNOW summary where T = 38.86 for a customer who joined on 1997-01-01).
 * - zbar (monetary) = mean of the daily amounts of the REPEAT purchase days (first day excluded);
 *   0 when x = 0.
 * - Hold-out: purchase days in (calibration end, observation end] per cohort customer (each day is
 *   one repeat purchase, as in lifetimes' frequency_holdout), their summed amount, and the hold-out
 *   duration (observation end day − calibration end day) in `unit`.
 * Negative amounts (returns) are not treated specially: filter cancellations before calling.
 */

export type TimeUnit = 'days' | 'weeks';

export interface SummaryOptions {
  /** Last moment of the calibration period (epoch ms; the whole calendar day is included). */
  calibrationEnd: number;
  /** End of observation (epoch ms, day included); defaults to the calibration end (no hold-out). */
  observationEnd?: number;
  unit?: TimeUnit;
  /** Minutes to add to UTC before taking the calendar day (e.g. 480 for China). Default 0. */
  utcOffsetMinutes?: number;
}

export interface CustomerSummary {
  /** Customer ids of the cohort, in order of first appearance in the input. */
  customers: (string | number)[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean amount of the repeat purchase days (0 when x = 0 or no amounts were given). */
  zbar: Float64Array;
  /** First purchase day of each customer (epoch ms of 00:00 of that day, in the offset used). */
  firstPurchase: Float64Array;
  /** Total amount spent in calibration (including the first day). */
  calibrationAmount: Float64Array;
  holdoutPurchases: Float64Array;
  holdoutAmount: Float64Array;
  /** Length of the hold-out period in `unit`. */
  holdoutDuration: number;
  calibrationEnd: number;
  observationEnd: number;
  unit: TimeUnit;
  /** Customers with purchases only after the calibration end (not in the cohort). */
  excludedLate: number;
  /** Transactions after the observation end (ignored). */
  ignoredAfterObservation: number;
}

const DAY_MS = 86_400_000;

export function unitDays(unit: TimeUnit): number {
  return unit === 'weeks' ? 7 : 1;
}

/** Calendar day number (days since 1970-01-01) of an epoch-ms time, with a UTC offset. */
export function dayNumber(timeMs: number, utcOffsetMinutes = 0): number {
  return Math.floor((timeMs + utcOffsetMinutes * 60_000) / DAY_MS);
}

function validate(customer: ArrayLike<unknown>, time: ArrayLike<number>, amount: ArrayLike<number> | null | undefined, opts: SummaryOptions): void {
  if (!customer || !time || typeof customer.length !== 'number' || typeof time.length !== 'number') throw new Error('summarizeTransactions: customer and time arrays are required');
  if (customer.length !== time.length) throw new Error(`summarizeTransactions: customer (${customer.length}) and time (${time.length}) must have the same length`);
  if (amount && amount.length !== time.length) throw new Error(`summarizeTransactions: amount (${amount.length}) must have the same length as time (${time.length})`);
  if (!opts || !Number.isFinite(opts.calibrationEnd)) throw new Error('summarizeTransactions: calibrationEnd (epoch ms) is required');
  if (opts.observationEnd !== undefined && !(Number.isFinite(opts.observationEnd) && opts.observationEnd >= opts.calibrationEnd))
    throw new Error('summarizeTransactions: observationEnd must be a time on or after calibrationEnd');
  if (opts.unit !== undefined && opts.unit !== 'days' && opts.unit !== 'weeks') throw new Error(`summarizeTransactions: unit must be 'days' or 'weeks', got ${String(opts.unit)}`);
  if (opts.utcOffsetMinutes !== undefined && !(Number.isFinite(opts.utcOffsetMinutes) && Math.abs(opts.utcOffsetMinutes) <= 24 * 60))
    throw new Error('summarizeTransactions: utcOffsetMinutes must be a number of minutes within ±1440');
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i]!)) throw new Error(`summarizeTransactions: time at row ${i} is not a finite epoch-ms number`);
    const c = customer[i];
    if (c === null || c === undefined || c === '') throw new Error(`summarizeTransactions: customer at row ${i} is empty`);
    if (amount && !Number.isFinite(amount[i]!)) throw new Error(`summarizeTransactions: amount at row ${i} is not a finite number`);
  }
}

/**
 * Builds the (x, t_x, T, zbar) summary and the hold-out counts. `amount` may be null (then zbar and
 * amounts are 0).
 */
export function summarizeTransactions(
  customer: ArrayLike<string | number>,
  time: ArrayLike<number>,
  amount: ArrayLike<number> | null,
  opts: SummaryOptions,
): CustomerSummary {
  validate(customer, time, amount, opts);
  const unit = opts.unit ?? 'days';
  const off = opts.utcOffsetMinutes ?? 0;
  const calDay = dayNumber(opts.calibrationEnd, off);
  const obsEnd = opts.observationEnd ?? opts.calibrationEnd;
  const obsDay = dayNumber(obsEnd, off);
  // Customer index in order of first appearance.
  const index = new Map<string | number, number>();
  const ids: (string | number)[] = [];
  const n = time.length;
  const cust = new Int32Array(n);
  const day = new Float64Array(n);
  let ignored = 0;
  for (let i = 0; i < n; i++) {
    const id = customer[i]!;
    let k = index.get(id);
    if (k === undefined) {
      k = ids.length;
      index.set(id, k);
      ids.push(id);
    }
    cust[i] = k;
    day[i] = dayNumber(time[i]!, off);
    if (day[i]! > obsDay) ignored++;
  }
  // Sort rows by (customer, day) so each customer's days are contiguous and ascending.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => cust[a]! - cust[b]! || day[a]! - day[b]!);
  const m = ids.length;
  const first = new Float64Array(m).fill(NaN);
  const last = new Float64Array(m);
  const days = new Float64Array(m);
  const repeatSum = new Float64Array(m);
  const calAmount = new Float64Array(m);
  const hoDays = new Float64Array(m);
  const hoAmount = new Float64Array(m);
  let i = 0;
  while (i < n) {
    const r0 = order[i]!;
    const k = cust[r0]!;
    const d = day[r0]!;
    let amt = 0;
    let j = i;
    while (j < n && cust[order[j]!] === k && day[order[j]!] === d) {
      if (amount) amt += amount[order[j]!]!;
      j++;
    }
    i = j;
    if (d > obsDay) continue;
    if (d <= calDay) {
      if (Number.isNaN(first[k]!)) {
        first[k] = d;
      } else {
        repeatSum[k] = repeatSum[k]! + amt;
      }
      last[k] = d;
      days[k] = days[k]! + 1;
      calAmount[k] = calAmount[k]! + amt;
    } else if (!Number.isNaN(first[k]!)) {
      hoDays[k] = hoDays[k]! + 1;
      hoAmount[k] = hoAmount[k]! + amt;
    }
  }
  const keep: number[] = [];
  for (let k = 0; k < m; k++) if (!Number.isNaN(first[k]!)) keep.push(k);
  const c = keep.length;
  const u = unitDays(unit);
  const out: CustomerSummary = {
    customers: keep.map((k) => ids[k]!),
    x: new Float64Array(c),
    tx: new Float64Array(c),
    T: new Float64Array(c),
    zbar: new Float64Array(c),
    firstPurchase: new Float64Array(c),
    calibrationAmount: new Float64Array(c),
    holdoutPurchases: new Float64Array(c),
    holdoutAmount: new Float64Array(c),
    holdoutDuration: (obsDay - calDay) / u,
    calibrationEnd: opts.calibrationEnd,
    observationEnd: obsEnd,
    unit,
    excludedLate: m - c,
    ignoredAfterObservation: ignored,
  };
  for (let q = 0; q < c; q++) {
    const k = keep[q]!;
    const x = days[k]! - 1;
    out.x[q] = x;
    out.tx[q] = (last[k]! - first[k]!) / u;
    out.T[q] = (calDay - first[k]!) / u;
    out.zbar[q] = x > 0 ? repeatSum[k]! / x : 0;
    out.firstPurchase[q] = first[k]! * DAY_MS - off * 60_000;
    out.calibrationAmount[q] = calAmount[k]!;
    out.holdoutPurchases[q] = hoDays[k]!;
    out.holdoutAmount[q] = hoAmount[k]!;
  }
  return out;
}

export interface RepeatCurve {
  /** Period end offsets from `start`, in `unit` (1·periodLength, 2·periodLength, …). */
  periodEnds: Float64Array;
  /** Repeat purchase days of the cohort falling in each period. */
  repeats: Float64Array;
  /** Birth (first purchase day) of each cohort customer, offset from `start` in `unit`. */
  births: Float64Array;
}

/**
 * Actual repeat purchases per period for a tracking chart (calibration + hold-out), with the same
 * day aggregation and cohort (first purchase on or before the calibration end). Period k covers
 * days [start + k·len, start + (k+1)·len). Compare with `bgnbdTrackingCurve` fed with `births`.
 */
export function repeatPurchaseCurve(
  customer: ArrayLike<string | number>,
  time: ArrayLike<number>,
  opts: { start: number; calibrationEnd: number; observationEnd: number; unit?: TimeUnit; periodLength?: number; utcOffsetMinutes?: number },
): RepeatCurve {
  validate(customer, time, null, { calibrationEnd: opts.calibrationEnd, observationEnd: opts.observationEnd, unit: opts.unit, utcOffsetMinutes: opts.utcOffsetMinutes });
  if (!Number.isFinite(opts.start) || opts.start > opts.calibrationEnd) throw new Error('repeatPurchaseCurve: start must be a time on or before calibrationEnd');
  const len = opts.periodLength ?? 1;
  if (!(len > 0)) throw new Error('repeatPurchaseCurve: periodLength must be positive');
  const off = opts.utcOffsetMinutes ?? 0;
  const u = unitDays(opts.unit ?? 'days');
  const startDay = dayNumber(opts.start, off);
  const calDay = dayNumber(opts.calibrationEnd, off);
  const obsDay = dayNumber(opts.observationEnd, off);
  const periods = Math.ceil((obsDay + 1 - startDay) / u / len);
  const byCustomer = new Map<string | number, Set<number>>();
  for (let i = 0; i < time.length; i++) {
    const d = dayNumber(time[i]!, off);
    if (d > obsDay || d < startDay) continue;
    let s = byCustomer.get(customer[i]!);
    if (!s) byCustomer.set(customer[i]!, (s = new Set()));
    s.add(d);
  }
  const repeats = new Float64Array(periods);
  const births: number[] = [];
  for (const s of byCustomer.values()) {
    let firstDay = Infinity;
    for (const d of s) if (d < firstDay) firstDay = d;
    if (firstDay > calDay) continue;
    births.push((firstDay - startDay) / u);
    for (const d of s) {
      if (d === firstDay) continue;
      const p = Math.floor((d - startDay) / u / len);
      if (p < periods) repeats[p] = repeats[p]! + 1;
    }
  }
  const periodEnds = new Float64Array(periods);
  for (let p = 0; p < periods; p++) periodEnds[p] = (p + 1) * len;
  return { periodEnds, repeats, births: Float64Array.from(births) };
}
