/**
 * Labelled SMS replies as customers write them, for measuring unsubscribe detection: opt-outs by
 * keyword (decorated: full-width, brackets, spaces, trailing thanks, line breaks, traditional
 * script, emoji), by sentence and with no keyword at all (polite or angry), and the traps a
 * detector must leave alone — product words containing T/N/退/取消, refund and order questions,
 * negations, English thanks, customers pasting the marketing text with its opt-out footer or
 * asking about it, and ordinary chatter. Seeded; each reply says what it is (`kind`).
 * The phrasings are written from the customer's side, not from the detector's rule list.
 */
import { createRng, randInt, type Rng } from '../../kernel/random';

export type ReplyKind =
  | 'keyword' | 'keyword_sentence' | 'no_keyword_polite' | 'no_keyword_angry' | 'footer_reply'
  | 'trap_product' | 'trap_refund_order' | 'trap_negation' | 'trap_thanks' | 'trap_quote' | 'chatter';

export interface LabelledReply {
  text: string;
  isUnsubscribe: boolean;
  kind: ReplyKind;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randInt(rng, xs.length)]!;

const KEYWORDS = ['T', 'TD', 't', 'td', 'Td', 'N', 'n', '退订', '退', 'STOP', 'Stop', 'stop', '取消', 'QX', '0000', 'R'];
const THANKS_TAIL = ['谢谢', '谢了', '，谢谢', ' thanks', ' Thanks', '了', '吧', '啦', ' 谢谢！', ' pls'];
const SENTENCES = ['请帮我退订', '我要退订', '麻烦退订一下', '退订谢谢', '帮我取消订阅', '我要取消订阅', '退订！不要再发了', '申请退订', '你好，退订', '退订此类短信',
  'unsubscribe please', 'Please unsubscribe me', 'I want to unsubscribe', '退订，别再打扰', '我早就想退订了', '怎么还在发，退订'];
const POLITE = ['麻烦以后别发了，谢谢', '请不要再发短信给我了', '不需要了，以后别给我发', '请将我的号码从名单中移除', '不想再收到你们的短信，谢谢', '以后不要给我发这种消息了',
  '请停止发送营销短信', '您好，请别再发信息了', 'please stop texting me', 'Stop sending me these messages', 'please remove me from your list', 'no more messages please',
  'Take me off your list, thanks', '别发了谢谢', '不要再发了哈'];
const ANGRY = ['烦死了！！', '天天发烦不烦', '有完没完啊天天发', '再发我就投诉你们', '别骚扰我了', '骚扰短信，已举报', '滚', '有病吧天天发', '你们烦不烦啊', '别烦我！', '再发投诉到12315', '屏蔽你们了'];
const FOOTERS = ['回T退订', '回TD退订', '退订回T', '拒收请回复R', '回N退订', '退订回TD'];
const BRANDS = ['优衣库', '美的', '良品铺子', '屈臣氏', '小米', '品牌'];
const PROMOS = ['双11全场5折起', '会员日积分翻倍', '新品上市满299减50', '您的优惠券即将到期', '年货节限时抢购', '夏季清仓低至3折'];
const PRODUCT = ['这件T恤有M码吗', '白色T恤还有货吗', 'XL T-shirt还有吗', 'T恤多少钱', 'N95口罩什么时候到货', 'N95还有吗', '我要退货', '退货地址是哪里', '退换货要几天', '我要退换货',
  'TD家的同款有吗', 'T3航站楼自提可以吗', 'size N/A?'];
const REFUND = ['退款怎么还没到', '退款怎么办', '取消订单', '怎么取消订单', '订单能取消吗', '订单取消了吗', '取消订单后多久退款', '我要退款不是退订', '已经取消了订单，退款呢'];
const NEGATION = ['不退订', '先不退订', '暂时不退订', '我不要退订', '不用退订', '别给我退订', '不要帮我退订', "don't unsubscribe me", 'do not unsubscribe', "I don't want to unsubscribe", '不退订，继续发吧'];
const THANKS = ['thanks', 'THX', 'Thanks!', 'thank you', 'ty', 'Thx a lot', 'ok thanks', 'Tks'];
const CHATTER = ['好的', '收到', '谢谢', '什么时候发货', '多少钱', '有优惠吗', '地址改一下', '👍', '在吗', '可以用券吗', '好的谢谢', '已付款', '发顺丰吗', '嗯嗯', 'OK'];

