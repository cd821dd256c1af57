/** SMS campaigns: report (funnel, A/B, send time, unsubscribes), monitoring with alerts, suppression list, unsubscribe rules. */
import { Fragment, lazy, Suspense, useState } from 'react';
import { Alert, Button, Card, Col, InputNumber, Row, Space, Spin, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { EChartsOption } from 'echarts';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart, weekHourHeatmap } from '../../components/Chart';
import { NeedRoles, NeedWorkspace } from '../../components/NeedWorkspace';
import type { SmsReport } from '../../../shared/api/sms';

import { smsScore } from './datasets';
import { SlotSelect } from '../../components/pickers';
import { ruleText } from '../../i18n/codes';
import { slotFit } from '../../../shared/pickers';

const MonitorTab = lazy(() => import('./MonitorTab'));
const SuppressionTab = lazy(() => import('./SuppressionTab'));
const UpliftTab = lazy(() => import('./UpliftTab'));
const pct = (v: number) => (v * 100).toFixed(1);

export default function CampaignsPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const [tab, setTab] = useState('report');
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  const lazyTab = (node: React.ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;
  return (
    <div>
      <AreaTitle area="campaigns" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden={false}
        items={[
          { key: 'report', label: t('sms.tabReport'), children: <ReportTab /> },
          { key: 'monitor', label: <span data-testid="tab-monitor">{t('sms.tabMonitor')}</span>, children: lazyTab(<MonitorTab />) },
          { key: 'suppression', label: <span data-testid="tab-suppression">{t('sms.tabSuppression')}</span>, children: lazyTab(<SuppressionTab />) },
          { key: 'uplift', label: <span data-testid="tab-uplift">{t('sms.tabUplift')}</span>, children: lazyTab(<UpliftTab />) },
        ]}
      />
    </div>
  );
}

