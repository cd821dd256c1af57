export const segZh = {
  tabs: { rfm: 'RFM', kmeans: 'k-means 聚类', rules: '规则分群', explorer: '分群浏览器', migration: '分群迁移' },
  dataset: '数据集', transactions: '交易数据集', asOf: '截止日期', asOfHelp: '默认为数据中最后一笔交易的日期', stale: '口径已变更，需重新计算', scheme: '分群方案', scheme11: '经典 11 类', schemeCn8: '中国营销 8 类',
  threshold: '高/低划分', mean: '平均值', median: '中位数', excludeCancel: '排除取消/退货（C 开头单号、负数量）', dayAfter: '最近一次购买按“次日”计算', run: '运行',
  customers: '客户数', segments: '分群', size: '人数', share: '占比', sizes: '分群规模', treemap: '矩形树图', profile: '分群画像', radar: '雷达图', heatmap: '分群 × 指标热力图（z 分数）',
  channelShare: '{{channel}} 渠道占比',
  featureNames: { recency: '最近消费间隔（天）', frequency: '消费频次', monetary: '消费金额', r: 'R 分', f: 'F 分', m: 'M 分', tenure_days: '客户时长（天）', first_purchase: '首次购买', last_purchase: '最近购买' },
  features: '特征', transforms: '变换', k: '簇数 k', kRange: '选择 k（2–10）', suggestK: '建议 k = {{k}}：轮廓系数最高（{{s}}，越接近 1 越分得开）；次高为 k = {{k2}}（{{s2}}）。已填入簇数，可改。', suggestKOnly: '建议 k = {{k}}：轮廓系数最高（{{s}}，越接近 1 越分得开）。已填入簇数，可改。', nInit: '初始化次数', seed: '随机种子', elbow: '肘部法则（惯性）', silhouette: '轮廓系数', fit: '聚类', inertia: '惯性', kmeansName: 'k-means 聚类 k={{k}}（{{features}}）', listSep: '、',
  ruleBuilder: '条件', addCond: '添加条件', addGroup: '添加条件组', and: '且', or: '或', liveCount: '符合条件：{{customers}} / {{total}} 位客户（合并身份后；{{count}} 个不同的 {{key}}）', liveKeys: '符合条件：{{count}} / {{total}} 个不同的 {{key}}（客户身份尚未建立）', rows: '行', save: '保存分群', name: '名称', saved: '已保存',
  tiers: '价值分层（前 20% / 中 30% / 其余）', measure: '度量',
  choose: '选择分群结果', compare: '对比两个分群', diff: '差异', pValue: 'p 值', significant: '显著', members: '成员', drill: '查看客户', export: '导出', rename: '重命名', recompute: '用当前数据重新计算',
  from: '起始日期', to: '结束日期', migrationHelp: '同一交易数据在两个截止日期的 RFM 分群之间，客户如何流动。',
  noTxn: '需要一个包含客户ID、时间和金额（或数量 × 单价）角色的交易数据集。', noSegmentations: '还没有分群结果：先运行 RFM 或 k-means。', noNumeric: '该数据集没有数值列。',
  ops: { eq: '等于', ne: '不等于', in: '属于', between: '介于', contains: '包含', before: '早于', after: '晚于', lastDays: '最近 N 天', empty: '为空', notEmpty: '不为空', gt: '大于', gte: '大于等于', lt: '小于', lte: '小于等于' },
};

