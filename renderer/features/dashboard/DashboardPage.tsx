/** Dashboard: KPIs with period-over-period change, trend, breakdowns and the order-time heatmap. */
import { useEffect, useState } from 'react';
import { Card, Col, Input, Row, Select, Space, Statistic, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { NeedTransactions, NeedWorkspace } from '../../components/NeedWorkspace';
import { Chart, pieOption, weekHourHeatmap } from '../../components/Chart';
import { isTransactions, SlotSelect } from '../../components/pickers';
import type { DashboardSummary, Kpis } from '../../../shared/api/dashboard';
import { useSegmentations } from '../../state/segmentations';

function Kpi({ title, value, prev, format, testId }: { title: string; value: number; prev: number; format: (v: number) => string; testId: string }) {
  const { t } = useTranslation();
  const change = prev ? (value - prev) / Math.abs(prev) : null;
  return (
    <Card size="small" data-testid={testId}>
      <Statistic title={title} value={format(value)} />
      <Typography.Text type={change === null ? 'secondary' : change >= 0 ? 'success' : 'danger'} style={{ fontSize: 12 }}>
        {change === null ? '—' : <>{change >= 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {(Math.abs(change) * 100).toFixed(1)}% {t('dash.vsPrev')}</>}
      </Typography.Text>
    </Card>
  );
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { workspace, datasets, fail } = useApp();
  const [ds, setDs] = useState<string>();
  const [channel, setChannel] = useState<string>();
  const [region, setRegion] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const segs = useSegmentations().segmentations ?? [];
  const [segmentationId, setSegmentationId] = useState<string>();
  const [d, setD] = useState<DashboardSummary | null>(null);
  useEffect(() => {
    if (!ds) return;
    const ok = (s: string) => /^\d{4}-\d\d-\d\d$/.test(s);
    call('dashboard/summary', { datasetId: ds, channel, region, segmentationId, from: ok(from) ? from : undefined, to: ok(to) ? to : undefined }).then(setD).catch(fail);
  }, [ds, channel, region, segmentationId, from, to, fail]);
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  if (!datasets.some(isTransactions)) return <NeedTransactions />;
  const money = (v: number) => v.toLocaleString(i18n.language, { maximumFractionDigits: 0 });
  const k = (f: (x: Kpis) => number) => [d ? f(d.kpis) : 0, d ? f(d.previousKpis) : 0] as const;
  return (
    <div>
      <Typography.Title level={3} className="seg-page-title">{t('dash.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }} align="baseline">
        <SlotSelect slot="transactions" value={ds} onChange={setDs} testId="dash-dataset" />
        <Select allowClear placeholder={t('dash.allChannels')} style={{ width: 150 }} value={channel} onChange={setChannel} options={(d?.channels ?? []).map((c) => ({ value: c, label: c }))} data-testid="dash-channel" />
        <Select allowClear placeholder={t('dash.allRegions')} style={{ width: 150 }} value={region} onChange={setRegion} options={(d?.regions ?? []).map((c) => ({ value: c, label: c }))} />
        <Select allowClear placeholder={t('dash.noSegmentation')} style={{ width: 240 }} value={segmentationId} onChange={setSegmentationId} options={segs.map((s) => ({ value: s.id, label: s.name }))} />
        <Input style={{ width: 120 }} placeholder={t('seg.from')} value={from} onChange={(e) => setFrom(e.target.value)} />
        <Input style={{ width: 120 }} placeholder={t('seg.to')} value={to} onChange={(e) => setTo(e.target.value)} />
        {d && <Typography.Text type="secondary">{t('dash.period')}: {d.period.from} – {d.period.to}</Typography.Text>}
      </Space>
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Row gutter={[12, 12]}>
            <Col xs={12} lg={4}><Kpi testId="kpi-customers" title={t('dash.customers')} value={k((x) => x.customers)[0]} prev={k((x) => x.customers)[1]} format={(v) => v.toLocaleString()} /></Col>
            <Col xs={12} lg={4}><Kpi testId="kpi-active" title={t('dash.active')} value={k((x) => x.activeCustomers)[0]} prev={k((x) => x.activeCustomers)[1]} format={(v) => v.toLocaleString()} /></Col>
            <Col xs={12} lg={4}><Kpi testId="kpi-revenue" title={t('dash.revenue')} value={k((x) => x.revenue)[0]} prev={k((x) => x.revenue)[1]} format={money} /></Col>
            <Col xs={12} lg={4}><Kpi testId="kpi-orders" title={t('dash.orders')} value={k((x) => x.orders)[0]} prev={k((x) => x.orders)[1]} format={(v) => v.toLocaleString()} /></Col>
            <Col xs={12} lg={4}><Kpi testId="kpi-aov" title={t('dash.aov')} value={k((x) => x.aov)[0]} prev={k((x) => x.aov)[1]} format={(v) => v.toFixed(2)} /></Col>
            <Col xs={12} lg={4}><Kpi testId="kpi-repeat" title={t('dash.repeat')} value={k((x) => x.repeatRate)[0]} prev={k((x) => x.repeatRate)[1]} format={(v) => `${(v * 100).toFixed(1)}%`} /></Col>
          </Row>
          <Chart
            testId="chart-trend"
            filename="monthly-trend"
            title={t('dash.trend')}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 60, right: 60, top: 40, bottom: 30 },
              xAxis: { type: 'category', data: d.monthly.map((m) => m.month) },
              yAxis: [{ type: 'value', name: t('dash.revenue') }, { type: 'value', name: t('dash.orders') }],
              series: [
                { name: t('dash.revenue'), type: 'bar', data: d.monthly.map((m) => m.revenue), itemStyle: { borderRadius: [3, 3, 0, 0] } },
                { name: t('dash.orders'), type: 'line', yAxisIndex: 1, smooth: true, data: d.monthly.map((m) => m.orders) },
              ],
            }}
          />
          <Row gutter={12}>
            {d.byChannel && (
              <Col xs={24} lg={8}>
                <Chart testId="chart-channel" filename="by-channel" title={t('dash.byChannel')} option={{ tooltip: { trigger: 'axis' }, grid: { left: 80, right: 20, top: 10, bottom: 30 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: d.byChannel.map((c) => c.key).reverse() }, series: [{ type: 'bar', data: d.byChannel.map((c) => Math.round(c.revenue)).reverse() }] }} />
              </Col>
            )}
            {d.byRegion && (
              <Col xs={24} lg={8}>
                <Chart testId="chart-region" filename="by-region" title={t('dash.byRegion')} option={pieOption(d.byRegion.slice(0, 10).map((c) => ({ name: c.key, value: Math.round(c.revenue) })))} />
              </Col>
            )}
            {d.bySegment && (
              <Col xs={24} lg={8}>
                <Chart testId="chart-segment" filename="by-segment" title={t('dash.bySegment')} option={pieOption(d.bySegment.map((c) => ({ name: c.name, value: Math.round(c.revenue) })), { ring: false })} />
              </Col>
            )}
          </Row>
          <Chart
            testId="chart-heat"
            filename="order-heatmap"
            title={t('dash.heat')}
            height={300}
            option={weekHourHeatmap(d.heatmap.map((c) => ({ weekday: c.weekday, hour: c.hour, value: c.orders })), t('dash.weekdays', { returnObjects: true }) as string[])}
          />
        </Space>
      )}
    </div>
  );
}
