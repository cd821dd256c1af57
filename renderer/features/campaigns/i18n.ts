export const smsZh = {
  sends: '发送数据集', replies: '回复数据集', orders: '订单数据集', window: '归因窗口（天）', run: '生成报告', none: '（无）',
  funnel: '漏斗', sent: '发送', delivered: '送达', replied: '回复', converted: '转化', unsubscribed: '退订', cost: '费用', revenue: '归因销售额', roi: 'ROI', cpc: '单次转化成本',
  campaign: '活动', variant: '版本', rate: '转化率', ci: '95% 置信区间', verdict: 'A/B 结论', heat: '发送时间 × 转化率（灰色 = 样本不足）', best: '推荐发送时段：{{from}}:00–{{to}}:00，转化率 {{rate}}%（95% 置信区间 {{lo}}–{{hi}}%）',
  unsubList: '退订名单', length: '短信长度：{{enc}}，通常 {{seg}} 条计费，共计 {{total}} 条。', spilled: '⚠ {{n}} 条个性化短信超长，最多拆成 {{max}} 条。', noSends: '需要一个含“手机号”和“时间”角色的短信发送数据集。',
};
export const smsEn: typeof smsZh = {
  sends: 'Sends dataset', replies: 'Replies dataset', orders: 'Orders dataset', window: 'Attribution window (days)', run: 'Build report', none: '(none)',
  funnel: 'Funnel', sent: 'Sent', delivered: 'Delivered', replied: 'Replied', converted: 'Converted', unsubscribed: 'Unsubscribed', cost: 'Cost', revenue: 'Attributed revenue', roi: 'ROI', cpc: 'Cost per conversion',
  campaign: 'Campaign', variant: 'Variant', rate: 'Conversion rate', ci: '95% CI', verdict: 'A/B verdict', heat: 'Send time × conversion rate (grey = too little data)', best: 'Recommended send window: {{from}}:00–{{to}}:00, {{rate}}% conversion (95% CI {{lo}}–{{hi}}%)',
  unsubList: 'Unsubscribes', length: 'Length: {{enc}}, usually {{seg}} billed part(s); {{total}} parts in all.', spilled: '⚠ {{n}} personalised messages spill over, up to {{max}} parts.', noSends: 'Needs an SMS sends dataset with phone and timestamp roles.',
};
