/**
 * Role suggestions from Chinese and English headers (and the inferred type). Each role has
 * an exact header pattern and optionally a looser one. Score: exact match 3 when the column's
 * type suits the role (an amount must be numeric, a timestamp a date), 1 when it does not;
 * loose match 1.5 when the type suits, else nothing. Headerless files (names 'column_N') get
 * type-based guesses at score 1.2: a date/datetime column → timestamp, a phone → phone, an
 * email → email, free text averaging ≥ 20 characters → message_text, and then a category
 * column with ≤ 20 values beside that text → label (the SMS spam TSV). A named column whose
 * type is phone or email also gets that role at 1.2 when no header pattern matched.
 * Assignment is greedy, best score first (ties: leftmost column), one column per role — except
 * `name`, which may take a given-name and a surname column — and only scores ≥ 1.2 are used.
 * The user can change any of them in the wizard.
 */
import type { ColumnInference, ColumnType } from './types';
import type { Role } from '../../shared/types';

export type { Role };

interface Rule {
  role: Role;
  exact: RegExp;
  loose?: RegExp;
  types?: ColumnType[];
}

const NUM: ColumnType[] = ['integer', 'decimal', 'percent'];
const RULES: Rule[] = [
  { role: 'customer_id', exact: /^(customer[ _]?id|cust(omer)?[ _]?(no|code|key)|client[ _]?id|user[ _]?id|member[ _]?id|master[ _]?id|customerid|客户(编号|id|号|代码|编码)|会员(号|编号|id|卡号)|用户(id|编号)|顾客(编号|id))$/i, loose: /客户|会员|customer|client|member/i, types: ['id', 'integer', 'category', 'text'] },
  { role: 'phone', exact: /^(phone|mobile|cell(phone)?|tel(ephone)?|phone[ _]?(no|number)|mobile[ _]?(no|number)|手机|手机号|手机号码|电话|电话号码|联系电话|联系方式|号码|接收号码|用户号码)$/i, loose: /phone|mobile|手机|电话/i, types: ['phone', 'integer', 'id', 'text', 'category'] },
  { role: 'email', exact: /^(e-?mail|email[ _]?address|邮箱|电子邮件|电子邮箱|邮件地址)$/i, loose: /mail|邮箱/i, types: ['email', 'text', 'category'] },
  { role: 'name', exact: /^(name|full[ _]?name|customer[ _]?name|client[ _]?name|member[ _]?name|given[ _]?name|first[ _]?name|last[ _]?name|surname|family[ _]?name|姓名|客户姓名|客户名称|会员姓名|会员名称|用户名|联系人|收货人|收件人|名字|姓|名)$/i, loose: /姓名|^(customer|member|user|client)[ _]?name|name$/i, types: ['text', 'category', 'id'] },
  { role: 'gender', exact: /^(gender|sex|性别)$/i, types: ['category', 'boolean', 'text'] },
  { role: 'birthday', exact: /^(birthday|birth[ _]?date|date[ _]?of[ _]?birth|dob|生日|出生日期|出生年月)$/i, types: ['date', 'datetime', 'integer'] },
  { role: 'region', exact: /^(region|province|state|country|area|省|省份|地区|区域|所在省份|大区)$/i, loose: /省|region|province/i, types: ['category', 'text'] },
  { role: 'city', exact: /^(city|town|suburb|城市|市|所在城市|地市)$/i, loose: /城市|city/i, types: ['category', 'text'] },
  { role: 'timestamp', exact: /^(timestamp|date|time|datetime|invoice[ _]?date|order[ _]?(date|time)|created([ _]?at)?|yyyymmdd|下单时间|订单时间|交易时间|支付时间|购买时间|发送时间|回复时间|时间|日期|交易日期|下单日期)$/i, loose: /时间|日期|date|time/i, types: ['date', 'datetime'] },
  { role: 'amount', exact: /^(amount|revenue|sales|total|spend|monetary|dollars?|dollar[ _]?value|payment|paid|total[ _]?charges?|order[ _]?(amount|value|total)|gmv|金额|实付金额|实付|实收|实收金额|支付金额|订单金额|消费金额|交易金额|销售额|销售金额|付款金额|成交金额|总价|总金额|应付金额|gmv)$/i, loose: /金额|amount|revenue|sales|dollar|charges?$/i, types: NUM },
  { role: 'quantity', exact: /^(quantity|qty|count|units|number[ _]?of[ _]?\w+|n[ _]?\w+s|数量|件数|购买数量|销量)$/i, loose: /数量|quantity|qty/i, types: ['integer', 'decimal'] },
  { role: 'unit_price', exact: /^(unit[ _]?price|price|单价|价格|售价)$/i, types: NUM },
  { role: 'order_id', exact: /^(order[ _]?(id|no|number)|invoice[ _]?(no|id|number)?|transaction[ _]?id|订单号|订单编号|单号|交易号|流水号)$/i, loose: /订单|invoice|order/i, types: ['id', 'integer', 'text', 'category'] },
  { role: 'item', exact: /^(item|sku|product|product[ _]?(id|code|name)|stock[ _]?code|goods|商品|商品编码|商品名称|商品编号|产品|产品名称|货号|品名)$/i, loose: /商品|产品|sku|product/i, types: ['id', 'category', 'text', 'integer'] },
  { role: 'channel', exact: /^(channel|source|medium|渠道|来源|来源渠道|注册渠道|下单渠道|平台)$/i, types: ['category', 'text'] },
  { role: 'campaign', exact: /^(campaign|campaign[ _]?(name|id)|活动|活动名称|活动编号|营销活动|批次|发送批次|任务名称|计划名称|营销计划)$/i, loose: /活动|campaign/i, types: ['category', 'text', 'id'] },
  { role: 'variant', exact: /^(variant|version|group|arm|ab[ _]?group|test[ _]?group|版本|分组|组别|实验组|ab组|短信版本|文案版本)$/i, types: ['category', 'text'] },
  { role: 'sms_status', exact: /^(status|sms[ _]?status|delivery[ _]?status|send[ _]?status|短信状态|发送状态|状态|状态报告|回执状态|回执|送达状态|发送结果)$/i, loose: /短信.*状态|发送.*状态|送达|回执|deliver|sms.?status/i, types: ['category', 'text', 'boolean'] }, // not a loose /状态/: 订单状态 is an order status
  { role: 'order_status', exact: /^(order[ _]?status|订单状态|交易状态|支付状态|付款状态|订单状况)$/i, loose: /订单.*状态|交易.*状态|order.?status/i, types: ['category', 'text'] },
  { role: 'message_text', exact: /^(message|msg|text|sms|content|body|message[ _]?text|sms[ _]?text|短信内容|内容|短信|文案|发送内容|模板内容|短信文案|短信内容\(已分词\)|text[ _]?segmented)$/i, loose: /内容|文案|text|message/i, types: ['text', 'category'] },
  { role: 'reply_text', exact: /^(reply|reply[ _]?text|response|回复|回复内容|上行内容|用户回复)$/i, types: ['text', 'category'] },
  { role: 'label', exact: /^(label|class|target|churn|churned|is[ _]?spam|spam|species|category|y|标签|类别|分类|是否流失|是否垃圾短信|是否垃圾)$/i, types: ['category', 'boolean', 'integer', 'text'] },
  { role: 'cost', exact: /^(cost|fee|price[ _]?per[ _]?sms|费用|成本|单条费用|资费)$/i, types: NUM },
];

