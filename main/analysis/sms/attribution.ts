/**
 * Conversion attribution for SMS sends: an order converts a send when the same customer key
 * (normalised phone) orders within the window after the send (default 7 days). When several
 * sends precede an order inside the window, the latest one gets it (last touch). Each order
 * counts once; a send can collect several orders. O((S + O) log) after sorting by time.
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

export function attribute(sends: Send[], orders: Order[], windowMs = 7 * 86_400_000): { converted: Uint8Array<ArrayBuffer>; revenue: Float64Array<ArrayBuffer>; orders: Int32Array<ArrayBuffer> } {
  const converted = new Uint8Array(sends.length);
  const revenue = new Float64Array(sends.length);
  const count = new Int32Array(sends.length);
  const byKey = new Map<string, number[]>();
  sends.forEach((s, i) => (byKey.get(s.key) ?? byKey.set(s.key, []).get(s.key)!).push(i));
  for (const idx of byKey.values()) idx.sort((a, b) => sends[a]!.time - sends[b]!.time);
  for (const o of orders) {
    const idx = byKey.get(o.key);
    if (!idx) continue;
    // Latest send at or before the order.
    let lo = 0;
    let hi = idx.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sends[idx[mid]!]!.time <= o.time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) continue;
    const s = idx[found]!;
    if (o.time - sends[s]!.time > windowMs) continue;
    converted[s] = 1;
    revenue[s]! += o.amount;
    count[s]!++;
  }
  return { converted, revenue, orders: count };
}
