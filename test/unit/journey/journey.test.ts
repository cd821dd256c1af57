/** Journeys: path extraction, path table, Sankey, step timings and attribution checked by hand. */
import { describe, expect, it } from 'vitest';
import { commonPaths, extractPaths, groupEvents, journeySankey, stepTimings, type JourneyEvent } from '../../../main/analysis/journey/paths';
import { ATTRIBUTION_MODELS, attribute, pathWeights } from '../../../main/analysis/journey/attribution';
import { createRng, randInt } from '../../../main/kernel/random';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const touch = (d: number, channel: string, campaign?: string): JourneyEvent => ({ time: T0 + d * DAY, channel, campaign, type: 'touch' });
const buy = (d: number, value: number): JourneyEvent => ({ time: T0 + d * DAY, channel: 'shop', type: 'purchase', value });

// A: sms → email → sms, buys 100 on day 24.  B: wechat, buys 60 next day.
// C: email, email (two campaigns), buys 40 on day 5.  D: one sms, never buys.
// E: buys 30 with no touch.  F: sms 40 days before buying 50 (outside the 30-day lookback).
const EVENTS: Record<string, JourneyEvent[]> = {
  A: [buy(24, 100), touch(20, 'sms', 'spring'), touch(0, 'sms', 'launch'), touch(10, 'email', 'news')],
  B: [touch(0, 'wechat', 'c2'), buy(1, 60)],
  C: [touch(0, 'email', 'c3a'), touch(2, 'email', 'c3b'), buy(5, 40)],
  D: [touch(0, 'sms', 'launch')],
  E: [buy(3, 30)],
  F: [touch(0, 'sms', 'launch'), buy(40, 50)],
};

describe('path extraction', () => {
  it('cuts paths at purchases, applies the lookback and keeps trailing touches as non-converting', () => {
    const p = extractPaths(EVENTS);
    const by = (c: string) => p.filter((x) => x.customer === c);
    expect(by('A')[0]!.steps.map((s) => s.channel)).toEqual(['sms', 'email', 'sms']);
    expect(by('A')[0]).toMatchObject({ converted: true, value: 100, endTime: T0 + 24 * DAY });
    expect(by('D')[0]).toMatchObject({ converted: false, value: 0 });
    expect(by('E')[0]!.steps).toHaveLength(0);
    expect(by('F')[0]!.steps).toHaveLength(0); // 40 days > 30-day lookback
    expect(extractPaths({ F: EVENTS.F! }, { lookbackDays: 50 })[0]!.steps).toHaveLength(1);
    expect(p).toHaveLength(6);
  });

  it('a touch at the same instant as the purchase belongs to its path; later touches start a new one', () => {
    const p = extractPaths({ X: [buy(5, 10), touch(5, 'push'), touch(6, 'sms'), buy(9, 20), touch(12, 'email')] });
    expect(p.map((x) => [x.steps.map((s) => s.channel).join('>'), x.converted])).toEqual([
      ['push', true],
      ['sms', true],
      ['email', false],
    ]);
  });

  it('collapses consecutive repeats on request, keeping first and last times', () => {
    const c = extractPaths({ C: EVENTS.C! }, { collapseRepeats: true })[0]!;
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0]).toMatchObject({ channel: 'email', touches: 2, firstTime: T0, lastTime: T0 + 2 * DAY });
    // By campaign, the two emails are different steps.
    expect(extractPaths({ C: EVENTS.C! }, { collapseRepeats: true, by: 'campaign' })[0]!.steps).toHaveLength(2);
  });

  it('groups a flat event list by customer', () => {
    const g = groupEvents([{ customer: 'a', ...touch(0, 'sms') }, { customer: 'b', ...buy(1, 5) }, { customer: 'a', ...buy(2, 7) }]);
    expect([...g.keys()]).toEqual(['a', 'b']);
    expect(extractPaths(g).map((p) => p.customer)).toEqual(['a', 'b']);
  });
});

