/**
 * Customer features for uplift models, measured strictly BEFORE the campaign (`asOf`), and the
 * campaign outcome after it. Input is event rows already keyed by the customer model's key (the
 * service reads them through the identity layer; tests pass the generator's events).
 *
 * Features (one row per customer):
 * - recency_days, frequency, monetary (mean order value), log_frequency — RFM;
 * - tenure_days — since registration, else since the first order;
 * - past_sends, reply_rate = replies / past sends (past SMS response), sms_share = replies /
 *   (replies + orders) — the channel mix between answering messages and buying;
 * - complaints (replies that complain, e.g. 别再发/烦/太多) and ignored_sends = sends without a
 *   reply — the unsubscribe risk;
 * - region (categorical; '(missing)' when unknown) and lifecycle stage from recency/frequency
 *   (new / active / lapsing / lost / prospect).
 * Outcome: converted = an order in (start, start + window]; unsubscribed = an unsubscribe reply
 * (the SMS rules) in the same window.
 */
import { detectUnsubscribe, type UnsubscribeRule } from '../sms/unsubscribe';

const DAY = 86_400_000;
const COMPLAINT = /别再发|别发|烦|太多|骚扰|不要再发|spam|stop sending/i;

export interface KeyedOrder {
  key: string;
  time: number;
  amount: number;
}
export interface KeyedTime {
  key: string;
  time: number;
}
export interface KeyedReply extends KeyedTime {
  text: string;
}
export interface KeyedProfile {
  key: string;
  region?: string | null;
  registered?: number | null;
}

export interface HistoryInput {
  /** The customers to describe (e.g. the campaign's send list, or the base for a plan). */
  keys: string[];
  profiles?: KeyedProfile[];
  orders: KeyedOrder[];
  sends: KeyedTime[];
  replies: KeyedReply[];
  /** Features use events strictly before this time (ms). */
  asOf: number;
}

export const NUMERIC_FEATURES = ['recency_days', 'frequency', 'log_frequency', 'monetary', 'tenure_days', 'past_sends', 'reply_rate', 'sms_share', 'complaints', 'ignored_sends'] as const;
export const CATEGORICAL_FEATURES = ['region', 'lifecycle'] as const;

export interface FeatureTable {
  keys: string[];
  columns: Record<string, (number | string)[]>;
  numeric: string[];
  categorical: string[];
}

function lifecycleStage(orders: number, recency: number, tenure: number): string {
  if (orders === 0) return 'prospect';
  if (tenure <= 90) return 'new';
  if (recency <= 120) return 'active';
  if (recency <= 365) return 'lapsing';
  return 'lost';
}

export function buildFeatures(h: HistoryInput): FeatureTable {
  const idx = new Map(h.keys.map((k, i) => [k, i]));
  const n = h.keys.length;
  const first = new Float64Array(n).fill(Infinity);
  const last = new Float64Array(n).fill(-Infinity);
  const freq = new Float64Array(n);
  const money = new Float64Array(n);
  const sends = new Float64Array(n);
  const replies = new Float64Array(n);
  const complaints = new Float64Array(n);
  const region: string[] = new Array(n).fill('(missing)');
  const registered = new Float64Array(n).fill(NaN);
  for (const p of h.profiles ?? []) {
    const i = idx.get(p.key);
    if (i === undefined) continue;
    if (p.region) region[i] = p.region;
    if (p.registered != null && Number.isFinite(p.registered) && !(registered[i]! <= p.registered)) registered[i] = p.registered;
  }
  for (const o of h.orders) {
    const i = idx.get(o.key);
    if (i === undefined || !(o.time < h.asOf)) continue;
    freq[i]!++;
    money[i]! += Number.isFinite(o.amount) ? o.amount : 0;
    if (o.time < first[i]!) first[i] = o.time;
    if (o.time > last[i]!) last[i] = o.time;
  }
  for (const s of h.sends) {
    const i = idx.get(s.key);
    if (i !== undefined && s.time < h.asOf) sends[i]!++;
  }
  for (const r of h.replies) {
    const i = idx.get(r.key);
    if (i === undefined || !(r.time < h.asOf)) continue;
    if (COMPLAINT.test(r.text ?? '')) complaints[i]!++;
    else replies[i]!++;
  }
  const cols: FeatureTable['columns'] = Object.fromEntries([...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES].map((c) => [c, new Array(n)]));
  for (let i = 0; i < n; i++) {
    // A customer with no order: recency is the whole observable past (capped), not missing.
    const recency = freq[i]! > 0 ? (h.asOf - last[i]!) / DAY : 1000;
    const since = Number.isFinite(registered[i]!) ? registered[i]! : first[i]!;
    const tenure = Number.isFinite(since) ? Math.max(0, (h.asOf - since) / DAY) : 0;
    cols.recency_days![i] = Math.min(recency, 1000);
    cols.frequency![i] = freq[i]!;
    cols.log_frequency![i] = Math.log1p(freq[i]!);
    cols.monetary![i] = freq[i]! > 0 ? money[i]! / freq[i]! : 0;
    cols.tenure_days![i] = tenure;
    cols.past_sends![i] = sends[i]!;
    cols.reply_rate![i] = sends[i]! > 0 ? Math.min(1, replies[i]! / sends[i]!) : 0;
    cols.sms_share![i] = replies[i]! + freq[i]! > 0 ? replies[i]! / (replies[i]! + freq[i]!) : 0;
    cols.complaints![i] = complaints[i]!;
    cols.ignored_sends![i] = Math.max(0, sends[i]! - replies[i]! - complaints[i]!);
    cols.region![i] = region[i]!;
    cols.lifecycle![i] = lifecycleStage(freq[i]!, recency, tenure);
  }
  return { keys: h.keys.slice(), columns: cols, numeric: [...NUMERIC_FEATURES], categorical: [...CATEGORICAL_FEATURES] };
}

/** Did each customer convert / unsubscribe in (start, start + windowDays]? */
export function campaignOutcomes(keys: string[], orders: KeyedOrder[], replies: KeyedReply[], start: number, windowDays: number, rules?: UnsubscribeRule[]): { converted: Uint8Array; unsubscribed: Uint8Array } {
  const idx = new Map(keys.map((k, i) => [k, i]));
  const end = start + windowDays * DAY;
  const converted = new Uint8Array(keys.length);
  const unsubscribed = new Uint8Array(keys.length);
  for (const o of orders) {
    const i = idx.get(o.key);
    if (i !== undefined && o.time > start && o.time <= end) converted[i] = 1;
  }
  for (const r of replies) {
    const i = idx.get(r.key);
    if (i !== undefined && r.time > start && r.time <= end && detectUnsubscribe(r.text, rules).matched) unsubscribed[i] = 1;
  }
  return { converted, unsubscribed };
}
