/**
 * Which datasets fit which input of an analysis, by their column roles — declared once, for the
 * screens' pickers (and any caller that must choose a dataset). A dataset fits a slot when it has
 * every needed role, at least one role of each `anyOf` group, and none of `not` (roles that say it is
 * another kind of file: an orders file is not delivery receipts because it has no delivery status,
 * and a sends file is not receipts because it carries the message). An `anyOf` choice may be a set
 * of roles that only count together (quantity and unit price make an amount).
 */
import type { DatasetInfo, Role } from './types';

export interface SlotRule {
  need: Role[];
  anyOf?: (Role | Role[])[][];
  not?: Role[];
}

export const PICKER_SLOTS = {
  // what was sent (its text or version) and a sign of an SMS campaign (a survey has text, receipts have a status)
  sends: { need: ['phone', 'timestamp'], anyOf: [['message_text', 'variant'], ['campaign', 'variant', 'sms_status', 'cost']], not: ['reply_text', 'amount'] },
  replies: { need: ['phone', 'reply_text'] },
  clicks: { need: ['phone', 'timestamp'], not: ['amount', 'order_id', 'sms_status', 'reply_text', 'message_text', 'variant', 'name', 'customer_id'] },
  receipts: { need: ['phone', 'timestamp', 'sms_status'], not: ['message_text', 'variant', 'reply_text'] },
  orders: { need: ['timestamp', 'amount'], anyOf: [['customer_id', 'phone']], not: ['message_text', 'variant'] },
  // RFM, CLV, the dashboard, segment migration: who bought when and for how much
  transactions: { need: ['timestamp'], anyOf: [['customer_id', 'phone'], ['amount', ['quantity', 'unit_price']]] },
  // association rules: items bought together in one order
  baskets: { need: ['order_id', 'item'] },
  // recommendations: items bought over time
  itemHistory: { need: ['item', 'timestamp'] },
} satisfies Record<string, SlotRule>;

export type PickerSlot = keyof typeof PICKER_SLOTS;

export interface SlotFit {
  fits: boolean;
  /** Needed roles the dataset lacks (an `anyOf` group with none present counts as its first role). */
  missing: Role[];
  /** Roles that make it another kind of file. */
  conflicting: Role[];
  /** The roles the analysis will read from it. */
  uses: Role[];
}

export function slotFit(info: DatasetInfo, slot: PickerSlot): SlotFit {
  const rule: SlotRule = PICKER_SLOTS[slot];
  const roles = new Set(info.columns.map((c) => c.role).filter((r): r is Role => !!r));
  const missing = rule.need.filter((r) => !roles.has(r));
  const uses = rule.need.filter((r) => roles.has(r));
  for (const group of rule.anyOf ?? []) {
    // single roles are all read (customer id and phone both identify); a set of roles stands in
    // for the roles before it (quantity × unit price is read only when there is no amount)
    const present = group.filter((c) => (Array.isArray(c) ? c.every((r) => roles.has(r)) : roles.has(c)));
    if (!present.length) missing.push(...[group[0]!].flat());
    const read = present.filter((c, i) => !Array.isArray(c) || i === 0);
    for (const r of (read.length ? read : present.slice(0, 1)).flat()) if (!uses.includes(r)) uses.push(r);
  }
  const conflicting = (rule.not ?? []).filter((r) => roles.has(r));
  return { fits: !missing.length && !conflicting.length, missing, conflicting, uses };
}
