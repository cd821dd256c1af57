/**
 * The next campaign's plan from uplift scores: customers ranked by expected net gain (value of
 * the incremental conversion minus the send's cost and the unsubscribe risk it adds), the
 * variant each should get, a budget (money) or a list size, and a random control share held out
 * of the list so the result can be measured. Expected result: incremental conversions and
 * unsubscribes with a normal-approximation interval (each customer a Bernoulli difference).
 */
import { createRng, shuffle } from '../../kernel/random';
import { netGains, type Economics, type UpliftScores } from './learners';

export interface PlanOptions {
  /** Spend at most this much on sends (budget / cost per send customers). */
  budget?: number;
  /** Or at most this many customers. */
  size?: number;
  /** Share of the chosen customers held out as a control group (not sent), 0..0.5. */
  controlShare: number;
  seed: number;
}

export interface PlanRow {
  index: number;
  variant: number;
  gain: number;
  upliftConvert: number;
  upliftUnsubscribe: number;
  control: boolean;
}

export interface Plan {
  rows: PlanRow[];
  /** Customers to send (control excluded) and held out. */
  send: number;
  control: number;
  expected: { incrementalConversions: number; interval: [number, number]; incrementalUnsubscribes: number; cost: number; netValue: number };
  /** Customers with a positive expected gain (the natural list size). */
  positive: number;
}

export function planCampaign(s: UpliftScores, e: Economics, o: PlanOptions): Plan {
  const { gain, best } = netGains(s, e);
  const n = gain.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => gain[b]! - gain[a]! || a - b);
  const positive = order.filter((i) => gain[i]! > 0).length;
  // list size: never a customer the model expects to lose on; then the budget or size caps it
  let size = positive;
  if (o.size !== undefined) size = Math.min(size, o.size);
  if (o.budget !== undefined && e.costPerSend > 0) size = Math.min(size, Math.floor(o.budget / e.costPerSend / (1 - o.controlShare)));
  const chosen = order.slice(0, Math.max(0, size));
  const rng = createRng(o.seed);
  const held = new Set(shuffle(rng, chosen.slice()).slice(0, Math.round(chosen.length * o.controlShare)));
  let inc = 0, varInc = 0, unsub = 0, sent = 0;
  const rows = chosen.map((i) => {
    const v = best[i]!;
    const u = s.upliftConvert[v]![i]!;
    const pt = s.pConvert[v + 1]![i]!;
    const pc = s.pConvert[0]![i]!;
    const control = held.has(i);
    if (!control) {
      sent++;
      inc += u;
      unsub += s.upliftUnsubscribe[v]![i]!;
      varInc += pt * (1 - pt) + pc * (1 - pc);
    }
    return { index: i, variant: v, gain: gain[i]!, upliftConvert: u, upliftUnsubscribe: s.upliftUnsubscribe[v]![i]!, control };
  });
  const half = 1.96 * Math.sqrt(varInc);
  const cost = sent * e.costPerSend;
  return {
    rows,
    send: sent,
    control: held.size,
    expected: { incrementalConversions: inc, interval: [inc - half, inc + half], incrementalUnsubscribes: unsub, cost, netValue: inc * e.conversionValue - unsub * e.unsubscribeCost - cost },
    positive,
  };
}
