export const txtZh = {
  noText: '需要一个含文本列（短信内容、回复内容等）的数据集。', column: '文本列', groupBy: '分组/标签', userDict: '工作区词典（空格分隔，保存在工作区）', analyze: '分析', classify: '训练分类器（k 折验证）',
  summary: '{{docs}} 条文本，{{tokens}} 个词', frequency: '词频（去停用词）', cloud: '词云', bigrams: '常见二元词组', keywords: '各组关键词（TF-IDF）', group: '组', docs: '文本数',
  cvNb: '朴素贝叶斯 {{k}} 折交叉验证', cvLr: 'TF-IDF 逻辑回归 {{k}} 折交叉验证', accuracy: '准确率', label: '类别', logreg: 'TF-IDF 逻辑回归', nb: '朴素贝叶斯',
  predicted: '已为 {{n}} 条未标注文本预测类别', openPredictions: '查看预测结果', allLabelled: '所有文本都有标签，无需预测。', confusion: '混淆矩阵', predictedAxis: '预测', actualAxis: '实际',
  sentiment: '情感分布（平均 {{mean}}）', sentimentByGroup: '各组情感', examples: '最强烈的正面/负面文本', senti: { positive: '正面', neutral: '中性', negative: '负面' },
};
export const txtEn: typeof txtZh = {
  noText: 'Needs a dataset with a text column (message text, replies …).', column: 'Text column', groupBy: 'Group / label', userDict: 'Workspace dictionary (space separated, saved)', analyze: 'Analyze', classify: 'Train classifier (k-fold)',
  summary: '{{docs}} texts, {{tokens}} words', frequency: 'Word frequency (stopwords removed)', cloud: 'Word cloud', bigrams: 'Common bigrams', keywords: 'Keywords per group (TF-IDF)', group: 'Group', docs: 'Texts',
  cvNb: 'Naive Bayes, {{k}}-fold cross-validation', cvLr: 'TF-IDF logistic regression, {{k}}-fold cross-validation', accuracy: 'Accuracy', label: 'Class', logreg: 'TF-IDF logistic regression', nb: 'Naive Bayes',
  predicted: 'Labels predicted for {{n}} unlabelled texts', openPredictions: 'Open predictions', allLabelled: 'Every text is labelled; nothing to predict.', confusion: 'Confusion matrix', predictedAxis: 'Predicted', actualAxis: 'Actual',
  sentiment: 'Sentiment (mean {{mean}})', sentimentByGroup: 'Sentiment by group', examples: 'Strongest positive / negative texts', senti: { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' },
};
