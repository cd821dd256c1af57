export const txtZh = {
  noText: '需要一个含文本列（短信内容、回复内容等）的数据集。', column: '文本列', groupBy: '分组/标签', userDict: '自定义词典（空格分隔）', analyze: '分析', classify: '训练分类器（k 折验证）',
  summary: '{{docs}} 条文本，{{tokens}} 个词', frequency: '词频（去停用词）', cloud: '词云', bigrams: '常见二元词组', keywords: '各组关键词（TF-IDF）', group: '组', docs: '文本数',
  cv: '朴素贝叶斯 {{k}} 折交叉验证', accuracy: '准确率', label: '类别',
};
export const txtEn: typeof txtZh = {
  noText: 'Needs a dataset with a text column (message text, replies …).', column: 'Text column', groupBy: 'Group / label', userDict: 'User dictionary (space separated)', analyze: 'Analyze', classify: 'Train classifier (k-fold)',
  summary: '{{docs}} texts, {{tokens}} words', frequency: 'Word frequency (stopwords removed)', cloud: 'Word cloud', bigrams: 'Common bigrams', keywords: 'Keywords per group (TF-IDF)', group: 'Group', docs: 'Texts',
  cv: 'Naive Bayes, {{k}}-fold cross-validation', accuracy: 'Accuracy', label: 'Class',
};
