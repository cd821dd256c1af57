/**
 * Unsubscribe detection in SMS replies: explainable rules over a normalised reply, with three
 * guards the rules alone would get wrong. Every answer names the rule that fired (or why none did).
 *
 * Normalising: NFKC (full-width ＴＤ → td), lower case, traditional → simplified for the few
 * characters opt-outs use (退訂, 別, 發, 訊), then a *compact* form keeping only letters, digits
 * and CJK characters — so 【TD】, "T D", "t.d.", "退 订！！" and "退订\n谢谢" all read as td / 退订.
 *
 * Rules (editable per workspace; defaults below):
 * - exact: the whole compact reply is the keyword, optionally followed by polite or filler words
 *   (TD谢谢, t thanks, 退订了, N!!) — so T恤, N95, TDK, Thanks, 退货 and 取消订单 never match;
 * - contains: the keyword appears anywhere (请帮我退订, 别再发了, stop sending, 把我移除);
 * - regex: tested on the normalised (not compact) reply.
 * Guards:
 * - quoting: the brand's own opt-out footer (回T退订, 退订回TD, 拒收请回复R…) inside a longer reply is
 *   a quote of the marketing text or a question about it, so it is removed before the rules run; a
 *   reply that is nothing but the footer ("回T退订") is the customer doing what it says;
 * - negation: a keyword right after 不/别/不要/不用/先不/暂不/无需/没/不是 (optionally + 给我/帮我) or
 *   don't/do not/not (+ want to) is not an opt-out (不退订, 别给我退订, don't unsubscribe);
 * - questions about refunds or orders never reach the rules as keywords (退款, 取消订单 are not
 *   in them).
 */
export interface UnsubscribeRule {
  kind: 'exact' | 'contains' | 'regex';
  pattern: string;
}

const exact = (p: string): UnsubscribeRule => ({ kind: 'exact', pattern: p });
const contains = (p: string): UnsubscribeRule => ({ kind: 'contains', pattern: p });

export const DEFAULT_UNSUBSCRIBE_RULES: UnsubscribeRule[] = [
  ...['t', 'td', '退订', '退', 'n', 'stop', 'unsubscribe', '取消', '退订短信', 'qx', '0000', 'tuiding', '拒收', '停止', 'r', '滚', 'unsub'].map(exact),
  // keywords anywhere in the reply
  ...['退订', '取消订阅', '取消短信', '退出短信', '取消推送', 'unsubscribe', 'optout', 'stoptexting', 'stopsending', 'stopmessaging', 'removeme', 'takemeoff', 'nomoremessages', 'nomoretexts'].map(contains),
  // opt-outs without a keyword: asking (politely or not) to stop the messages
  ...['别再发了', '别再发短信', '别再发消息', '别再发信息', '别发了', '别发短信', '不要再发了', '不要再发短信', '不要再发消息', '不要再发信息', '不要发了', '不要发短信',
    '不要再给我发', '别再给我发', '别给我发', '不要给我发', '不想再收到', '不想收到', '不要再收到', '停止发送', '停发', '把我移除', '移除我', '删除我的号码', '把我的号码删',
    '拉黑', '屏蔽你们', '再发投诉', '骚扰短信', '别骚扰', '不要骚扰', '烦死了', '烦不烦', '天天发', '别烦我', '不要烦我', '别再打扰', '不要再打扰', '别打扰我', '不要打扰我', '别联系我', '不要联系我', '不要再联系我', 'donttextme', 'dontmessageme', 'nomoresms'].map(contains),
  // a threat to complain if it goes on; asking to be taken off the list
  { kind: 'regex', pattern: '再发.{0,6}(投诉|举报)' },
  { kind: 'regex', pattern: '停止.{0,4}(发|推送)' },
  { kind: 'regex', pattern: '(将|把)?(我|我的号码|号码).{0,6}(从.{0,6})?(移除|删除|删掉)' },
];

