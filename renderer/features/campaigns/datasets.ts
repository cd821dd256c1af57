/** Which datasets look like SMS sends, replies and short-link clicks (by their column roles). */
import type { DatasetInfo } from '../../../shared/types';

export const has = (...roles: string[]) => (d: DatasetInfo) => roles.every((r) => d.columns.some((c) => c.role === r));

// The most SMS-like datasets first: campaign, variant, message text, cost, status.
const smsScore = (d: DatasetInfo) => ['campaign', 'campaign', 'campaign', 'variant', 'variant', 'message_text', 'cost', 'sms_status'].filter((r) => d.columns.some((c) => c.role === r)).length;

export function smsDatasets(datasets: DatasetInfo[]) {
  const sendsOpts = datasets.filter((d) => has('phone', 'timestamp')(d) && smsScore(d) >= 3 && d.columns.some((c) => c.role === 'message_text' || c.role === 'variant')).sort((a, b) => smsScore(b) - smsScore(a));
  const replyOpts = datasets.filter(has('phone', 'reply_text'));
  // Clicks: phone + time and nothing that makes it sends, replies, receipts (a status) or orders.
  const clickOpts = datasets.filter((d) => has('phone', 'timestamp')(d) && !sendsOpts.includes(d) && !replyOpts.includes(d) && !d.columns.some((c) => c.role === 'amount' || c.role === 'order_id' || c.role === 'customer_id' || c.role === 'sms_status') && d.columns.length <= 5);
  // Receipts: phone + time + a delivery status, and no message text or variant (those are sends).
  const receiptOpts = datasets.filter((d) => has('phone', 'timestamp', 'sms_status')(d) && !d.columns.some((c) => c.role === 'message_text' || c.role === 'variant'));
  return { sendsOpts, replyOpts, clickOpts, receiptOpts };
}
