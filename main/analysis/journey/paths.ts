/**
 * Customer journeys: per-customer time-ordered events → the paths of touches before each purchase.
 *
 * Rules:
 * - Events are sorted by time per customer; at equal times touches come before purchases (a click
 *   logged in the same second as the order led to it).
 * - A purchase closes a path: the path is the touches since the previous purchase that lie within
 *   `lookbackDays` (default 30) before it; older touches are dropped (they are neither a converting
 *   nor a non-converting path). A purchase without any touch in the window is a converting path
 *   with no steps ("direct").
 * - Touches after a customer's last purchase form one non-converting path (its steps within
 *   `lookbackDays` before its last touch).
 * - `collapseRepeats` merges consecutive touches of the same step name (channel, or campaign with
 *   `by: 'campaign'`) into one step, keeping the first and last time of the run.
 * Paths are the input of the path table, the Sankey, the step timings and attribution.
 */

export interface JourneyEvent {
  time: number;
  channel: string;
  campaign?: string | null;
  type: 'touch' | 'purchase';
  /** Purchase value (ignored on touches). */
  value?: number | null;
}

export interface PathStep {
  channel: string;
  campaign: string | null;
  /** First and last touch time of the step (equal unless repeats were collapsed). */
  firstTime: number;
  lastTime: number;
  /** Touches merged in this step (1 unless repeats were collapsed). */
  touches: number;
}

export interface JourneyPath {
  customer: string;
  steps: PathStep[];
  converted: boolean;
  /** Purchase value (0 for non-converting paths or a purchase without value). */
  value: number;
  /** Purchase time (converting) or last touch time (non-converting). */
  endTime: number;
}

export interface PathOptions {
  lookbackDays?: number;
  collapseRepeats?: boolean;
  /** What names a step for collapsing: the channel (default) or the campaign (channel when none). */
  by?: 'channel' | 'campaign';
}

const DAY = 86_400_000;

export function stepName(s: PathStep, by: 'channel' | 'campaign' = 'channel'): string {
  return by === 'campaign' ? (s.campaign ?? s.channel) : s.channel;
}

type EventsByCustomer = ReadonlyMap<string, readonly JourneyEvent[]> | Readonly<Record<string, readonly JourneyEvent[]>>;

function toSteps(touches: JourneyEvent[], collapse: boolean, by: 'channel' | 'campaign'): PathStep[] {
  const steps: PathStep[] = [];
  for (const t of touches) {
    const s: PathStep = { channel: t.channel, campaign: t.campaign ?? null, firstTime: t.time, lastTime: t.time, touches: 1 };
    const prev = steps[steps.length - 1];
    if (collapse && prev && stepName(prev, by) === stepName(s, by)) {
      prev.lastTime = t.time;
      prev.touches++;
    } else steps.push(s);
  }
  return steps;
}

/** Paths of all customers (in customer order, then time order). */
export function extractPaths(events: EventsByCustomer, options: PathOptions = {}): JourneyPath[] {
  const lookback = (options.lookbackDays ?? 30) * DAY;
  if (!(lookback >= 0)) throw new Error('lookbackDays must be ≥ 0');
  const collapse = options.collapseRepeats ?? false;
  const by = options.by ?? 'channel';
  const out: JourneyPath[] = [];
  const it: Iterable<[string, readonly JourneyEvent[]]> = events instanceof Map ? events.entries() : Object.entries(events as Record<string, readonly JourneyEvent[]>);
  for (const [customer, evs] of it) {
    const sorted = evs
      .filter((e) => Number.isFinite(e.time))
      .slice()
      .sort((a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'touch' ? -1 : 1));
    let pending: JourneyEvent[] = [];
    for (const e of sorted) {
      if (e.type === 'touch') {
        pending.push(e);
        continue;
      }
      const inWindow = pending.filter((t) => e.time - t.time <= lookback);
      const v = Number(e.value);
      out.push({ customer, steps: toSteps(inWindow, collapse, by), converted: true, value: Number.isFinite(v) ? v : 0, endTime: e.time });
      pending = [];
    }
    if (pending.length) {
      const last = pending[pending.length - 1]!.time;
      out.push({ customer, steps: toSteps(pending.filter((t) => last - t.time <= lookback), collapse, by), converted: false, value: 0, endTime: last });
    }
  }
  return out;
}

/** Groups a flat event list (with a customer field) by customer, preserving input order. */
export function groupEvents<E extends JourneyEvent & { customer: string }>(events: readonly E[]): Map<string, E[]> {
  const m = new Map<string, E[]>();
  for (const e of events) (m.get(e.customer) ?? m.set(e.customer, []).get(e.customer)!).push(e);
  return m;
}

export interface PathStat {
  /** Step names joined by ' > ' ('(direct)' for a purchase with no touch). */
  key: string;
  steps: string[];
  paths: number;
  conversions: number;
  conversionRate: number;
  value: number;
}

