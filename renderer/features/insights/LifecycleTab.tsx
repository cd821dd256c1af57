/** Lifecycle: stage funnel, stage × month stacked area, Sankey between two dates, actions with "create segment". */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Row, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart, PALETTE } from '../../components/Chart';
import { DateField } from '../../components/DateField';
import type { LifecycleResult, Stage } from '../../../shared/api/insights';
import { isCustomerList, isOrders, opt, Pick, pct } from './shared';

const STAGE_COLOR: Record<string, string> = { prospect: '#94a3b8', new: '#1f6feb', growing: '#2da44e', mature: '#1b7c83', declining: '#bf8700', churned: '#cf222e', won_back: '#8250df', none: '#d0d7de' };

export default function LifecycleTab() {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const hasCustomerList = datasets.some(isCustomerList);
  const { message } = AntApp.useApp();
  const zh = i18n.language.startsWith('zh');
  const [orders, setOrders] = useState<string>();
  const [customers, setCustomers] = useState<string>();
  const [asOf, setAsOf] = useState('');
  const [compareTo, setCompareTo] = useState('');
  const [r, setR] = useState<LifecycleResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<Record<string, string>>({});
  const run = useCallback(async () => {
    if (!orders) return;
    setBusy(true);
    try {
      const res = await call('insights/lifecycle', { datasetId: orders, customersDataset: opt(customers), asOf: asOf || undefined, compareTo: compareTo || undefined, months: 12 });
      setR(res);
      if (!asOf) setAsOf(res.asOf);
      if (!compareTo) setCompareTo(res.compareTo);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }, [orders, customers, asOf, compareTo, fail]);
  // First run as soon as the pickers have their defaults.
  const [auto, setAuto] = useState(true);
  useEffect(() => {
    if (auto && orders && (customers !== undefined || !hasCustomerList)) {
      setAuto(false);
      void run();
    }
  }, [auto, orders, customers, hasCustomerList, run]);
  const makeSegment = async (stage: Stage) => {
    if (!orders || !r) return;
    try {
      const s = await call('insights/lifecycle/segment', { datasetId: orders, customersDataset: opt(customers), asOf: r.asOf, stages: [stage] });
      setMade((m) => ({ ...m, [stage]: s.segmentation.name }));
      message.success(t('ins.segmentSaved', { name: s.segmentation.name, n: s.members }));
    } catch (e) {
      fail(e);
    }
  };
  const label = (s: { zh: string; en: string }) => (zh ? s.zh : s.en);
  const nodeLabel = new Map(r?.transitions.nodes.map((n) => [n.id, `${label(n)} ${n.side === 1 ? r.transitions.from : r.transitions.to}`]) ?? []);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('ins.orders')}</span>
          <Pick value={orders} onChange={setOrders} filter={isOrders} testId="lc-orders" />
          <span>{t('ins.customerList')}</span>
          <Pick value={customers} onChange={setCustomers} filter={isCustomerList} testId="lc-customers" optional />
          <span>{t('ins.asOf')}</span>
          <DateField value={asOf} onChange={setAsOf} testId="lc-asof" />
          <span>{t('ins.compareTo')}</span>
          <DateField value={compareTo} onChange={setCompareTo} testId="lc-compare" />
          <Button type="primary" loading={busy} onClick={() => void run()} data-testid="lc-run">{t('ins.run')}</Button>
        </Space>
      </Card>
      {r && (
        <>
          <Typography.Text type="secondary" data-testid="lc-summary">{t('ins.lcSummary', { n: r.customers.toLocaleString(), date: r.asOf, skipped: r.skippedRows })}</Typography.Text>
          <Row gutter={12}>
            <Col xs={24} lg={9}>
              <Chart
                testId="chart-lc-funnel"
                filename="lifecycle-funnel"
                title={t('ins.funnel', { date: r.asOf })}
                height={340}
                option={{
                  tooltip: { trigger: 'item', formatter: '{b}: {c}' },
                  series: [{ type: 'funnel', sort: 'none', left: '4%', width: '68%', minSize: '12%', label: { formatter: (q: unknown) => { const p = q as { name: string; value: number }; return `${p.name} ${p.value}`; } }, data: r.stages.map((s) => ({ name: label(s), value: s.count, itemStyle: { color: STAGE_COLOR[s.stage] } })) }],
                }}
              />
            </Col>
            <Col xs={24} lg={15}>
              <Chart
                testId="chart-lc-trend"
                filename="lifecycle-trend"
                title={t('ins.trend')}
                height={340}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 50, right: 20, top: 40, bottom: 30 },
                  xAxis: { type: 'category', boundaryGap: false, data: r.trend.months },
                  yAxis: { type: 'value' },
                  series: r.stages.map((s) => ({ name: label(s), type: 'line', stack: 'all', areaStyle: {}, symbol: 'none', color: STAGE_COLOR[s.stage], data: r.trend.counts[s.stage] })),
                }}
              />
            </Col>
          </Row>
          <Chart
            testId="chart-lc-sankey"
            filename="lifecycle-sankey"
            title={t('ins.sankey', { from: r.transitions.from, to: r.transitions.to })}
            height={420}
            option={{
              tooltip: { trigger: 'item', formatter: (q: unknown) => { const p = q as { dataType?: string; data: { source?: string; target?: string; value: number; name?: string } }; return p.dataType === 'edge' ? `${nodeLabel.get(p.data.source!)} → ${nodeLabel.get(p.data.target!)}: ${p.data.value}` : `${nodeLabel.get(p.data.name!)}: ${p.data.value}`; } },
              series: [
                {
                  type: 'sankey',
                  left: 20,
                  right: 150,
                  nodeGap: 10,
                  emphasis: { focus: 'adjacency' },
                  lineStyle: { color: 'gradient', opacity: 0.35 },
                  label: { formatter: (q: unknown) => { const p = q as { name: string; value: number }; return `${nodeLabel.get(p.name)} (${p.value})`; } },
                  data: r.transitions.nodes.map((n) => ({ name: n.id, value: n.value, itemStyle: { color: STAGE_COLOR[n.stage] ?? PALETTE[0] } })),
                  links: r.transitions.links,
                },
              ],
            }}
          />
          <Card size="small" title={t('ins.actions')}>
            <Table
              size="small"
              rowKey="stage"
              pagination={false}
              data-testid="lc-actions"
              dataSource={[...r.stages].sort((a, b) => a.priority - b.priority)}
              columns={[
                { title: t('ins.stage'), dataIndex: 'stage', render: (_: string, s) => <Tag color={STAGE_COLOR[s.stage]}>{label(s)}</Tag> },
                { title: t('ins.customers'), dataIndex: 'count', align: 'right' },
                { title: t('ins.share'), dataIndex: 'share', align: 'right', render: (v: number) => pct(v) },
                { title: t('ins.medianSince'), dataIndex: 'medianDaysSinceLast', align: 'right', render: (v: number | null) => (v == null ? '—' : v.toFixed(0)) },
                { title: t('ins.action'), key: 'action', render: (_: unknown, s) => (zh ? s.actionZh : s.actionEn) },
                {
                  title: '',
                  key: 'seg',
                  render: (_: unknown, s) =>
                    made[s.stage] ? (
                      <Tag color="green" data-testid={`lc-made-${s.stage}`}>{made[s.stage]}</Tag>
                    ) : (
                      <Button size="small" disabled={!s.count} onClick={() => void makeSegment(s.stage)} data-testid={`lc-segment-${s.stage}`}>{t('ins.createSegment')}</Button>
                    ),
                },
              ]}
            />
            <Alert style={{ marginTop: 8 }} type="info" showIcon message={t('ins.segmentHelp')} />
          </Card>
        </>
      )}
    </Space>
  );
}
