/** Link tab: build the single customer view from chosen datasets and show what linked them. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, InputNumber, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { useJob } from '../../components/pickers';
import { Chart } from '../../components/Chart';
import { JobProgress } from '../jobs/JobsDrawer';
import type { LinkSummary } from '../../../shared/api/customers';
import type { DatasetInfo } from '../../../shared/types';

const linkable = (d: DatasetInfo) => d.columns.some((c) => c.role && ['customer_id', 'phone', 'email', 'name'].includes(c.role));

export default function LinkTab() {
  const { t } = useTranslation();
  const { datasets, fail } = useApp();
  const options = useMemo(() => datasets.filter(linkable), [datasets]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [threshold, setThreshold] = useState(0.5);
  const [summary, setSummary] = useState<LinkSummary | null>(null);
  const onDone = useCallback((r: LinkSummary) => setSummary(r), []);
  const [job, setJob] = useJob('customers/link', onDone);
  useEffect(() => {
    call('customers/link/summary', {}).then(setSummary).catch(fail);
  }, [fail]);
  // default: every linkable dataset that is an import (derived results repeat their sources)
  const value = chosen ?? options.filter((d) => d.kind === 'import').map((d) => d.id);
  const run = () => call('customers/link', { datasets: value, threshold, oneToOne: false, dedupeWithin: true }).then((x) => setJob(x.jobId)).catch(fail);
  const s = summary;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('cust.linkHelp')}</Typography.Paragraph>
      <Card size="small">
        <Space wrap>
          <span>{t('cust.chooseDatasets')}</span>
          <Select mode="multiple" style={{ minWidth: 420 }} value={value} onChange={setChosen} options={options.map((d) => ({ value: d.id, label: `${d.name} (${d.rowCount.toLocaleString()})` }))} data-testid="link-datasets" />
          <span>{t('cust.threshold')}</span>
          <InputNumber min={0.01} max={0.99} step={0.05} value={threshold} onChange={(v) => v !== null && setThreshold(v)} style={{ width: 80 }} />
          <Button type="primary" onClick={() => void run()} disabled={!value.length} loading={job?.status === 'running' || job?.status === 'queued'} data-testid="link-run">
            {t('cust.runLink')}
          </Button>
        </Space>
        {job && job.status === 'running' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {s && (
        <div data-testid="link-summary">
          <Typography.Text type="secondary">{t('cust.lastLinked', { at: s.linkedAt.slice(0, 19).replace('T', ' '), s: s.seconds })}</Typography.Text>
          <Row gutter={12} style={{ marginTop: 8 }}>
            {(
              [
                ['customers', s.customers],
                ['links', s.links],
                ['multiDataset', s.multiDataset],
                ['multiRecord', s.multiRecord],
                ['events', s.events],
                ['unlinked', s.unlinked],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} flex="1">
                <Card size="small"><Statistic title={t(`cust.${k}`)} value={v} valueStyle={{ fontSize: 22 }} data-testid={`link-${k}`} /></Card>
              </Col>
            ))}
          </Row>
          <Row gutter={12} style={{ marginTop: 12 }}>
            <Col xs={24} lg={10}>
              <Chart
                testId="chart-link-rules"
                filename="links-by-rule"
                title={t('cust.linksByRule')}
                height={260}
                option={{
                  tooltip: {},
                  grid: { left: 110, right: 70, top: 10, bottom: 30 },
                  xAxis: { type: 'value' },
                  yAxis: { type: 'category', data: Object.keys(s.byRule).map((k) => t(`cust.rules.${k}`)) },
                  series: [{ type: 'bar', data: Object.values(s.byRule), label: { show: true, position: 'right' } }],
                }}
              />
            </Col>
            <Col xs={24} lg={14}>
              <Card size="small" title={t('cust.perDataset')}>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={s.datasets}
                  columns={[
                    { title: t('cust.dataset'), dataIndex: 'name', render: (n: string, d) => <Space>{n}{d.person && <Tag>{t('cust.name')}</Tag>}</Space> },
                    { title: t('cust.rows'), dataIndex: 'rows', align: 'right' },
                    { title: t('cust.linked'), dataIndex: 'linked', align: 'right' },
                    { title: t('cust.customers'), dataIndex: 'customers', align: 'right' },
                  ]}
                />
                {s.fuzzyPasses.length > 0 && (
                  <Table
                    size="small"
                    style={{ marginTop: 8 }}
                    rowKey="name"
                    pagination={false}
                    dataSource={s.fuzzyPasses}
                    columns={[
                      { title: t('cust.passes'), dataIndex: 'name' },
                      { title: t('cust.pairs'), dataIndex: 'pairsCompared', align: 'right' },
                      { title: t('cust.matches'), dataIndex: 'matches', align: 'right', render: (m: number, p) => (p.skipped ? <Tag color="orange" title={t('cust.skipped', { f: p.suspectFields.join(', ') })}>{m} ✕</Tag> : m) },
                    ]}
                  />
                )}
                {s.fuzzyPasses.some((p) => p.skipped) && <Alert style={{ marginTop: 8 }} type="warning" showIcon message={s.fuzzyPasses.filter((p) => p.skipped).map((p) => `${p.name}: ${t('cust.skipped', { f: p.suspectFields.join(', ') })}`).join('; ')} />}
              </Card>
            </Col>
          </Row>
        </div>
      )}
    </Space>
  );
}