/** Characters opt-outs are written with in traditional script. */
const TRADITIONAL: Record<string, string> = { 訂: '订', 別: '别', 發: '发', 訊: '讯', 騷: '骚', 擾: '扰', 閱: '阅', 號: '号', 碼: '码', 謝: '谢', 請: '请', 對: '对', 給: '给', 單: '单', 換: '换', 貨: '货', 簡: '简' };

export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[訂別發訊騷擾閱號碼謝請對給單換貨簡]/gu, (c) => TRADITIONAL[c] ?? c)
    .replace(/^[\s\p{P}\p{S}]*回复\s*[:：]/u, '') // "回复：TD" — the phone's reply prefix
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

/** Letters, digits and CJK only: decorations, spaces, punctuation and emoji go. */
const compactOf = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, '');

/** The brand's opt-out footer as it appears in the marketing text (compact form). */
const FOOTER = /(回复?|发送?)(td|tt|t|n|r|0000)(即可)?(退订|退|拒收)|(退订|拒收)请?回复?(td|t|n|r|0000)|(拒收|退订)请回复?/gu;

/** Polite or filler words that may follow a keyword ("TD谢谢", "退订了", "t thanks"). */
const TAIL = /^(谢谢|谢了|谢|多谢|感谢|thanks|thank you|thankyou|thx|ty|please|pls|plz|了|吧|啦|哦|啊|呀|哈|嗯|ok|好的|好|!|~)*$/u;

/** Words that negate the keyword right after them. */
const NEGATION = /((不|别|不要|不用|先不|暂不|暂时不|无需|没|没有|不想|不是)(给我|帮我|要|用|去)?|(dont|donot|not|never)(wantto|wanna|needto)?)$/u;

export interface UnsubscribeMatch {
  matched: boolean;
  rule?: string;
  /** Why it was not counted although a keyword was there ('negated' or 'quoted footer'). */
  reason?: 'negated' | 'quoted_footer';
}

export function detectUnsubscribe(text: string, rules: UnsubscribeRule[] = DEFAULT_UNSUBSCRIBE_RULES): UnsubscribeMatch {
  const n = normalizeReply(text ?? '');
  if (n === '') return { matched: false };
  const full = compactOf(n);
  // the reply is nothing but the footer's instruction ("回T退订"): the customer is doing what it says
  const bare = full.replace(FOOTER, '');
  if (bare === '' && full !== '' && /退|拒收/u.test(full) && full.length <= 6) return { matched: true, rule: 'footer:reply' };
  // inside a longer reply the footer is a quote (or a question about it): the customer's own words decide
  const quoted = bare.length < full.length;
  const c = bare;
  let negated = false;
  for (const r of rules) {
    const p = compactOf(normalizeReply(r.pattern));
    if (r.kind === 'regex') {
      if (new RegExp(r.pattern, 'iu').test(quoted ? n.replace(FOOTER, '') : n)) return { matched: true, rule: `regex:${r.pattern}` };
      continue;
    }
    if (!p) continue;
    if (r.kind === 'exact') {
      // "回T", "回复：TD": the keyword written with the instruction's own verb
      // "Please STOP", "麻烦TD": a polite word before the keyword
      for (const w of [c, c.replace(/^(回复|回)/u, ''), c.replace(/^(please|pls|plz|请|麻烦)/u, '')]) if (w.startsWith(p) && TAIL.test(w.slice(p.length))) return { matched: true, rule: `exact:${r.pattern}` };
      continue;
    }
    // contains: an occurrence counts unless a negation stands right before it
    for (let i = c.indexOf(p); i >= 0; i = c.indexOf(p, i + 1)) {
      if (NEGATION.test(c.slice(Math.max(0, i - 12), i))) negated = true;
      else return { matched: true, rule: `contains:${r.pattern}` };
    }
  }
  if (negated) return { matched: false, reason: 'negated' };
  if (quoted) return { matched: false, reason: 'quoted_footer' };
  return { matched: false };
}