function ReportTab() {
  const { t, i18n } = useTranslation();
  const { datasets, fail } = useApp();
  const zh = i18n.language.startsWith('zh');
  const anySends = datasets.some((d) => slotFit(d, 'sends').fits);
  const [sends, setSends] = useState<string>();
  const [replies, setReplies] = useState<string>();
  const [clicks, setClicks] = useState<string>();
  const [receipts, setReceipts] = useState<string>();
  const [orders, setOrders] = useState<string>();
  const [windowDays, setWindowDays] = useState(7);
  const [r, setR] = useState<SmsReport | null>(null);
  const [unsub, setUnsub] = useState<{ phone: string; time: string; text: string; rule: string }[] | null>(null);
  const run = async () => {
    const s = sends;
    if (!s) return;
    // the pickers hold the chosen dataset, or '' when an optional input was cleared (or none fits)
    const rep = replies || undefined;
    const ord = orders || undefined;
    const clk = clicks || undefined;
    const rec = receipts || undefined;
    try {
      setR(await call('sms/report', { sends: s, replies: rep, clicks: clk, receipts: rec, orders: ord, windowDays }));
      setUnsub(rep ? (await call('sms/unsubscribes', { replies: rep })).rows : null);
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div>
      {!anySends ? (
        <NeedRoles message={t('sms.noSends')} testId="need-sends" />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Card size="small">
            <Space wrap align="baseline">
              <Space size={4} align="baseline">
                <span>{t('sms.sends')}</span>
                <SlotSelect slot="sends" value={sends} onChange={setSends} testId="sms-sends" rank={smsScore} />
              </Space>
              <Space size={4} align="baseline">
                <span>{t('sms.replies')}</span>
                <SlotSelect slot="replies" value={replies} onChange={setReplies} testId="sms-replies" optional />
              </Space>
              <Space size={4} align="baseline">
                <span>{t('sms.clicks')}</span>
                <SlotSelect slot="clicks" value={clicks} onChange={setClicks} testId="sms-clicks" optional />
              </Space>
              <Space size={4} align="baseline">
                <span>{t('sms.receipts')}</span>
                <SlotSelect slot="receipts" value={receipts} onChange={setReceipts} testId="sms-receipts" optional />
              </Space>
              <Space size={4} align="baseline">
                <span>{t('sms.orders')}</span>
                <SlotSelect slot="orders" value={orders} onChange={setOrders} testId="sms-orders" optional />
              </Space>
              <span>{t('sms.window')}</span>
              <InputNumber min={1} max={90} value={windowDays} onChange={(v) => v && setWindowDays(v)} style={{ width: 70 }} />
              <Button type="primary" onClick={() => void run()} data-testid="sms-run">{t('sms.run')}</Button>
            </Space>
          </Card>
          {r && (
            <>
              <Row gutter={12}>
                {(['sent', 'delivered', 'clicked', 'replied', 'converted', 'unsubscribed'] as const).map((k) => (
                  <Col key={k} flex="1"><Card size="small" data-testid={`sms-tile-${k}`}><Statistic title={t(`sms.${k}`)} value={r.totals[k]} /></Card></Col>
                ))}
                <Col flex="1"><Card size="small"><Statistic title={t('sms.roi')} value={r.totals.cost ? ((r.totals.revenue - r.totals.cost) / r.totals.cost).toFixed(1) : '—'} /></Card></Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} lg={10}>
                  <Chart testId="chart-funnel" filename="sms-funnel" title={t('sms.funnel')} height={330} option={funnelOption(t, r.totals)} />
                </Col>
                <Col xs={24} lg={14}>
                  <Chart
                    testId="chart-sendtime"
                    filename="send-time"
                    height={330}
                    title={t('sms.heat')}
                    option={weekHourHeatmap(
                      r.grid.filter((c) => c.n > 0).map((c) => ({ weekday: c.weekday, hour: c.hour, value: +(c.rate * 100).toFixed(1), extra: c.n, sparse: c.sparse })),
                      t('dash.weekdays', { returnObjects: true }) as string[],
                      { tooltip: (c) => `${c.weekday} ${c.hour}:00 — ${c.value}% (n=${c.extra})` },
                    )}
                  />
                </Col>
              </Row>
              {r.bestCell && <Alert type="success" showIcon data-testid="sms-best-cell" message={`${t('sms.bestCell')}: ${zh ? r.bestCell.recommendationZh : r.bestCell.recommendationEn}`} />}
              {r.bestSlot && (
                <Alert type="info" showIcon data-testid="sms-best" message={t('sms.best', { from: r.bestSlot.startHour, to: r.bestSlot.endHour, rate: pct(r.bestSlot.rate), lo: pct(r.bestSlot.lower), hi: pct(r.bestSlot.upper) })} />
              )}
              {/* The definitions behind every figure: window, status classes per dataset, attribution rule. */}
              <Typography.Text type="secondary" data-testid="sms-definitions">
                {/* column names and the file's status values are the user's data; the classes are ours */}
                {t('sms.definitions', { w: r.definitions.windowDays })}
                {r.definitions.statuses.map((d, i) => (
                  <Fragment key={d.datasetId + i}>
                    {i > 0 && t('sms.listSep')}
                    <span data-user-data>{d.column ?? '—'}</span>:{' '}
                    {Object.entries(d.classes).map(([cls, raws], j) => (
                      <Fragment key={cls}>
                        {j > 0 && ', '}
                        {t(`definitions.classes.${cls}`)} = <span data-user-data>{raws.join('/')}</span>
                      </Fragment>
                    ))}
                  </Fragment>
                ))}
                {t('sms.definitionsEnd')}{' '}
                {zh ? r.definitions.attributionZh : r.definitions.attributionEn}
              </Typography.Text>
              <Table
                size="small"
                rowKey="campaign"
                pagination={false}
                data-testid="sms-campaigns"
                dataSource={r.campaigns}
                expandable={{ defaultExpandAllRows: true, expandedRowRender: (c) => (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Table size="small" rowKey="variant" pagination={false} dataSource={c.variants} columns={[
                      { title: t('sms.variant'), dataIndex: 'variant' },
                      { title: t('sms.sent'), dataIndex: 'sent', align: 'right' },
                      { title: t('sms.delivered'), dataIndex: 'delivered', align: 'right' },
                      { title: t('sms.clicked'), dataIndex: 'clicked', align: 'right' },
                      { title: t('sms.converted'), dataIndex: 'converted', align: 'right' },
                      { title: t('sms.rate'), dataIndex: 'rate', align: 'right', render: (v: number) => `${pct(v)}%` },
                      { title: t('sms.ci'), dataIndex: 'ci', align: 'right', render: (v: [number, number]) => `${pct(v[0])}–${pct(v[1])}%` },
                    ]} />
                    {c.length && (
                      <Typography.Text type={c.length.spilled ? 'warning' : 'secondary'}>
                        {t('sms.length', { enc: c.length.encoding, seg: c.length.typicalSegments, total: c.length.segmentsSent })}
                        {c.length.spilled > 0 && ` ${t('sms.spilled', { n: c.length.spilled, max: c.length.maxSegments })}`}
                      </Typography.Text>
                    )}
                    {c.abTest?.tests.map((x) => <Tag key={x.variant} color={x.pHolm < 0.05 ? 'green' : 'default'} style={{ whiteSpace: 'normal', padding: 6 }}>{zh ? x.verdictZh : x.verdictEn}</Tag>)}
                  </Space>
                ) }}
                columns={[
                  { title: t('sms.campaign'), dataIndex: 'campaign' },
                  { title: t('sms.sent'), dataIndex: 'sent', align: 'right' },
                  { title: t('sms.delivered'), dataIndex: 'delivered', align: 'right', render: (v: number, c) => `${v} (${pct(v / c.sent)}%)` },
                  { title: t('sms.clicked'), dataIndex: 'clicked', align: 'right', render: (v: number, c) => `${v} (${pct(v / Math.max(1, c.delivered))}%)` },
                  { title: t('sms.replied'), dataIndex: 'replied', align: 'right' },
                  { title: t('sms.converted'), dataIndex: 'converted', align: 'right', render: (v: number, c) => `${v} (${pct(v / Math.max(1, c.delivered))}%)` },
                  { title: t('sms.unsubscribed'), dataIndex: 'unsubscribed', align: 'right' },
                  { title: t('sms.cost'), dataIndex: 'cost', align: 'right' },
                  { title: t('sms.cpc'), dataIndex: 'costPerConversion', align: 'right', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
                  { title: t('sms.revenue'), dataIndex: 'revenue', align: 'right', render: (v: number) => v.toLocaleString() },
                  { title: t('sms.refunded'), dataIndex: 'refunded', align: 'right', render: (v: number, c) => (v ? `${v} (${c.refundedRevenue.toLocaleString()})` : '0') },
                ]}
              />
              <Planner />
              {unsub && (
                <Card size="small" title={`${t('sms.unsubList')} (${unsub.length})`}>
                  <Table size="small" rowKey={(x) => x.phone + x.time} dataSource={unsub} pagination={{ pageSize: 8 }} columns={[{ title: t('sms.unsubCols.phone'), dataIndex: 'phone' }, { title: t('sms.unsubCols.time'), dataIndex: 'time' }, { title: t('sms.unsubCols.text'), dataIndex: 'text', render: (v: string) => <span data-user-data>{v}</span> }, { title: t('sms.unsubCols.rule'), dataIndex: 'rule', render: (v: string) => ruleText(t, v) }]} />
                </Card>
              )}
            </>
          )}
        </Space>
      )}
    </div>
  );
}

/** A/B planner: how many customers per variant to detect a lift, and the power curve. */
function Planner() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [p1, setP1] = useState(10);
  const [p2, setP2] = useState(12);
  const [plan, setPlan] = useState<{ perVariant: number; total: number; curve: { n: number; power: number }[] } | null>(null);
  return (
    <Card size="small" title={t('sms.planner')} data-testid="ab-planner">
      <Space wrap>
        <span>{t('sms.baseRate')}</span>
        <InputNumber min={0.1} max={99} step={0.5} value={p1} onChange={(v) => v && setP1(v)} style={{ width: 100 }} suffix="%" />
        <span>{t('sms.targetRate')}</span>
        <InputNumber min={0.1} max={99} step={0.5} value={p2} onChange={(v) => v && setP2(v)} style={{ width: 100 }} suffix="%" />
        <Button onClick={() => call('sms/sample-size', { p1: p1 / 100, p2: p2 / 100 }).then(setPlan).catch(fail)} data-testid="ab-plan">{t('sms.plan')}</Button>
        {plan && <Typography.Text strong data-testid="ab-plan-result">{t('sms.planResult', { n: plan.perVariant.toLocaleString(), total: plan.total.toLocaleString() })}</Typography.Text>}
      </Space>
      {plan && (
        <Chart height={200} filename="power-curve" option={{ tooltip: { trigger: 'axis' }, grid: { left: 50, right: 20, top: 10, bottom: 30 }, xAxis: { type: 'category', name: 'n', data: plan.curve.map((c) => c.n.toLocaleString()) }, yAxis: { type: 'value', min: 0, max: 1 }, series: [{ type: 'line', data: plan.curve.map((c) => +c.power.toFixed(3)), markLine: { symbol: 'none', data: [{ yAxis: 0.8 }] } }] }} />
      )}
    </Card>
  );
}