export const DIRECT_KEY = '(direct)';

/** Most common paths (by number of paths, then conversions), with conversion rates and value. */
export function commonPaths(paths: readonly JourneyPath[], options: { top?: number; by?: 'channel' | 'campaign' } = {}): PathStat[] {
  const by = options.by ?? 'channel';
  const m = new Map<string, PathStat>();
  for (const p of paths) {
    const steps = p.steps.map((s) => stepName(s, by));
    const key = steps.length ? steps.join(' > ') : DIRECT_KEY;
    let s = m.get(key);
    if (!s) m.set(key, (s = { key, steps, paths: 0, conversions: 0, conversionRate: 0, value: 0 }));
    s.paths++;
    if (p.converted) {
      s.conversions++;
      s.value += p.value;
    }
  }
  const all = [...m.values()];
  for (const s of all) s.conversionRate = s.conversions / s.paths;
  all.sort((a, b) => b.paths - a.paths || b.conversions - a.conversions || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return options.top != null ? all.slice(0, options.top) : all;
}

export interface JourneySankey {
  nodes: { name: string; label: string; step: number }[];
  links: { source: string; target: string; value: number }[];
}

export const OUTCOME_LABELS = { converted: { zh: '购买', en: 'Purchase' }, lost: { zh: '未购买', en: 'No purchase' } };

/**
 * Sankey of steps: node names are `${stepIndex}. ${name}` (1-based) so the same channel at two step
 * indexes are distinct nodes and the graph has no cycles; each path then flows into an outcome node
 * (`lang` picks its label). Paths longer than `maxSteps` (default 5) are cut after that many steps.
 * Paths with no steps are left out.
 */
export function journeySankey(paths: readonly JourneyPath[], options: { maxSteps?: number; by?: 'channel' | 'campaign'; lang?: 'zh' | 'en' } = {}): JourneySankey {
  const maxSteps = options.maxSteps ?? 5;
  const by = options.by ?? 'channel';
  const lang = options.lang ?? 'zh';
  const nodes = new Map<string, { name: string; label: string; step: number }>();
  const links = new Map<string, { source: string; target: string; value: number }>();
  const node = (step: number, label: string) => {
    const name = `${step}. ${label}`;
    if (!nodes.has(name)) nodes.set(name, { name, label, step });
    return name;
  };
  const link = (a: string, b: string) => {
    const k = `${a}\u0001${b}`;
    const l = links.get(k);
    if (l) l.value++;
    else links.set(k, { source: a, target: b, value: 1 });
  };
  for (const p of paths) {
    if (!p.steps.length) continue;
    const names = p.steps.slice(0, maxSteps).map((s, i) => node(i + 1, stepName(s, by)));
    for (let i = 1; i < names.length; i++) link(names[i - 1]!, names[i]!);
    const outcome = p.converted ? OUTCOME_LABELS.converted[lang] : OUTCOME_LABELS.lost[lang];
    const oname = outcome;
    if (!nodes.has(oname)) nodes.set(oname, { name: oname, label: outcome, step: maxSteps + 1 });
    link(names[names.length - 1]!, oname);
  }
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

export interface GapStats {
  n: number;
  medianDays: number;
  p90Days: number;
}

function gapStats(xs: number[]): GapStats {
  if (!xs.length) return { n: 0, medianDays: NaN, p90Days: NaN };
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
  };
  return { n: s.length, medianDays: q(0.5), p90Days: q(0.9) };
}

/**
 * Time between steps, in days (median and p90, type-7 quantiles): per step index (step i → i+1,
 * measured from the last touch of step i to the first touch of step i+1), over all steps, from the
 * last touch to the purchase and from the first touch to the purchase (converting paths only).
 */
export function stepTimings(paths: readonly JourneyPath[]): {
  byStep: ({ from: number; to: number } & GapStats)[];
  betweenSteps: GapStats;
  lastTouchToPurchase: GapStats;
  firstTouchToPurchase: GapStats;
} {
  const byStep: number[][] = [];
  const all: number[] = [];
  const last: number[] = [];
  const first: number[] = [];
  for (const p of paths) {
    for (let i = 1; i < p.steps.length; i++) {
      const g = (p.steps[i]!.firstTime - p.steps[i - 1]!.lastTime) / DAY;
      (byStep[i - 1] ??= []).push(g);
      all.push(g);
    }
    if (p.converted && p.steps.length) {
      last.push((p.endTime - p.steps[p.steps.length - 1]!.lastTime) / DAY);
      first.push((p.endTime - p.steps[0]!.firstTime) / DAY);
    }
  }
  return {
    byStep: byStep.map((g, i) => ({ from: i + 1, to: i + 2, ...gapStats(g ?? []) })),
    betweenSteps: gapStats(all),
    lastTouchToPurchase: gapStats(last),
    firstTouchToPurchase: gapStats(first),
  };
}
