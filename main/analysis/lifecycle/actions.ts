/**
 * A suggested action per lifecycle stage (zh/en) and the segment rule that selects its customers.
 * The rule has the shape of the rule-based segments (`{ kind: 'cond', column, op: 'eq', value }`,
 * see shared/api/segments.ts) over a column holding the stage id, so the UI can turn a stage into a
 * saved segment once the stage column is materialised. The texts are starting points for a
 * campaign brief, not prescriptions.
 */
import type { StageId } from './stages';

export interface StageSegmentRule {
  kind: 'cond';
  column: string;
  op: 'eq';
  value: StageId;
}

export interface StageAction {
  stage: StageId;
  zh: string;
  en: string;
  /** Rough priority for a campaign calendar (1 = first). */
  priority: number;
}

export const STAGE_ACTIONS: Record<StageId, StageAction> = {
  prospect: { stage: 'prospect', priority: 3, zh: '首单激励：新人券或包邮，引导完成第一笔购买', en: 'First-order incentive: a welcome coupon or free shipping to turn the sign-up into a first purchase' },
  new: { stage: 'new', priority: 2, zh: '新客关怀：使用指南与复购券，推动第二单', en: 'Onboarding: a how-to message and a repeat-purchase coupon to win the second order' },
  growing: { stage: 'growing', priority: 4, zh: '交叉销售与会员升级，趁势提高客单价', en: 'Cross-sell and membership upgrade while engagement is rising' },
  mature: { stage: 'mature', priority: 5, zh: '忠诚维护：积分、专属权益，避免过度打扰', en: 'Loyalty care: points and member perks, without over-messaging' },
  declining: { stage: 'declining', priority: 1, zh: '挽留预警：按其购买节奏提醒并给予限时优惠', en: 'Retention alert: a reminder timed to their usual rhythm with a time-limited offer' },
  churned: { stage: 'churned', priority: 6, zh: '召回：低成本渠道的唤醒活动，只针对高价值流失客户加大投入', en: 'Win-back: low-cost reactivation; spend more only on high-value churned customers' },
  won_back: { stage: 'won_back', priority: 2, zh: '回流巩固：感谢回归并尽快促成下一单，防止再次流失', en: 'Re-onboard: thank them for returning and secure the next order before they lapse again' },
};

/** The segment rule selecting one stage from a column of stage ids (default column 'lifecycle_stage'). */
export function stageSegmentRule(stage: StageId, column = 'lifecycle_stage'): StageSegmentRule {
  return { kind: 'cond', column, op: 'eq', value: stage };
}
