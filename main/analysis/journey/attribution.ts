/**
 * Rule-based multi-touch attribution over converting journey paths. Each model splits every
 * purchase into weights over the path's steps that sum to 1, so per model the credits of all
 * channels (or campaigns) sum to the value of the purchases that had at least one touch, and the
 * fractional conversions sum to their count. Purchases with no touch in the lookback window are
 * reported as `unattributed` rather than given to a made-up "direct" channel.
 *
 * Models (n = steps in the path, i = 0..n−1):
 *  - first touch: w_0 = 1;  last touch: w_{n−1} = 1;  linear: w_i = 1/n;
 *  - time decay: w_i ∝ 2^(−Δ_i / halfLife), Δ_i = days from the step's last touch to the purchase
 *    (half-life default 7 days, as in common analytics tools);
 *  - position based (U-shaped): n = 1 → 1; n = 2 → first/(first+last), last/(first+last) (50/50 by
 *    default); n ≥ 3 → first 40 %, last 40 %, the middle 20 % split evenly (shares configurable).
 * When repeats were collapsed, a collapsed step counts once (see paths.ts).
 */
import { type JourneyPath } from './paths';

export const ATTRIBUTION_MODELS = ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export const ATTRIBUTION_MODEL_LABELS: Record<AttributionModel, { zh: string; en: string }> = {
  first_touch: { zh: '首次触点', en: 'First touch' },
  last_touch: { zh: '末次触点', en: 'Last touch' },
  linear: { zh: '线性', en: 'Linear' },
  time_decay: { zh: '时间衰减', en: 'Time decay' },
  position_based: { zh: '位置（40/20/40）', en: 'Position based (40/20/40)' },
};

export interface AttributionOptions {
  halfLifeDays?: number;
  /** Shares of the first and last step in the position-based model (default 0.4 each). */
  positionFirst?: number;
  positionLast?: number;
}

export interface Credit {
  value: number;
  conversions: number;
}

export interface AttributionResult {
  /** credits[model].byChannel[channel] (campaign '(none)' when a touch had none). */
  models: Record<AttributionModel, { byChannel: Record<string, Credit>; byCampaign: Record<string, Credit> }>;
  conversions: number;
  totalValue: number;
  attributedConversions: number;
  attributedValue: number;
  unattributedConversions: number;
  unattributedValue: number;
}

const DAY = 86_400_000;
export const NO_CAMPAIGN = '(none)';

/** Weights of the steps of one converting path under a model (sum 1; empty for no steps). */
export function pathWeights(path: JourneyPath, model: AttributionModel, options: AttributionOptions = {}): number[] {
  const n = path.steps.length;
  if (n === 0) return [];
  const w = new Array<number>(n).fill(0);
  switch (model) {
    case 'first_touch':
      w[0] = 1;
      break;
    case 'last_touch':
      w[n - 1] = 1;
      break;
    case 'linear':
      w.fill(1 / n);
      break;
    case 'time_decay': {
      const h = options.halfLifeDays ?? 7;
      if (!(h > 0)) throw new Error('halfLifeDays must be > 0');
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.max(0, (path.endTime - path.steps[i]!.lastTime) / DAY);
        w[i] = Math.pow(2, -d / h);
        s += w[i]!;
      }
      for (let i = 0; i < n; i++) w[i] = w[i]! / s;
      break;
    }
    case 'position_based': {
      const f = options.positionFirst ?? 0.4;
      const l = options.positionLast ?? 0.4;
      if (!(f >= 0 && l >= 0 && f + l <= 1 && f + l > 0)) throw new Error('position shares must be ≥ 0 with 0 < first + last ≤ 1');
      if (n === 1) w[0] = 1;
      else if (n === 2) {
        w[0] = f / (f + l);
        w[1] = l / (f + l);
      } else {
        w[0] = f;
        w[n - 1] = l;
        for (let i = 1; i < n - 1; i++) w[i] = (1 - f - l) / (n - 2);
      }
      break;
    }
  }
  return w;
}

/** Credits per channel and per campaign under every model, over the converting paths. */
export function attribute(paths: readonly JourneyPath[], options: AttributionOptions = {}): AttributionResult {
  const models = Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, { byChannel: {}, byCampaign: {} }])) as AttributionResult['models'];
  const r: AttributionResult = { models, conversions: 0, totalValue: 0, attributedConversions: 0, attributedValue: 0, unattributedConversions: 0, unattributedValue: 0 };
  const add = (t: Record<string, Credit>, k: string, v: number, c: number) => {
    const x = (t[k] ??= { value: 0, conversions: 0 });
    x.value += v;
    x.conversions += c;
  };
  for (const p of paths) {
    if (!p.converted) continue;
    r.conversions++;
    r.totalValue += p.value;
    if (!p.steps.length) {
      r.unattributedConversions++;
      r.unattributedValue += p.value;
      continue;
    }
    r.attributedConversions++;
    r.attributedValue += p.value;
    for (const m of ATTRIBUTION_MODELS) {
      const w = pathWeights(p, m, options);
      p.steps.forEach((s, i) => {
        if (w[i] === 0) return;
        add(models[m].byChannel, s.channel, w[i]! * p.value, w[i]!);
        add(models[m].byCampaign, s.campaign ?? NO_CAMPAIGN, w[i]! * p.value, w[i]!);
      });
    }
  }
  return r;
}
