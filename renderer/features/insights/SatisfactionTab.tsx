/** Satisfaction: NPS trend with its interval band, by group, comment themes, satisfaction → later churn and spend. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import type { SatisfactionResult } from '../../../shared/api/insights';
import { fmt, isOrders, isSurvey, opt, Pick, pct } from './shared';

export default function SatisfactionTab() {
  const { t } = useTranslation();
  const { fail, datasets } = useApp();
  const [survey, setSurvey] = useState<string>();
  const [orders, setOrders] = useState<string>();
  const [scale, setScale] = useState<'nps' | 'csat'>('nps');
  const [by, setBy] = useState<string>();
  const [r, setR] = useState<SatisfactionResult | null>(null);
  const info = datasets.find((d) => d.id === survey);
  const groupCols = info?.columns.filter((c) => ['category', 'text'].includes(c.type) && c.role !== 'message_text' && c.role !== 'reply_text') ?? [];
  useEffect(() => {
    if (by === undefined && groupCols.length) setBy(groupCols.find((c) => c.role === 'region')?.name ?? groupCols[0]!.name);
  }, [by, groupCols]);
  const run = useCallback(async () => {
    if (!survey) return;
    try {
      setR(await call('insights/satisfaction', { datasetId: survey, scale, by: opt(by), orders: opt(orders), horizonDays: 90, csatMin: 1, csatMax: 5, satisfiedFrom: 4 }));
    } catch (e) {
      fail(e);
    }
  }, [survey, scale, by, orders, fail]);
  const [auto, setAuto] = useState(true);
  useEffect(() => {
    if (auto && survey && by !== undefined && orders !== undefined) {
      setAuto(false);
      void run();
    }
  }, [auto, survey, by, orders, run]);
  const isNps = r?.scale === 'nps';
  const main = (x: { nps: SatisfactionResult['nps']; csat: SatisfactionResult['csat'] }) => (isNps ? { v: x.nps?.nps ?? null, ci: x.nps?.ci ?? null, n: x.nps?.n ?? 0 } : { v: x.csat?.csat == null ? null : x.csat.csat * 100, ci: x.csat?.ci ? ([x.csat.ci[0] * 100, x.csat.ci[1] * 100] as [number, number]) : null, n: x.csat?.n ?? 0 });
  const months = r?.byMonth.map((m) => ({ month: m.month, ...main(m) })) ?? [];
  const groups = r?.byGroup.map((g) => ({ group: g.group, ...main(g) })).sort((a, b) => (b.v ?? -999) - (a.v ?? -999)) ?? [];
  const label = isNps ? 'NPS' : 'CSAT %';
  const cat = (g: string) => t(`ins.cat.${g}`, { defaultValue: g });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('ins.survey')}</span>
          <Pick value={survey} onChange={(v) => { setSurvey(v); setBy(undefined); }} filter={isSurvey} testId="sat-survey" />
          <Segmented value={scale} onChange={(v) => setScale(v as 'nps' | 'csat')} options={[{ value: 'nps', label: 'NPS' }, { value: 'csat', label: 'CSAT' }]} data-testid="sat-scale" />
          <span>{t('ins.groupBy')}</span>
          <Select allowClear style={{ width: 150 }} placeholder={t('ins.none')} value={by || undefined} onChange={(v) => setBy(v ?? '')} options={groupCols.map((c) => ({ value: c.name, label: c.name }))} data-testid="sat-by" />
          <span>{t('ins.orders')}</span>
          <Pick value={orders} onChange={setOrders} filter={isOrders} testId="sat-orders" optional />
          <Button type="primary" onClick={() => void run()} data-testid="sat-run">{t('ins.run')}</Button>
        </Space>
      </Card>
      {r && (
        <>
          <Row gutter={12}>
            {r.nps && <Col flex="1"><Card size="small"><Statistic title="NPS" value={r.nps.nps ?? '—'} precision={1} data-testid="sat-nps" /><Typography.Text type="secondary">{t('ins.ci95', { lo: r.nps.ci?.[0].toFixed(1), hi: r.nps.ci?.[1].toFixed(1) })}</Typography.Text></Card></Col>}
            {r.nps && <Col flex="1"><Card size="small"><Statistic title={t('ins.npsMix')} value={`${r.nps.promoters} / ${r.nps.passives} / ${r.nps.detractors}`} /></Card></Col>}
            {r.csat && <Col flex="1"><Card size="small"><Statistic title="CSAT" value={pct(r.csat.csat)} /><Typography.Text type="secondary">{t('ins.ci95', { lo: pct(r.csat.ci?.[0]), hi: pct(r.csat.ci?.[1]) })}</Typography.Text></Card></Col>}
            <Col flex="1"><Card size="small"><Statistic title={t('ins.answers')} value={r.answers} /><Typography.Text type="secondary">{t('ins.invalid', { n: r.invalid })}</Typography.Text></Card></Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} xl={14}>
              <Chart
                testId="chart-sat-trend"
                filename="nps-trend"
                title={t('ins.trendTitle', { s: label })}
                height={340}
                option={{
                  tooltip: { trigger: 'axis', formatter: (q: unknown) => { const i = (q as { dataIndex: number }[])[0]!.dataIndex; const m = months[i]!; return `${m.month}<br/>${label} ${m.v?.toFixed(1) ?? '—'} (95% CI ${m.ci?.[0].toFixed(1) ?? '—'}–${m.ci?.[1].toFixed(1) ?? '—'}), n=${m.n}`; } },
                  legend: { top: 0, data: [label, t('ins.band')] },
                  grid: { left: 50, right: 20, top: 40, bottom: 30 },
                  xAxis: { type: 'category', boundaryGap: false, data: months.map((m) => m.month) },
                  yAxis: { type: 'value', min: isNps ? -100 : 0, max: 100 },
                  series: [
                    { name: 'lower', type: 'line', data: months.map((m) => m.ci?.[0] ?? null), stack: 'ci', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
                    { name: t('ins.band'), type: 'line', data: months.map((m) => (m.ci ? m.ci[1] - m.ci[0] : null)), stack: 'ci', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(31,111,235,0.18)' }, color: 'rgba(31,111,235,0.35)' },
                    { name: label, type: 'line', data: months.map((m) => (m.v == null ? null : +m.v.toFixed(1))), color: '#1f6feb', symbolSize: 6 },
                  ],
                }}
              />
            </Col>
            <Col xs={24} xl={10}>
              <Chart
                testId="chart-sat-groups"
                filename="nps-by-group"
                title={t('ins.byGroupTitle', { s: label, g: r.columns.by ?? '—' })}
                height={340}
                option={{
                  tooltip: { trigger: 'axis', formatter: (q: unknown) => { const g = groups[(q as { dataIndex: number }[])[0]!.dataIndex]!; return `${g.group}: ${g.v?.toFixed(1) ?? '—'} (95% CI ${g.ci?.[0].toFixed(1) ?? '—'}–${g.ci?.[1].toFixed(1) ?? '—'}), n=${g.n}`; } },
                  grid: { left: 100, right: 40, top: 10, bottom: 30 },
                  xAxis: { type: 'value' },
                  yAxis: { type: 'category', inverse: true, data: groups.map((g) => `${g.group} (${g.n})`) },
                  series: [{ type: 'bar', data: groups.map((g) => (g.v == null ? null : +g.v.toFixed(1))), label: { show: true, position: 'right' } }],
                }}
              />
            </Col>
          </Row>
          {r.themes && (
            <Card size="small" title={t('ins.themes', { n: r.themes.comments })} data-testid="sat-themes">
              <Row gutter={12}>
                <Col xs={24} lg={8}>
                  <Typography.Text strong>{t('ins.complaints')}</Typography.Text>
                  <div>{r.themes.complaints.map((x) => <Tag key={x.term} color="red" style={{ margin: 2 }}>{x.term} {x.count}</Tag>)}</div>
                  <Typography.Text strong>{t('ins.praise')}</Typography.Text>
                  <div>{r.themes.praise.map((x) => <Tag key={x.term} color="green" style={{ margin: 2 }}>{x.term} {x.count}</Tag>)}</div>
                  <Typography.Text type="secondary">{t('ins.sentiment', r.themes.sentiment)}</Typography.Text>
                </Col>
                <Col xs={24} lg={8}>
                  <Typography.Text strong>{t('ins.keywordsByCat')}</Typography.Text>
                  {r.themes.byCategory.filter((g) => g.group !== '—').map((g) => (
                    <div key={g.group} style={{ marginTop: 4 }}><Tag>{cat(g.group)} ({g.size})</Tag>{g.terms.slice(0, 6).map((x) => x.term).join('、')}</div>
                  ))}
                </Col>
                <Col xs={24} lg={8}>
                  <Typography.Text strong>{t('ins.examples')}</Typography.Text>
                  {r.themes.examples.slice(0, 5).map((x, i) => <div key={i}><Typography.Text type="secondary">[{x.score ?? '—'}]</Typography.Text> {x.text}</div>)}
                </Col>
              </Row>
            </Card>
          )}
          {r.outcome && (
            <Card size="small" title={t('ins.outcome', { d: r.outcome.horizonDays })} data-testid="sat-outcome">
              <Row gutter={12}>
                <Col xs={24} lg={12}>
                  <Chart
                    testId="chart-sat-outcome"
                    filename="satisfaction-churn"
                    height={260}
                    option={{
                      tooltip: { trigger: 'axis' },
                      legend: { top: 0 },
                      grid: { left: 60, right: 60, top: 40, bottom: 30 },
                      xAxis: { type: 'category', data: r.outcome.groups.map((g) => `${cat(g.group)} (${g.n})`) },
                      yAxis: [{ type: 'value', name: t('ins.churnRate'), max: 1, axisLabel: { formatter: (v: unknown) => pct(Number(v), 0) } }, { type: 'value', name: t('ins.meanSpend') }],
                      series: [
                        { name: t('ins.churnRate'), type: 'bar', data: r.outcome.groups.map((g) => g.churnRate), itemStyle: { color: '#cf222e' }, label: { show: true, position: 'top', formatter: (q: unknown) => pct((q as { value: number }).value) } },
                        { name: t('ins.meanSpend'), type: 'bar', yAxisIndex: 1, data: r.outcome.groups.map((g) => g.meanSpend), itemStyle: { color: '#2da44e' } },
                      ],
                    }}
                  />
                </Col>
                <Col xs={24} lg={12}>
                  <Table
                    size="small"
                    rowKey="group"
                    pagination={false}
                    dataSource={r.outcome.groups}
                    columns={[
                      { title: t('ins.group'), dataIndex: 'group', render: (g: string) => cat(g) },
                      { title: 'n', dataIndex: 'n', align: 'right' },
                      { title: t('ins.churnRate'), dataIndex: 'churnRate', align: 'right', render: (v: number, g) => `${pct(v)} (${pct(g.churnCi[0])}–${pct(g.churnCi[1])})` },
                      { title: t('ins.meanSpend'), dataIndex: 'meanSpend', align: 'right', render: (v: number) => fmt(v, 1) },
                      { title: t('ins.medianSpend'), dataIndex: 'medianSpend', align: 'right', render: (v: number) => fmt(v, 1) },
                    ]}
                  />
                  {r.outcome.comparison && (
                    <Alert
                      style={{ marginTop: 8 }}
                      type={r.outcome.comparison.churn.p < 0.05 ? 'warning' : 'info'}
                      showIcon
                      data-testid="sat-verdict"
                      message={t('ins.verdict', {
                        a: cat(r.outcome.comparison.a),
                        b: cat(r.outcome.comparison.b),
                        ra: pct(r.outcome.comparison.churn.rateA),
                        rb: pct(r.outcome.comparison.churn.rateB),
                        p: r.outcome.comparison.churn.p < 1e-4 ? '< 0.0001' : `= ${r.outcome.comparison.churn.p.toPrecision(2)}`,
                        sa: fmt(r.outcome.comparison.spend.meanA),
                        sb: fmt(r.outcome.comparison.spend.meanB),
                        ps: r.outcome.comparison.spend.p < 1e-4 ? '< 0.0001' : `= ${r.outcome.comparison.spend.p.toPrecision(2)}`,
                      })}
                      description={t('ins.association', { c: r.outcome.censored, u: r.outcome.unmatched })}
                    />
                  )}
                </Col>
              </Row>
            </Card>
          )}
        </>
      )}
    </Space>
  );
}
