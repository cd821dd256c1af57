/**
 * Unsubscribe detection in SMS replies. The reply is normalised — NFKC (full-width ＴＤ → TD),
 * trimmed, case-folded, surrounding punctuation and spaces removed — then matched against
 * rules. Defaults: the whole reply is one of T, TD, 退订, 退, N, STOP, UNSUBSCRIBE, 取消,
 * 退订短信; or it contains 退订 / 取消订阅 / unsubscribe anywhere ("请帮我退订"). So 'TDK',
 * 'Thanks', '退款' and 'Nice' are not unsubscribes. Rules are editable: exact, contains, regex.
 */
export interface UnsubscribeRule {
  kind: 'exact' | 'contains' | 'regex';
  pattern: string;
}

export const DEFAULT_UNSUBSCRIBE_RULES: UnsubscribeRule[] = [
  ...['t', 'td', '退订', '退', 'n', 'stop', 'unsubscribe', '取消', '退订短信', 'qx', '0000'].map((p) => ({ kind: 'exact' as const, pattern: p })),
  { kind: 'contains', pattern: '退订' },
  { kind: 'contains', pattern: '取消订阅' },
  { kind: 'contains', pattern: 'unsubscribe' },
];

export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

export function detectUnsubscribe(text: string, rules: UnsubscribeRule[] = DEFAULT_UNSUBSCRIBE_RULES): { matched: boolean; rule?: string } {
  const n = normalizeReply(text ?? '');
  if (n === '') return { matched: false };
  for (const r of rules) {
    const p = r.pattern.normalize('NFKC').toLowerCase();
    const hit = r.kind === 'exact' ? n === p : r.kind === 'contains' ? n.includes(p) : new RegExp(r.pattern, 'iu').test(n);
    if (hit) return { matched: true, rule: `${r.kind}:${r.pattern}` };
  }
  return { matched: false };
}
