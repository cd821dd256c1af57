/** Text: word frequencies (bar + sized tag cloud), bigrams, keywords per group, sentiment, classifiers (TF-IDF logistic regression or NB) with k-fold metrics and predictions for unlabelled texts. */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart, PALETTE, pieOption } from '../../components/Chart';
import { DatasetSelect, useJob } from '../../components/pickers';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { navigate } from '../../routes';
import { JobProgress } from '../jobs/JobsDrawer';
import type { TextAnalysis } from '../../../shared/api/text';
import type { DatasetInfo } from '../../../shared/types';

const hasText = (d: DatasetInfo) => d.columns.some((c) => c.type === 'text' || c.role === 'message_text' || c.role === 'reply_text');

export default function TextPage() {
  const { t } = useTranslation();
  const { workspace, datasets, fail } = useApp();
  const [ds, setDs] = useState<string>();
  const info = datasets.find((d) => d.id === ds);
  const textCols = info?.columns.filter((c) => ['text', 'category'].includes(c.type)).map((c) => c.name) ?? [];
  const defaultText = info?.columns.find((c) => c.role === 'message_text' || c.role === 'reply_text' || c.type === 'text')?.name;
  const [col, setCol] = useState<string>();
  const [by, setBy] = useState<string>();
  const [dict, setDict] = useState('');
  const [r, setR] = useState<TextAnalysis | null>(null);
  const [method, setMethod] = useState<'logreg' | 'nb'>('logreg');
  // The user dictionary lives in the workspace: loaded here, saved when an analysis runs.
  const wsPath = workspace?.path;
  useEffect(() => {
    if (wsPath) call('text/dictionary/get', {}).then((r) => setDict(r.words.join(' '))).catch(fail);
  }, [wsPath, fail]);
  const analyze = async () => {
    if (!ds || !column) return;
    try {
      await call('text/dictionary/set', { words: dict.split(/[\s,，]+/).filter(Boolean) });
      setR(await call('text/analyze', { datasetId: ds, column, groupBy: by }));
    } catch (e) {
      fail(e);
    }
  };
  const [job, setJob, cls] = useJob('text/classify');
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  const column = col && textCols.includes(col) ? col : defaultText;
  const maxCount = Math.max(1, ...(r?.topTerms.map((x) => x.count) ?? [1]));
  return (
    <div>
      <AreaTitle area="text" />
      {!datasets.some(hasText) ? (
        <Alert type="info" showIcon message={t('txt.noText')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Card size="small">
            <Space wrap>
              <DatasetSelect value={ds} onChange={setDs} filter={hasText} testId="text-dataset" />
              <span>{t('txt.column')}</span>
              <Select style={{ width: 180 }} value={column} onChange={setCol} options={textCols.map((c) => ({ value: c, label: c }))} />
              <span>{t('txt.groupBy')}</span>
              <Select allowClear style={{ width: 160 }} value={by} onChange={setBy} options={(info?.columns ?? []).filter((c) => c.type === 'category' && c.name !== column).map((c) => ({ value: c.name, label: c.name }))} data-testid="text-by" />
              <Input style={{ width: 220 }} placeholder={t('txt.userDict')} value={dict} onChange={(e) => setDict(e.target.value)} data-testid="text-dict" />
              <Button type="primary" data-testid="text-run" onClick={() => void analyze()}>{t('txt.analyze')}</Button>
              {by && <Select style={{ width: 190 }} value={method} onChange={setMethod} data-testid="text-method" options={[{ value: 'logreg', label: t('txt.logreg') }, { value: 'nb', label: t('txt.nb') }]} />}
              {by && <Button data-testid="text-classify" loading={job?.status === 'running'} onClick={() => ds && column && call('text/classify', { datasetId: ds, textColumn: column, labelColumn: by, method }).then((x) => setJob(x.jobId)).catch(fail)}>{t('txt.classify')}</Button>}
            </Space>
            {job && job.status === 'running' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
          </Card>
          {r && (
            <>
              <Typography.Text type="secondary">{t('txt.summary', { docs: r.docs.toLocaleString(), tokens: r.tokens.toLocaleString() })}</Typography.Text>
              <Row gutter={12}>
                <Col xs={24} lg={12}>
                  <Chart testId="chart-terms" filename="word-frequency" height={460} title={t('txt.frequency')} option={{ tooltip: { trigger: 'axis' }, grid: { left: 100, right: 20, top: 10, bottom: 20 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: r.topTerms.slice(0, 25).map((x) => x.term).reverse() }, series: [{ type: 'bar', data: r.topTerms.slice(0, 25).map((x) => x.count).reverse() }] }} />
                </Col>
                <Col xs={24} lg={12}>
                  <Card size="small" title={t('txt.cloud')} data-testid="word-cloud" style={{ height: 510 }}>
                    <div style={{ lineHeight: 2.2, textAlign: 'center' }}>
                      {r.topTerms.map((x, i) => (
                        <span key={x.term} style={{ fontSize: 12 + 28 * Math.sqrt(x.count / maxCount), color: PALETTE[i % PALETTE.length], margin: '0 8px', display: 'inline-block' }}>{x.term}</span>
                      ))}
                    </div>
                  </Card>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} lg={8}>
                  <Chart testId="chart-sentiment" filename="sentiment" height={300} title={t('txt.sentiment', { mean: r.sentiment.mean.toFixed(2) })} option={pieOption((['positive', 'neutral', 'negative'] as const).map((k) => ({ name: t(`txt.senti.${k}`), value: r.sentiment[k], itemStyle: { color: k === 'positive' ? '#2da44e' : k === 'negative' ? '#cf222e' : '#94a3b8' } })))} />
                </Col>
                <Col xs={24} lg={16}>
                  {r.sentiment.byGroup ? (
                    <Chart testId="chart-sentiment-groups" filename="sentiment-by-group" height={300} title={t('txt.sentimentByGroup')} option={{ tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 120, right: 20, top: 30, bottom: 20 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: r.sentiment.byGroup.slice(0, 12).map((g) => g.group).reverse() }, series: (['negative', 'neutral', 'positive'] as const).map((k) => ({ type: 'bar', stack: 's', name: t(`txt.senti.${k}`), itemStyle: { color: k === 'positive' ? '#2da44e' : k === 'negative' ? '#cf222e' : '#cbd5e1' }, data: r.sentiment.byGroup!.slice(0, 12).map((g) => g[k]).reverse() })) }} />
                  ) : (
                    <Card size="small" title={t('txt.examples')} style={{ height: 350, overflow: 'auto' }} data-testid="sentiment-examples">
                      {r.sentiment.examples.map((e, i) => (
                        <div key={i} style={{ marginBottom: 6 }}>
                          <Tag color={e.label === 'positive' ? 'green' : 'red'}>{e.score.toFixed(2)}</Tag>
                          {e.text} <Typography.Text type="secondary">[{e.terms.join(', ')}]</Typography.Text>
                        </div>
                      ))}
                    </Card>
                  )}
                </Col>
              </Row>
              <Card size="small" title={t('txt.bigrams')}>
                <Space wrap>{r.bigrams.map((b) => <Tag key={b.term}>{b.term.replace(' ', '·')} <b>{b.count}</b></Tag>)}</Space>
              </Card>
              {r.keywordsByGroup && (
                <Card size="small" title={t('txt.keywords')} data-testid="text-keywords">
                  <Table size="small" rowKey="group" pagination={false} dataSource={r.keywordsByGroup} columns={[{ title: t('txt.group'), dataIndex: 'group', width: 160 }, { title: t('txt.docs'), dataIndex: 'size', width: 80, align: 'right' }, { title: 'TF-IDF', render: (_, g) => <Space wrap size={[4, 4]}>{g.terms.slice(0, 12).map((x) => <Tag key={x.term}>{x.term}</Tag>)}</Space> }]} />
                </Card>
              )}
            </>
          )}
          {cls && (
            <Card size="small" title={t(cls.method === 'nb' ? 'txt.cvNb' : 'txt.cvLr', { k: cls.folds })} data-testid="text-cv">
              <Row gutter={12} style={{ marginBottom: 8 }}>
                <Col span={6}><Statistic title={t('txt.accuracy')} value={cls.accuracy} precision={4} /></Col>
                <Col span={6}><Statistic title="macro-F1" value={cls.macroF1} precision={4} /></Col>
                <Col span={6}><Statistic title={t('txt.docs')} value={cls.docs} /></Col>
                <Col span={6}>
                  {cls.predictions ? (
                    <Space direction="vertical" size={2}>
                      <Typography.Text>{t('txt.predicted', { n: cls.predictions.rows.toLocaleString() })}</Typography.Text>
                      <Space wrap size={[4, 4]}>{cls.predictions.byLabel.slice(0, 6).map((x) => <Tag key={x.label}>{x.label} {x.count}</Tag>)}</Space>
                      <Button size="small" onClick={() => navigate('data', `ds=${cls.predictions!.datasetId}`)} data-testid="text-predictions">{t('txt.openPredictions')}</Button>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('txt.allLabelled')}</Typography.Text>
                  )}
                </Col>
              </Row>
              <Table size="small" rowKey="label" pagination={false} dataSource={cls.perClass} style={{ marginBottom: 8 }} columns={[{ title: t('txt.label'), dataIndex: 'label' }, { title: 'precision', dataIndex: 'precision', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'recall', dataIndex: 'recall', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'F1', dataIndex: 'f1', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'n', dataIndex: 'support', align: 'right' }]} />
              <Chart
                testId="chart-confusion"
                filename="confusion-matrix"
                height={Math.min(520, 120 + 26 * cls.confusion.labels.length)}
                title={t('txt.confusion')}
                option={{
                  tooltip: { formatter: (p: unknown) => { const v = (p as { value: [number, number, number] }).value; return `${cls.confusion.labels[v[1]]} → ${cls.confusion.labels[v[0]]}: ${v[2]}`; } },
                  grid: { left: 130, right: 30, top: 10, bottom: 90 },
                  xAxis: { type: 'category', data: cls.confusion.labels, name: t('txt.predictedAxis'), axisLabel: { rotate: 40 } },
                  yAxis: { type: 'category', data: cls.confusion.labels, name: t('txt.actualAxis'), inverse: true },
                  visualMap: { show: false, min: 0, max: Math.max(1, ...cls.confusion.matrix.flat()), inRange: { color: ['#f8fafc', '#1f6feb'] } },
                  series: [{ type: 'heatmap', label: { show: cls.confusion.labels.length <= 16 }, data: cls.confusion.matrix.flatMap((row, i) => row.map((v, j) => [j, i, v])) }],
                }}
              />
            </Card>
          )}
        </Space>
      )}
    </div>
  );
}