describe('path table, Sankey and timings', () => {
  const paths = extractPaths({ ...EVENTS, G: [touch(0, 'sms'), buy(2, 10)] });

  it('counts paths with conversions and conversion rates', () => {
    const t = commonPaths(paths);
    const row = (k: string) => t.find((r) => r.key === k)!;
    expect(row('(direct)')).toMatchObject({ paths: 2, conversions: 2, conversionRate: 1, value: 80 });
    expect(row('sms')).toMatchObject({ paths: 2, conversions: 1, conversionRate: 0.5, value: 10 });
    expect(row('sms > email > sms')).toMatchObject({ paths: 1, conversions: 1, value: 100 });
    expect(row('email > email').steps).toEqual(['email', 'email']);
    expect(t[0]!.paths).toBe(2);
    expect(t.reduce((a, r) => a + r.paths, 0)).toBe(paths.length);
    expect(commonPaths(paths, { top: 2 })).toHaveLength(2);
    expect(commonPaths(extractPaths(EVENTS, { collapseRepeats: true })).some((r) => r.key === 'email')).toBe(true);
  });

  it('Sankey nodes are unique per step index and every path ends in an outcome', () => {
    const s = journeySankey(paths, { lang: 'en' });
    const names = s.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['1. sms', '2. email', '3. sms', '1. wechat', '1. email', '2. email', 'Purchase', 'No purchase']));
    const link = (a: string, b: string) => s.links.find((l) => l.source === a && l.target === b)?.value;
    expect(link('1. sms', '2. email')).toBe(1);
    expect(link('3. sms', 'Purchase')).toBe(1);
    expect(link('1. sms', 'No purchase')).toBe(1); // D
    expect(link('1. sms', 'Purchase')).toBe(1); // G
    // Flow into the outcomes = paths with at least one step.
    const outcomes = s.links.filter((l) => l.target === 'Purchase' || l.target === 'No purchase').reduce((a, l) => a + l.value, 0);
    expect(outcomes).toBe(paths.filter((p) => p.steps.length).length);
    expect(journeySankey(paths, { maxSteps: 1 }).nodes.every((n) => n.step === 1 || n.step === 2)).toBe(true);
  });

  it('time between steps: median and p90 by step and to the purchase', () => {
    const t = stepTimings(paths);
    // Step 1 → 2: A 10 days, C 2 days. Step 2 → 3: A 10 days.
    expect(t.byStep[0]).toMatchObject({ from: 1, to: 2, n: 2, medianDays: 6 });
    expect(t.byStep[0]!.p90Days).toBeCloseTo(9.2, 12);
    expect(t.byStep[1]).toMatchObject({ n: 1, medianDays: 10 });
    // Last touch → purchase: A 4, B 1, C 3, G 2 days.
    expect(t.lastTouchToPurchase).toMatchObject({ n: 4, medianDays: 2.5 });
    expect(t.lastTouchToPurchase.p90Days).toBeCloseTo(3.7, 12);
    expect(t.firstTouchToPurchase.medianDays).toBe(3.5); // 24, 1, 5, 2
  });
});