const FULL_WIDTH = (s: string) => s.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const TRAD: Record<string, string> = { 订: '訂', 别: '別', 发: '發', 谢: '謝', 请: '請' };

/** A keyword as people type it: brackets, spaces between letters, full-width, punctuation, emoji, line breaks. */
function decorate(rng: Rng, s: string): string {
  let t = s;
  if (rng() < 0.2) t = FULL_WIDTH(t);
  if (rng() < 0.15 && /^[A-Za-z]{2}$/.test(s)) t = t.split('').join(pick(rng, [' ', '.', '  ']));
  if (rng() < 0.12) t = t.replace(/[订别发谢请]/g, (c) => TRAD[c] ?? c);
  if (rng() < 0.2) t = pick(rng, ['【', '[', '「', '(', ' ', '回复：', '回复:']) + t + pick(rng, ['】', ']', '」', ')', ' ', '', '']);
  if (rng() < 0.35) t += pick(rng, ['。', '！', '!!', '！！！', '~', '…', '.', '\n', ' ', '😡', '🙏', '？']);
  return t;
}

export function generateReplies(seed: number, n: number): LabelledReply[] {
  const rng = createRng(seed);
  const out: LabelledReply[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng();
    let r: LabelledReply;
    if (u < 0.16) r = { text: decorate(rng, pick(rng, KEYWORDS)), isUnsubscribe: true, kind: 'keyword' };
    else if (u < 0.22) r = { text: decorate(rng, pick(rng, KEYWORDS.filter((k) => k !== 'R' && k !== '0000')) + pick(rng, THANKS_TAIL)), isUnsubscribe: true, kind: 'keyword' };
    else if (u < 0.3) r = { text: decorate(rng, pick(rng, SENTENCES)), isUnsubscribe: true, kind: 'keyword_sentence' };
    else if (u < 0.37) r = { text: decorate(rng, pick(rng, POLITE)), isUnsubscribe: true, kind: 'no_keyword_polite' };
    else if (u < 0.43) r = { text: decorate(rng, pick(rng, ANGRY)), isUnsubscribe: true, kind: 'no_keyword_angry' };
    else if (u < 0.46) r = { text: decorate(rng, pick(rng, FOOTERS)), isUnsubscribe: true, kind: 'footer_reply' };
    else if (u < 0.56) r = { text: decorate(rng, pick(rng, PRODUCT)), isUnsubscribe: false, kind: 'trap_product' };
    else if (u < 0.64) r = { text: decorate(rng, pick(rng, REFUND)), isUnsubscribe: false, kind: 'trap_refund_order' };
    else if (u < 0.72) r = { text: decorate(rng, pick(rng, NEGATION)), isUnsubscribe: false, kind: 'trap_negation' };
    else if (u < 0.78) r = { text: pick(rng, THANKS) + pick(rng, ['', '!', ' 😊', '~']), isUnsubscribe: false, kind: 'trap_thanks' };
    else if (u < 0.88) {
      const promo = `【${pick(rng, BRANDS)}】${pick(rng, PROMOS)}，${pick(rng, ['详情见店铺', '点击 t.cn/A6x 查看', '速来'])}，${pick(rng, FOOTERS)}`;
      const text = pick(rng, [promo, `${promo}？`, `这是什么：${promo}`, `你们短信说${pick(rng, FOOTERS)}是什么意思`, `${pick(rng, FOOTERS)}会收费吗`, `${pick(rng, FOOTERS)}是真的吗`, `"${promo}" 收到了，谢谢`]);
      r = { text, isUnsubscribe: false, kind: 'trap_quote' };
    } else r = { text: decorate(rng, pick(rng, CHATTER)), isUnsubscribe: false, kind: 'chatter' };
    out.push(r);
  }
  return out;
}
