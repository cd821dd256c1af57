/**
 * Attribution of events to SMS sends, by the customer key (the identity layer's customer id).
 *
 * Conversions (`attributeOrders`): an order converts a send when the same customer orders within
 * (send, send + window] after a DELIVERED send; the latest such send gets it (last touch).
 * Cancelled and pending orders never convert; refunded ones are credited the same way but kept
 * apart (count and revenue), never as conversions. Each order credits at most one send; a send
 * counts once as converted however many orders it collects.
 *
 * Touches (`attribute`): a receipt, reply or click belongs to the latest send to that customer at
 * or before it, within the window (any delivery status — a receipt is what decides delivery).
 * O((S + O) log S) after sorting by time.
 */
export interface Send {
  key: string;
  time: number;
}
export interface Order {
  key: string;
  time: number;
  amount: number;
}
export type OrderClass = 'valid' | 'cancelled' | 'refunded' | 'pending';

function sendsByKey(sends: Send[], eligible?: (i: number) => boolean) {
  const byKey = new Map<string, number[]>();
  sends.forEach((s, i) => {
    if (eligible && !eligible(i)) return;
    (byKey.get(s.key) ?? byKey.set(s.key, []).get(s.key)!).push(i);
  });
  for (const idx of byKey.values()) idx.sort((a, b) => sends[a]!.time - sends[b]!.time || a - b);
  return byKey;
}

/** Index (into `sends`) of the latest send in `idx` at (strict: before) time t within the window, or -1. */
function latestSend(sends: Send[], idx: number[], t: number, windowMs: number, strict: boolean): number {
  let lo = 0;
  let hi = idx.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const st = sends[idx[mid]!]!.time;
    if (strict ? st < t : st <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const s = idx[found]!;
  return t - sends[s]!.time > windowMs ? -1 : s;
}

/** Touch attribution (receipts, replies, clicks): latest send at or before the event, within the window. */
export function attribute(sends: Send[], orders: Order[], windowMs = 7 * 86_400_000): { converted: Uint8Array<ArrayBuffer>; revenue: Float64Array<ArrayBuffer>; orders: Int32Array<ArrayBuffer> } {
  const converted = new Uint8Array(sends.length);
  const revenue = new Float64Array(sends.length);
  const count = new Int32Array(sends.length);
  const byKey = sendsByKey(sends);
  for (const o of orders) {
    const idx = byKey.get(o.key);
    if (!idx) continue;
    const s = latestSend(sends, idx, o.time, windowMs, false);
    if (s < 0) continue;
    converted[s] = 1;
    revenue[s]! += o.amount;
    count[s]!++;
  }
  return { converted, revenue, orders: count };
}

export interface Conversions {
  converted: Uint8Array<ArrayBuffer>;
  revenue: Float64Array<ArrayBuffer>;
  orders: Int32Array<ArrayBuffer>;
  /** Refunded orders credited to the send (kept apart from conversions). */
  refunded: Int32Array<ArrayBuffer>;
  refundedRevenue: Float64Array<ArrayBuffer>;
}

/** Conversion attribution by definition (see the module comment). `delivered[i]` marks receipt-confirmed sends. */
export function attributeOrders(sends: Send[], delivered: ArrayLike<number | boolean>, orders: (Order & { cls: OrderClass })[], windowMs = 7 * 86_400_000): Conversions {
  const r: Conversions = {
    converted: new Uint8Array(sends.length),
    revenue: new Float64Array(sends.length),
    orders: new Int32Array(sends.length),
    refunded: new Int32Array(sends.length),
    refundedRevenue: new Float64Array(sends.length),
  };
  const byKey = sendsByKey(sends, (i) => !!delivered[i]);
  for (const o of orders) {
    if (o.cls !== 'valid' && o.cls !== 'refunded') continue;
    const idx = byKey.get(o.key);
    if (!idx) continue;
    const s = latestSend(sends, idx, o.time, windowMs, true);
    if (s < 0) continue;
    if (o.cls === 'refunded') {
      r.refunded[s]!++;
      r.refundedRevenue[s]! += o.amount;
    } else {
      r.converted[s] = 1;
      r.revenue[s]! += o.amount;
      r.orders[s]!++;
    }
  }
  return r;
}