describe('attribution', () => {
  const paths = extractPaths(EVENTS);
  const r = attribute(paths);
  const ch = (m: (typeof ATTRIBUTION_MODELS)[number], c: string) => r.models[m].byChannel[c]?.value ?? 0;

  it('reports converted, attributed and unattributed value', () => {
    expect(r).toMatchObject({ conversions: 5, totalValue: 280, attributedConversions: 3, attributedValue: 200, unattributedConversions: 2, unattributedValue: 80 });
  });

  it('matches hand-computed credits per channel for each model', () => {
    // A = 100 over sms(day 0), email(10), sms(20), bought day 24; B = 60 wechat; C = 40 email, email.
    expect([ch('first_touch', 'sms'), ch('first_touch', 'email'), ch('first_touch', 'wechat')]).toEqual([100, 40, 60]);
    expect([ch('last_touch', 'sms'), ch('last_touch', 'email'), ch('last_touch', 'wechat')]).toEqual([100, 40, 60]);
    expect(ch('linear', 'sms')).toBeCloseTo(200 / 3, 9);
    expect(ch('linear', 'email')).toBeCloseTo(100 / 3 + 40, 9);
    // Time decay, half-life 7 days: weights 2^(−24/7), 2^(−14/7), 2^(−4/7) → 9.1428, 24.6105, 66.2467.
    expect(ch('time_decay', 'sms')).toBeCloseTo(75.3895, 3);
    expect(ch('time_decay', 'email')).toBeCloseTo(24.6105 + 40, 3);
    // Position based 40/20/40 over three steps: sms 40 + 40, email 20.
    expect(ch('position_based', 'sms')).toBeCloseTo(80, 9);
    expect(ch('position_based', 'email')).toBeCloseTo(60, 9);
    expect(ch('position_based', 'wechat')).toBeCloseTo(60, 9);
  });

  it('per campaign: C’s two emails split 50/50 by position, 18.026/21.974 by time decay', () => {
    const camp = (m: (typeof ATTRIBUTION_MODELS)[number], c: string) => r.models[m].byCampaign[c]?.value ?? 0;
    expect(camp('position_based', 'c3a')).toBeCloseTo(20, 9);
    expect(camp('position_based', 'c3b')).toBeCloseTo(20, 9);
    expect(camp('time_decay', 'c3a')).toBeCloseTo(18.026, 3);
    expect(camp('time_decay', 'c3b')).toBeCloseTo(21.974, 3);
    expect(camp('first_touch', 'launch')).toBe(100);
    expect(camp('last_touch', 'spring')).toBe(100);
  });

  it('every model’s credits sum to the attributed value and conversions', () => {
    for (const m of ATTRIBUTION_MODELS) {
      for (const table of [r.models[m].byChannel, r.models[m].byCampaign]) {
        const v = Object.values(table).reduce((a, c) => a + c.value, 0);
        const n = Object.values(table).reduce((a, c) => a + c.conversions, 0);
        expect(v).toBeCloseTo(r.attributedValue, 9);
        expect(n).toBeCloseTo(r.attributedConversions, 9);
      }
    }
  });

  it('weights respond to the half-life and position shares', () => {
    const a = paths.find((p) => p.customer === 'A')!;
    const long = pathWeights(a, 'time_decay', { halfLifeDays: 1e9 });
    for (const w of long) expect(w).toBeCloseTo(1 / 3, 6);
    expect(pathWeights(a, 'position_based', { positionFirst: 0.3, positionLast: 0.3 })).toEqual([0.3, expect.closeTo(0.4, 12), 0.3]);
    expect(() => pathWeights(a, 'time_decay', { halfLifeDays: 0 })).toThrow();
    expect(() => pathWeights(a, 'position_based', { positionFirst: 0.7, positionLast: 0.7 })).toThrow();
  });
});

describe('journeys at scale (seeded synthetic, 20,000 customers)', () => {
  it('extracts, tabulates and attributes ~200k events in well under a few seconds, sums intact', () => {
    const rng = createRng(42);
    const channels = ['sms', 'email', 'wechat', 'app_push', 'search'];
    const events: Record<string, JourneyEvent[]> = {};
    let n = 0;
    for (let c = 0; c < 20_000; c++) {
      const evs: JourneyEvent[] = [];
      let t = T0 + randInt(rng, 60) * DAY;
      const k = 2 + randInt(rng, 14);
      for (let i = 0; i < k; i++) {
        t += randInt(rng, 10 * DAY);
        evs.push(rng() < 0.2 ? { time: t, channel: 'shop', type: 'purchase', value: 10 + randInt(rng, 200) } : touch((t - T0) / DAY, channels[randInt(rng, channels.length)]!, `cmp${randInt(rng, 12)}`));
      }
      n += evs.length;
      events[`c${c}`] = evs;
    }
    const t0 = performance.now();
    const paths = extractPaths(events, { collapseRepeats: true });
    const table = commonPaths(paths, { top: 20 });
    const r = attribute(paths);
    const ms = performance.now() - t0;
    expect(n).toBeGreaterThan(150_000);
    expect(table).toHaveLength(20);
    for (const m of ATTRIBUTION_MODELS) {
      const v = Object.values(r.models[m].byChannel).reduce((a, c) => a + c.value, 0);
      expect(v / r.attributedValue).toBeCloseTo(1, 9);
    }
    // No collapsed path has two equal consecutive channels.
    expect(paths.every((p) => p.steps.every((s, i) => i === 0 || s.channel !== p.steps[i - 1]!.channel))).toBe(true);
    expect(ms).toBeLessThan(10_000); // measured ≈ 0.5 s
    console.log(`journeys: ${n} events, ${paths.length} paths, ${ms.toFixed(0)} ms`);
  });
});
