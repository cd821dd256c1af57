/**
 * Event semantics: what a raw order or SMS status value means. Pure functions over one value;
 * the per-dataset mapping the analyst sees and edits lives in main/services/definitions.
 *
 * Orders: valid (paid, shipped, completed…) · cancelled · refunded (incl. returns) · pending
 * (unpaid, awaiting payment). A blank status is a valid order (files without a status column
 * are lists of purchases). Unknown words default to valid: an export rarely invents a new
 * failure word, and the analyst sees and can change every mapping.
 *
 * SMS: delivered only when a delivery receipt confirms it (已送达, DELIVRD, delivered);
 * 成功/success/submitted/accepted mean the gateway took the message, with no receipt
 * ('accepted'); 未知/unknown/timeout/blank → 'unknown'; everything else that says fail,
 * reject, blacklist, empty number… → 'failed'.
 */

export type OrderStatusClass = 'valid' | 'cancelled' | 'refunded' | 'pending';
export type SmsStatusClass = 'delivered' | 'accepted' | 'unknown' | 'failed';

export const ORDER_STATUS_CLASSES: OrderStatusClass[] = ['valid', 'cancelled', 'refunded', 'pending'];
export const SMS_STATUS_CLASSES: SmsStatusClass[] = ['delivered', 'accepted', 'unknown', 'failed'];

/** NFKC, lower case, no spaces/underscores/dashes: "Delivered " → "delivered", "已 取消" → "已取消". */
export function statusToken(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  return String(raw).normalize('NFKC').toLowerCase().replace(/[\s_\-·.。!！]+/g, '');
}

// The first pattern that matches wins: a withdrawn or rejected refund leaves a valid order, so
// that rule comes before "refund"; refunds come before cancellations (退款关闭 is not a cancelled order).
const ORDER_RULES: [RegExp, OrderStatusClass][] = [
  [/^(取消退款|退款(关闭|失败|驳回|拒绝)|refund(rejected|declined|cancelled|canceled|failed))$/, 'valid'],
  [/退款|退货|已退|refund|return|chargeback|售后完成/, 'refunded'],
  [/取消|作废|关闭|失效|cancel|void|closed|abandon|invalid|无效/, 'cancelled'],
  [/待付|待支付|未付|未支付|待确认|待审核|unpaid|pending|awaiting|processing|下单未付|created|未完成/, 'pending'],
  [/完成|已付|已支付|付款成功|支付成功|交易成功|已发货|发货|已签收|签收|已收货|收货|待发货|待收货|配送|成功|有效|正常|complete|paid|ship|deliver|fulfil|success|valid|done/, 'valid'],
];

export function inferOrderStatus(raw: unknown): OrderStatusClass {
  const t = statusToken(raw);
  if (!t) return 'valid';
  for (const [re, cls] of ORDER_RULES) if (re.test(t)) return cls;
  return 'valid';
}

const SMS_RULES: [RegExp, SmsStatusClass][] = [
  [/^(已送达|送达|送达成功|已到达|到达|deliv(e)?rd|delivered|deliverysuccess|delivrd:?0+|成功送达|接收成功|已接收|用户已接收)$/, 'delivered'],
  [/^(未送达|undeliv|undelivered|deliveryfail)/, 'failed'],
  [/^(成功|发送成功|提交成功|已提交|已发送|发送|success|succeeded|sent|submitted|submit|accepted|acceptd|ok|enroute|queued|已受理|受理成功)$/, 'accepted'],
  [/^(未知|状态未知|unknown|unknwn|timeout|超时|无回执|待回执|pending|expired|过期)$/, 'unknown'],
  [/失败|拒|黑名单|空号|停机|关机|错误|异常|拦截|屏蔽|退订|fail|reject|rejectd|undeliv|black|error|err|invalid|blocked|spam|expird|deleted/, 'failed'],
];

export function inferSmsStatus(raw: unknown): SmsStatusClass {
  const t = statusToken(raw);
  if (!t) return 'unknown';
  for (const [re, cls] of SMS_RULES) if (re.test(t)) return cls;
  // Anything else is a gateway/carrier code without a receipt: not delivered, not a known failure.
  return 'unknown';
}