export const segEn: typeof segZh = {
  tabs: { rfm: 'RFM', kmeans: 'k-means', rules: 'Rule segments', explorer: 'Explorer', migration: 'Migration' },
  dataset: 'Dataset', transactions: 'Transactions dataset', asOf: 'As of', asOfHelp: 'Defaults to the last transaction date in the data', stale: 'definitions changed: recompute', scheme: 'Scheme', scheme11: 'Classic 11 classes', schemeCn8: 'Chinese 8 classes',
  threshold: 'High/low split', mean: 'Mean', median: 'Median', excludeCancel: 'Exclude cancellations/returns (C invoices, negative quantities)', dayAfter: 'Count recency to the day after', run: 'Run',
  customers: 'Customers', segments: 'Segments', size: 'Size', share: 'Share', sizes: 'Segment sizes', treemap: 'Treemap', profile: 'Profiles', radar: 'Radar', heatmap: 'Segment × feature heatmap (z-scores)',
  channelShare: 'share via {{channel}}',
  featureNames: { recency: 'recency (days)', frequency: 'frequency', monetary: 'monetary', r: 'R score', f: 'F score', m: 'M score', tenure_days: 'tenure (days)', first_purchase: 'first purchase', last_purchase: 'last purchase' },
  features: 'Features', transforms: 'Transforms', k: 'Clusters k', kRange: 'Choose k (2–10)', suggestK: 'Suggested k = {{k}}: the highest silhouette ({{s}}; closer to 1 = better separated); next k = {{k2}} ({{s2}}). Filled in as k; change it if you like.', suggestKOnly: 'Suggested k = {{k}}: the highest silhouette ({{s}}; closer to 1 = better separated). Filled in as k; change it if you like.', nInit: 'Restarts (n_init)', seed: 'Seed', elbow: 'Elbow (inertia)', silhouette: 'Silhouette', fit: 'Cluster', inertia: 'Inertia', kmeansName: 'k-means k={{k}} ({{features}})', listSep: ', ',
  ruleBuilder: 'Conditions', addCond: 'Add condition', addGroup: 'Add group', and: 'AND', or: 'OR', liveCount: 'Matching: {{customers}} of {{total}} customers (after identity; {{count}} distinct {{key}} values)', liveKeys: 'Matching: {{count}} of {{total}} distinct {{key}} values (customer identity not built yet)', rows: 'rows', save: 'Save segment', name: 'Name', saved: 'Saved',
  tiers: 'Value tiers (top 20% / next 30% / rest)', measure: 'Measure',
  choose: 'Segmentation', compare: 'Compare two segments', diff: 'Difference', pValue: 'p-value', significant: 'significant', members: 'Members', drill: 'View customers', export: 'Export', rename: 'Rename', recompute: 'Recompute on current data',
  from: 'From', to: 'To', migrationHelp: 'How customers move between RFM segments computed on the same transactions at two as-of dates.',
  noTxn: 'Needs a transactions dataset with customer id, timestamp and amount (or quantity × unit price) roles.', noSegmentations: 'No segmentations yet: run RFM or k-means first.', noNumeric: 'This dataset has no numeric columns.',
  ops: { eq: '=', ne: '≠', in: 'in', between: 'between', contains: 'contains', before: 'before', after: 'after', lastDays: 'in the last N days', empty: 'is empty', notEmpty: 'is not empty', gt: '>', gte: '≥', lt: '<', lte: '≤' },
};

export const dashZh = {
  title: '仪表盘', period: '期间', vsPrev: '较上期', customers: '客户数', active: '活跃客户（近 90 天）', revenue: '销售额', orders: '订单数', aov: '客单价', repeat: '复购率',
  trend: '月度趋势', byChannel: '按渠道', byRegion: '按地区', bySegment: '按分群', heat: '下单时间热力图（星期 × 小时）', allChannels: '全部渠道', allRegions: '全部地区', noSegmentation: '不按分群',
  weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
};
export const dashEn: typeof dashZh = {
  title: 'Dashboard', period: 'Period', vsPrev: 'vs previous', customers: 'Customers', active: 'Active (last 90 days)', revenue: 'Revenue', orders: 'Orders', aov: 'Avg order value', repeat: 'Repeat rate',
  trend: 'Monthly trend', byChannel: 'By channel', byRegion: 'By region', bySegment: 'By segment', heat: 'Orders by weekday × hour', allChannels: 'All channels', allRegions: 'All regions', noSegmentation: 'No segmentation',
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
