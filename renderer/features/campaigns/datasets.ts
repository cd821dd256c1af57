/** Which datasets look like SMS sends, replies, receipts and short-link clicks (by their column roles, shared/pickers.ts). */
import type { DatasetInfo } from '../../../shared/types';
import { slotFit, type PickerSlot } from '../../../shared/pickers';

export const has = (...roles: string[]) => (d: DatasetInfo) => roles.every((r) => d.columns.some((c) => c.role === r));

// The most SMS-like datasets first: campaign, variant, message text, cost, status.
export const smsScore = (d: DatasetInfo) => ['campaign', 'campaign', 'campaign', 'variant', 'variant', 'message_text', 'cost', 'sms_status'].filter((r) => d.columns.some((c) => c.role === r)).length;

/** The datasets that fit each SMS input (shared/pickers.ts), sends ranked most SMS-like first. */
export function smsDatasets(datasets: DatasetInfo[]) {
  const fits = (slot: PickerSlot) => datasets.filter((d) => slotFit(d, slot).fits);
  return { sendsOpts: fits('sends').sort((a, b) => smsScore(b) - smsScore(a)), replyOpts: fits('replies'), clickOpts: fits('clicks'), receiptOpts: fits('receipts') };
}
