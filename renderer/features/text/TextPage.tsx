/** Text: word frequencies (bar + sized tag cloud), bigrams, keywords per group, NB classifier with k-fold metrics. */
import { useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart, PALETTE } from '../../components/Chart';
import { DatasetSelect, useJob } from '../../components/pickers';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { JobProgress } from '../jobs/JobsDrawer';
import type { ClassifyReport, TextAnalysis } from '../../../shared/api/text';
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
  const [job, setJob, cls] = useJob<ClassifyReport>();
  if (!workspace) return <NeedWorkspace />;
  const column = col && textCols.includes(col) ? col : defaultText;
  const maxCount = Math.max(1, ...(r?.topTerms.map((x) => x.count) ?? [1]));
  return (
    <div>
      <Typography.Title level={3} className="seg-page-title">{t('nav.text')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('areas.text')}</Typography.Paragraph>
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
              <Input style={{ width: 220 }} placeholder={t('txt.userDict')} value={dict} onChange={(e) => setDict(e.target.value)} />
              <Button type="primary" data-testid="text-run" onClick={() => ds && column && call('text/analyze', { datasetId: ds, column, groupBy: by, userDict: dict.split(/[\s,，]+/).filter(Boolean) }).then(setR).catch(fail)}>{t('txt.analyze')}</Button>
              {by && <Button data-testid="text-classify" loading={job?.status === 'running'} onClick={() => ds && column && call('text/classify', { datasetId: ds, textColumn: column, labelColumn: by }).then((x) => setJob(x.jobId)).catch(fail)}>{t('txt.classify')}</Button>}
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
            <Card size="small" title={t('txt.cv', { k: cls.folds })} data-testid="text-cv">
              <Row gutter={12} style={{ marginBottom: 8 }}>
                <Col span={6}><Statistic title={t('txt.accuracy')} value={cls.accuracy} precision={4} /></Col>
                <Col span={6}><Statistic title="macro-F1" value={cls.macroF1} precision={4} /></Col>
                <Col span={6}><Statistic title={t('txt.docs')} value={cls.docs} /></Col>
              </Row>
              <Table size="small" rowKey="label" pagination={false} dataSource={cls.perClass} columns={[{ title: t('txt.label'), dataIndex: 'label' }, { title: 'precision', dataIndex: 'precision', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'recall', dataIndex: 'recall', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'F1', dataIndex: 'f1', align: 'right', render: (v: number) => v.toFixed(3) }, { title: 'n', dataIndex: 'support', align: 'right' }]} />
            </Card>
          )}
        </Space>
      )}
    </div>
  );
}