/**
 * The funnel in its stage order, never re-sorted by size: sent → delivered → converted. A conversion
 * is an order within the window after delivery, with or without a click, so clicks and replies are
 * responses beside the funnel (their own tiles above), not stages of it: drawn inside, a stage
 * could be wider than the one before. Labels sit to the right, with the share of sent, so the
 * narrow end is not cut.
 */
function funnelOption(t: TFunction, totals: SmsReport['totals']): EChartsOption {
  const stages = (['sent', 'delivered', 'converted'] as const).map((k) => ({ k, n: totals[k] }));
  const sent = totals.sent || 1;
  return {
    tooltip: { trigger: 'item', formatter: (p: unknown) => { const d = p as { name: string; value: number }; return `${d.name}: ${d.value.toLocaleString()} (${((d.value / sent) * 100).toFixed(1)}%)`; } },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '4%',
        width: '56%',
        minSize: '8%',
        gap: 2,
        label: { position: 'right', formatter: (p: unknown) => { const d = p as { name: string; value: number }; return `${d.name} ${d.value.toLocaleString()} (${((d.value / sent) * 100).toFixed(1)}%)`; } },
        labelLine: { length: 12 },
        data: stages.map(({ k, n }) => ({ name: t(`sms.${k}`), value: n })),
      },
    ],
  };
}
