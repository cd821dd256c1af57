/** Journeys: top paths with conversion rates, the step Sankey, step timings, attribution models side by side. */
import { useCallback, useEffect, useState } from 'react';
import { Card, Col, InputNumber, Row, Segmented, Select, Space, Statistic, Switch, Table, Tag, Typography, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import type { JourneyResult } from '../../../shared/api/insights';
import { fmt, isOrders, isTouches, Pick, pct } from './shared';

type PathRow = JourneyResult['topPaths'][number];

export default function JourneysTab() {
  const { t, i18n } = useTranslation();
  const { fail } = useApp();
  const zh = i18n.language.startsWith('zh');
  const [touches, setTouches] = useState<string>();
  const [orders, setOrders] = useState<string>();
  const [lookback, setLookback] = useState(30);
  const [collapse, setCollapse] = useState(false);
  const [by, setBy] = useState<'channel' | 'campaign'>('channel');
  const [credit, setCredit] = useState<'byChannel' | 'byCampaign'>('byChannel');
  const [r, setR] = useState<JourneyResult | null>(null);
  const run = useCallback(async () => {
    if (!touches || !orders) return;
    try {
      setR(await call('insights/journeys', { touches, orders, lookbackDays: lookback, collapseRepeats: collapse, by, top: 20, minPaths: 20, halfLifeDays: 7 }));
    } catch (e) {
      fail(e);
    }
  }, [touches, orders, lookback, collapse, by, fail]);
  const [auto, setAuto] = useState(true);
  useEffect(() => {
    if (auto && touches && orders) {
      setAuto(false);
      void run();
    }
  }, [auto, touches, orders, run]);
  const best = r?.bestPaths[0]?.key;
  const outcome = (name: string) => (name === '购买' ? t('ins.purchase') : name === '未购买' ? t('ins.noPurchase') : name);
  const pathCols = [
    { title: t('ins.path'), dataIndex: 'key', render: (_: string, p: PathRow) => <Space size={2} wrap>{p.steps.map((s, i) => <Tag key={i} color={p.key === best ? 'green' : undefined}>{s}</Tag>)}</Space> },
    { title: t('ins.paths'), dataIndex: 'paths', align: 'right' as const },
    { title: t('ins.conversions'), dataIndex: 'conversions', align: 'right' as const },
    { title: t('ins.convRate'), dataIndex: 'conversionRate', align: 'right' as const, render: (v: number) => pct(v) },
    { title: t('ins.ci'), key: 'ci', align: 'right' as const, render: (_: unknown, p: PathRow) => `${pct(p.ci[0])}–${pct(p.ci[1])}` },
    { title: t('ins.value'), dataIndex: 'value', align: 'right' as const, render: (v: number) => fmt(v) },
  ];
  const credits = r?.attribution[credit] ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('ins.touches')}</span>
          <Pick value={touches} onChange={setTouches} filter={isTouches} prefer={(d) => d.columns.some((c) => c.role === 'campaign') && !d.columns.some((c) => c.role === 'name')} testId="jr-touches" />
          <span>{t('ins.orders')}</span>
          <Pick value={orders} onChange={setOrders} filter={isOrders} testId="jr-orders" />
          <span>{t('ins.lookback')}</span>
          <InputNumber min={1} max={365} value={lookback} onChange={(v) => v && setLookback(v)} style={{ width: 70 }} />
          <span>{t('ins.collapse')}</span>
          <Switch checked={collapse} onChange={setCollapse} data-testid="jr-collapse" />
          <Select style={{ width: 110 }} value={by} onChange={setBy} options={[{ value: 'channel', label: t('ins.byChannel') }, { value: 'campaign', label: t('ins.byCampaign') }]} />
          <Button type="primary" onClick={() => void run()} data-testid="jr-run">{t('ins.run')}</Button>
        </Space>
      </Card>
      {r && (
        <>
          <Row gutter={12}>
            <Col flex="1"><Card size="small"><Statistic title={t('ins.touchCount')} value={r.touches} /></Card></Col>
            <Col flex="1"><Card size="small"><Statistic title={t('ins.purchases')} value={r.purchases} /></Card></Col>
            <Col flex="1"><Card size="small"><Statistic title={t('ins.pathsWithTouches')} value={r.paths - r.direct.purchases} /></Card></Col>
            <Col flex="1"><Card size="small"><Statistic title={t('ins.direct')} value={r.direct.purchases} /></Card></Col>
            <Col flex="1"><Card size="small"><Statistic title={t('ins.lastToPurchase')} value={r.timings.lastTouchToPurchase.medianDays ?? '—'} suffix={t('ins.days')} /></Card></Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('ins.topPaths')}>
                <Table size="small" rowKey="key" pagination={{ pageSize: 10 }} data-testid="jr-paths" dataSource={r.topPaths} columns={pathCols} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('ins.bestPaths', { n: 20 })}>
                <Table size="small" rowKey="key" pagination={false} data-testid="jr-best" dataSource={r.bestPaths.slice(0, 6)} columns={pathCols} />
                <Typography.Text type="secondary">{t('ins.directHelp', { n: r.direct.purchases, d: r.lookbackDays })}</Typography.Text>
              </Card>
            </Col>
          </Row>
          <Chart
            testId="chart-jr-sankey"
            filename="journey-sankey"
            title={t('ins.journeySankey')}
            height={420}
            option={{
              tooltip: { trigger: 'item' },
              series: [{ type: 'sankey', left: 20, right: 120, nodeGap: 8, emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', opacity: 0.35 }, label: { formatter: (q: unknown) => outcome((q as { name: string }).name) }, data: r.sankey.nodes.map((n) => ({ name: n.name })), links: r.sankey.links }],
            }}
          />
          <Chart
            testId="chart-jr-attribution"
            filename="attribution"
            title={t('ins.attribution')}
            height={360}
            extra={<Segmented size="small" value={credit} onChange={(v) => setCredit(v as typeof credit)} options={[{ value: 'byChannel', label: t('ins.byChannel') }, { value: 'byCampaign', label: t('ins.byCampaign') }]} />}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 70, right: 20, top: 40, bottom: 30 },
              xAxis: { type: 'category', data: credits.map((c) => c.name) },
              yAxis: { type: 'value', name: t('ins.value') },
              series: r.attribution.models.map((m) => ({ name: zh ? m.zh : m.en, type: 'bar', data: credits.map((c) => Math.round(c.credits[m.model]!.value)) })),
            }}
          />
          <Typography.Text type="secondary">{t('ins.attrHelp', { v: fmt(r.attribution.attributedValue), u: fmt(r.attribution.unattributedValue) })}</Typography.Text>
          <Card size="small" title={t('ins.timings')}>
            <Table
              size="small"
              rowKey="k"
              pagination={false}
              dataSource={[
                ...r.timings.byStep.map((s) => ({ k: `${s.from}→${s.to}`, ...s })),
                { k: t('ins.lastToPurchase'), ...r.timings.lastTouchToPurchase },
                { k: t('ins.firstToPurchase'), ...r.timings.firstTouchToPurchase },
              ]}
              columns={[
                { title: t('ins.gap'), dataIndex: 'k' },
                { title: 'n', dataIndex: 'n', align: 'right' },
                { title: t('ins.median'), dataIndex: 'medianDays', align: 'right', render: (v: number | null) => (v == null ? '—' : v.toFixed(1)) },
                { title: 'P90', dataIndex: 'p90Days', align: 'right', render: (v: number | null) => (v == null ? '—' : v.toFixed(1)) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