function score(rule: Rule, name: string, type: ColumnType): number {
  const n = name.trim();
  const typeOk = !rule.types || rule.types.includes(type);
  if (rule.exact.test(n)) return typeOk ? 3 : 1;
  if (rule.loose?.test(n)) return typeOk ? 1.5 : 0;
  return 0;
}

const GENERATED = /^column_\d+$/;
const MIN_SCORE = 1.2;

/** Type-based guesses (see the top of this file), at the lowest usable score. */
function fallbacks(c: ColumnInference, headerless: boolean): Role[] {
  const out: Role[] = [];
  if (c.type === 'phone') out.push('phone');
  if (c.type === 'email') out.push('email');
  if (headerless) {
    if (c.type === 'date' || c.type === 'datetime') out.push('timestamp');
    if (c.type === 'text' && (c.avgLength ?? 0) >= 20) out.push('message_text');
  }
  return out;
}

export function suggestRole(name: string, inference: ColumnInference): Role | null {
  if (typeof name !== 'string' || !inference) throw new Error('suggestRole: a header name and its column inference are required');
  let best: Role | null = null;
  let bestScore = 0;
  for (const r of RULES) {
    const s = score(r, name, inference.type);
    if (s > bestScore) [best, bestScore] = [r.role, s];
  }
  if (bestScore >= MIN_SCORE) return best;
  return fallbacks({ ...inference, name }, GENERATED.test(name.trim()))[0] ?? null;
}

const MULTI: ReadonlySet<Role> = new Set<Role>(['name']);

export function suggestRoles(cols: ColumnInference[]): (Role | null)[] {
  if (!Array.isArray(cols)) throw new Error('suggestRoles: cols must be an array of column inferences');
  const cands: { col: number; role: Role; score: number }[] = [];
  cols.forEach((c, i) => {
    for (const r of RULES) {
      const s = score(r, c.name, c.type);
      if (s >= MIN_SCORE) cands.push({ col: i, role: r.role, score: s });
    }
    for (const role of fallbacks(c, GENERATED.test(c.name.trim()))) cands.push({ col: i, role, score: MIN_SCORE });
  });
  cands.sort((a, b) => b.score - a.score || a.col - b.col);
  const out: (Role | null)[] = cols.map(() => null);
  const taken = new Set<Role>();
  for (const c of cands) {
    if (out[c.col] !== null || (taken.has(c.role) && !MULTI.has(c.role))) continue;
    out[c.col] = c.role;
    taken.add(c.role);
  }
  // A bare 状态/status column in an orders file (amount or order id) is the order's status, not an SMS one.
  if ((taken.has('amount') || taken.has('order_id')) && !taken.has('order_status')) {
    const i = out.indexOf('sms_status');
    if (i >= 0) out[i] = 'order_status';
  }
  // A short category column beside a message column is its label (headerless SMS files).
  if (taken.has('message_text') && !taken.has('label')) {
    const i = cols.findIndex((c, j) => out[j] === null && GENERATED.test(c.name.trim()) && (c.type === 'category' || c.type === 'boolean') && c.distinct <= 20);
    if (i >= 0) out[i] = 'label';
  }
  return out;
}
