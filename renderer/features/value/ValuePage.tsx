/** Value & prediction: CLV (BG/NBD + Gamma-Gamma), churn model, basket rules, recommendations, forecast. */
import { useCallback, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Input, InputNumber, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { navigate } from '../../routes';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { Chart } from '../../components/Chart';
import { DateField } from '../../components/DateField';
import { DatasetSelect, SlotSelect, useJob } from '../../components/pickers';
import { JobProgress } from '../jobs/JobsDrawer';
import type { ForecastResult } from '../../../shared/api/value';

const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '—');

function ClvTab() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [ds, setDs] = useState<string>();
  const [cal, setCal] = useState('');
  const [obs, setObs] = useState('');
  const [months, setMonths] = useState(12);
  const [disc, setDisc] = useState(0.01);
  const [job, setJob, r] = useJob('value/clv');
  const ok = (s: string) => (/^\d{4}-\d\d-\d\d$/.test(s) ? s : undefined);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap align="baseline">
          <SlotSelect slot="transactions" value={ds} onChange={setDs} testId="clv-dataset" />
          <span>{t('val.calibrationEnd')}</span>
          <DateField value={cal} onChange={setCal} testId="clv-cal" />
          <span>{t('val.observationEnd')}</span>
          <DateField value={obs} onChange={setObs} testId="clv-obs" />
          <span>{t('val.horizon')}</span>
          <InputNumber min={1} max={120} value={months} onChange={(v) => v && setMonths(v)} style={{ width: 70 }} />
          <span>{t('val.discount')}</span>
          <InputNumber min={0} max={0.5} step={0.005} value={disc} onChange={(v) => v !== null && setDisc(v)} style={{ width: 80 }} />
          <Button type="primary" data-testid="clv-run" loading={job?.status === 'running'} onClick={() => ds && call('value/clv', { datasetId: ds, calibrationEnd: ok(cal), observationEnd: ok(obs), horizonMonths: months, discountMonthly: disc }).then((x) => setJob(x.jobId)).catch(fail)}>
            {t('val.fit')}
          </Button>
        </Space>
        {job && job.status === 'running' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {r && (
        <>
          <Row gutter={12}>
            <Col xs={24} lg={12}>
              <Card size="small" title="BG/NBD" data-testid="clv-params">
                <Descriptions size="small" column={3}>
                  <Descriptions.Item label="r">{f(r.bgnbd.r)}</Descriptions.Item>
                  <Descriptions.Item label="α">{f(r.bgnbd.alpha)}</Descriptions.Item>
                  <Descriptions.Item label="a">{f(r.bgnbd.a)}</Descriptions.Item>
                  <Descriptions.Item label="b">{f(r.bgnbd.b)}</Descriptions.Item>
                  <Descriptions.Item label="LL">{f(r.bgnbd.logLikelihood, 2)}</Descriptions.Item>
                  <Descriptions.Item label={t('val.converged')}>{r.bgnbd.converged ? <Tag color="green">✓</Tag> : <Tag color="orange">?</Tag>}</Descriptions.Item>
                </Descriptions>
                <Typography.Text type="secondary">{t('val.customersCal', { n: r.customers.toLocaleString(), cal: r.calibrationEnd, unit: t(`val.units.${r.unit}`) })}</Typography.Text>
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="Gamma-Gamma">
                {r.gammaGamma ? (
                  <Descriptions size="small" column={3}>
                    <Descriptions.Item label="p">{f(r.gammaGamma.p)}</Descriptions.Item>
                    <Descriptions.Item label="q">{f(r.gammaGamma.q)}</Descriptions.Item>
                    <Descriptions.Item label="v">{f(r.gammaGamma.v)}</Descriptions.Item>
                    <Descriptions.Item label={t('val.repeatBuyers')}>{r.gammaGamma.repeatBuyers}</Descriptions.Item>
                    <Descriptions.Item label={t('val.independence')} span={2}>
                      {r.independence ? `${f(r.independence.pearson, 3)} ${Math.abs(r.independence.pearson) < 0.3 ? '✓' : '⚠'}` : '—'}
                    </Descriptions.Item>
                  </Descriptions>
                ) : (
                  <Alert type="info" message={t('val.noRepeat')} />
                )}
                <Button style={{ marginTop: 8 }} size="small" onClick={() => navigate('segments', 'tab=explorer')}>{t('val.deciles')}</Button>
              </Card>
            </Col>
          </Row>
          <Row gutter={12}>
            {r.holdout.length > 0 && (
              <Col xs={24} lg={12}>
                <Chart testId="chart-holdout" filename="clv-holdout" title={t('val.holdout')} option={{ tooltip: { trigger: 'axis' }, legend: { top: 0 }, xAxis: { type: 'category', name: t(`val.units.${r.unit}`), data: r.holdout.map((h) => h.period) }, yAxis: { type: 'value' }, series: [{ name: t('val.actual'), type: 'line', data: r.holdout.map((h) => h.actual) }, { name: t('val.predicted'), type: 'line', lineStyle: { type: 'dashed' }, data: r.holdout.map((h) => h.predicted) }] }} />
              </Col>
            )}
            <Col xs={24} lg={12}>
              <Chart testId="chart-clv-hist" filename="clv-distribution" title={t('val.clvDist')} option={{ tooltip: { trigger: 'axis' }, xAxis: { type: 'category', data: r.clvHistogram.map((b) => Math.round(b.to).toLocaleString()) }, yAxis: { type: 'value', name: t('seg.customers') }, series: [{ type: 'bar', data: r.clvHistogram.map((b) => b.customers), itemStyle: { color: '#8250df' } }] }} />
            </Col>
          </Row>
          <Chart
            testId="chart-palive"
            filename="p-alive"
            height={420}
            title={t('val.pAlive')}
            option={{
              tooltip: { formatter: (p: unknown) => { const d = (p as { data: [number, number, number, number] }).data; return `x=${d[1]}, t_x≈${[...new Set(r.pAliveMatrix.map((m) => m.recency))][d[0]]}: P(alive)=${d[2]} (${d[3]})`; } },
              grid: { left: 60, right: 20, top: 10, bottom: 80 },
              xAxis: { type: 'category', name: t('val.recency'), nameLocation: 'middle', nameGap: 28, data: [...new Set(r.pAliveMatrix.map((m) => m.recency))] },
              yAxis: { type: 'category', name: t('val.frequency'), data: [...new Set(r.pAliveMatrix.map((m) => m.frequency))] },
              visualMap: { min: 0, max: 1, dimension: 2, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#cf222e', '#fff8c5', '#2da44e'] } },
              series: [{ type: 'heatmap', data: r.pAliveMatrix.map((m) => { const xs = [...new Set(r.pAliveMatrix.map((q) => q.recency))]; return [xs.indexOf(m.recency), m.frequency, +m.pAlive.toFixed(2), m.customers]; }) }],
            }}
          />
        </>
      )}
    </Space>
  );
}

function ChurnTab() {
  const { t } = useTranslation();
  const { fail, datasets } = useApp();
  const [ds, setDs] = useState<string>();
  const info = datasets.find((d) => d.id === ds);
  const [label, setLabel] = useState<string>();
  const [positive, setPositive] = useState('');
  const [ruleValue, setRuleValue] = useState<number | null>(null);
  const [threshold, setThreshold] = useState(0.5);
  const [model, setModel] = useState<'logistic' | 'gbm'>('logistic');
  const [job, setJob, r] = useJob('value/churn');
  const labels = info?.columns.filter((c) => ['category', 'boolean', 'integer', 'decimal'].includes(c.type)).map((c) => c.name) ?? [];
  const current = label && labels.includes(label) ? label : (info?.columns.find((c) => c.role === 'label')?.name ?? labels[0]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <DatasetSelect value={ds} onChange={setDs} testId="churn-dataset" />
          <span>{t('val.label')}</span>
          <Select style={{ width: 180 }} value={current} onChange={setLabel} options={labels.map((l) => ({ value: l, label: l }))} data-testid="churn-label" />
          <span>{t('val.positive')}</span>
          <Input style={{ width: 120 }} placeholder={t('val.auto')} value={positive} onChange={(e) => setPositive(e.target.value)} />
          <span data-user-data>{t('val.orRule', { col: current ?? '' })}</span>
          <InputNumber style={{ width: 90 }} value={ruleValue} onChange={(v) => setRuleValue(v)} placeholder="—" data-testid="churn-rule" />
          <span>{t('val.threshold')}</span>
          <InputNumber min={0.05} max={0.95} step={0.05} value={threshold} onChange={(v) => v && setThreshold(v)} style={{ width: 80 }} />
          <Select style={{ width: 170 }} value={model} onChange={setModel} data-testid="churn-model" options={[{ value: 'logistic', label: t('val.modelLogistic') }, { value: 'gbm', label: t('val.modelGbm') }]} />
          <Button type="primary" data-testid="churn-run" loading={job?.status === 'running'} onClick={() => ds && current && call('value/churn', { datasetId: ds, label: current, positive: positive || undefined, threshold, model, labelRule: ruleValue !== null ? { op: 'gt', value: ruleValue } : undefined }).then((x) => setJob(x.jobId)).catch(fail)}>
            {t('val.train')}
          </Button>
        </Space>
        {job && job.status === 'running' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {r && (
        <>
          <Row gutter={12}>
            <Col span={6}><Card size="small"><Statistic title="ROC AUC" value={r.auc} precision={4} data-testid="churn-auc" /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('val.precision')} value={r.confusion.precision} precision={3} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('val.recall')} value={r.confusion.recall} precision={3} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title="F1" value={r.confusion.f1} precision={3} /></Card></Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} lg={10}>
              <Chart testId="chart-roc" filename="roc" height={360} title={`ROC (AUC ${r.auc.toFixed(3)})`} option={{ tooltip: { trigger: 'axis' }, xAxis: { type: 'value', name: 'FPR', min: 0, max: 1 }, yAxis: { type: 'value', name: 'TPR', min: 0, max: 1 }, series: [{ type: 'line', showSymbol: false, areaStyle: { opacity: 0.12 }, data: r.roc.map((p) => [p.fpr, p.tpr]) }, { type: 'line', showSymbol: false, lineStyle: { type: 'dashed', color: '#999' }, data: [[0, 0], [1, 1]] }] }} />
            </Col>
            <Col xs={24} lg={14}>
              <Chart testId="chart-coef" filename="coefficients" height={360} title={r.model === 'gbm' ? t('val.importance') : t('val.coefficients')} option={{ tooltip: { trigger: 'axis' }, grid: { left: 220, right: 20, top: 10, bottom: 30 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: r.coefficients.slice(0, 15).map((c) => c.feature).reverse() }, series: [{ type: 'bar', data: r.coefficients.slice(0, 15).map((c) => ({ value: +c.weight.toFixed(3), itemStyle: { color: r.model === 'gbm' ? '#5470c6' : c.weight > 0 ? '#cf222e' : '#2da44e' } })).reverse() }] }} />
            </Col>
          </Row>
          <Card size="small" title={t('val.confusion', { th: r.confusion.threshold })}>
            <Table size="small" pagination={false} rowKey="k" dataSource={[{ k: t('val.actualPos'), a: r.confusion.tp, b: r.confusion.fn }, { k: t('val.actualNeg'), a: r.confusion.fp, b: r.confusion.tn }]} columns={[{ title: '', dataIndex: 'k' }, { title: t('val.predPos'), dataIndex: 'a', align: 'right' }, { title: t('val.predNeg'), dataIndex: 'b', align: 'right' }]} />
            <Button style={{ marginTop: 8 }} size="small" onClick={() => navigate('data', `ds=${r.scoresDataset}`)}>{t('val.scores')}</Button>
          </Card>
        </>
      )}
    </Space>
  );
}

function RulesTab() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [ds, setDs] = useState<string>();
  const [sup, setSup] = useState(0.02);
  const [conf, setConf] = useState(0.3);
  const [job, setJob, r] = useJob('value/rules');
  const name = useCallback((i: string) => (r?.labels[i] ? `${r.labels[i]} (${i})` : i), [r]);
  const top = (r?.rules ?? []).slice(0, 30);
  const nodes = [...new Set(top.flatMap((x) => [...x.antecedent, ...x.consequent]))];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap align="baseline">
          <SlotSelect slot="baskets" value={ds} onChange={setDs} testId="rules-dataset" />
          <span>{t('val.minSupport')}</span>
          <InputNumber min={0.001} max={1} step={0.005} value={sup} onChange={(v) => v && setSup(v)} style={{ width: 90 }} />
          <span>{t('val.minConfidence')}</span>
          <InputNumber min={0} max={1} step={0.05} value={conf} onChange={(v) => v !== null && setConf(v)} style={{ width: 90 }} />
          <Button type="primary" data-testid="rules-run" loading={job?.status === 'running'} onClick={() => ds && call('value/rules', { datasetId: ds, minSupport: sup, minConfidence: conf }).then((x) => setJob(x.jobId)).catch(fail)}>{t('val.mine')}</Button>
        </Space>
      </Card>
      {r && (
        <>
          <Typography.Text>{t('val.rulesSummary', { baskets: r.baskets.toLocaleString(), itemsets: r.itemsets, rules: r.rules.length })}</Typography.Text>
          <Table
            size="small"
            rowKey={(x) => x.antecedent.join('+') + '>' + x.consequent.join('+')}
            dataSource={r.rules}
            pagination={{ pageSize: 10 }}
            data-testid="rules-table"
            columns={[
              { title: t('val.antecedent'), render: (_, x) => x.antecedent.map(name).join(' + ') },
              { title: t('val.consequent'), render: (_, x) => x.consequent.map(name).join(' + ') },
              { title: t('val.support'), dataIndex: 'support', align: 'right', sorter: (a, b) => a.support - b.support, render: (v: number) => v.toFixed(3) },
              { title: t('val.confidence'), dataIndex: 'confidence', align: 'right', sorter: (a, b) => a.confidence - b.confidence, render: (v: number) => v.toFixed(3) },
              { title: t('val.lift'), dataIndex: 'lift', align: 'right', sorter: (a, b) => a.lift - b.lift, defaultSortOrder: 'descend', render: (v: number) => v.toFixed(2) },
              { title: t('val.leverage'), dataIndex: 'leverage', align: 'right', render: (v: number) => v.toFixed(4) },
              { title: t('val.conviction'), dataIndex: 'conviction', align: 'right', render: (v: number | null) => (v === null ? '∞' : v.toFixed(2)) },
            ]}
          />
          {top.length > 0 && (
            <Chart
              testId="chart-rules-graph"
              filename="rules-graph"
              height={460}
              title={t('val.graph')}
              option={{
                tooltip: {},
                series: [{ type: 'graph', layout: 'force', roam: true, force: { repulsion: 160, edgeLength: 90 }, label: { show: true, fontSize: 10, formatter: (p: unknown) => { const n = (p as { name: string }).name; return (r.labels[n] ?? n).slice(0, 18); } }, edgeSymbol: ['none', 'arrow'], data: nodes.map((n) => ({ name: n, symbolSize: 14 })), links: top.flatMap((x) => x.antecedent.flatMap((a) => x.consequent.map((c) => ({ source: a, target: c, value: +x.lift.toFixed(2), lineStyle: { width: Math.min(6, x.lift / 3) } })))) }],
              }}
            />
          )}
        </>
      )}
    </Space>
  );
}

function RecommendTab() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [ds, setDs] = useState<string>();
  const [job, setJob, r] = useJob('value/recommend');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap align="baseline">
        <SlotSelect slot="itemHistory" value={ds} onChange={setDs} testId="rec-dataset" />
        <Button type="primary" loading={job?.status === 'running'} onClick={() => ds && call('value/recommend', { datasetId: ds }).then((x) => setJob(x.jobId)).catch(fail)}>{t('val.recommend')}</Button>
      </Space>
      {r && (
        <Row gutter={12}>
          <Col span={8}><Card size="small"><Statistic title={`${t('val.hitRate')} @${r.hitRate.k} (CF)`} value={r.hitRate.cf * 100} precision={1} suffix="%" /></Card></Col>
          <Col span={8}><Card size="small"><Statistic title={`${t('val.hitRate')} @${r.hitRate.k} (${t('val.popularity')})`} value={r.hitRate.popularity * 100} precision={1} suffix="%" /></Card></Col>
          <Col span={8}><Card size="small"><Statistic title={t('val.evaluated', { cutoff: r.hitRate.cutoff })} value={r.hitRate.customers} /><Button size="small" onClick={() => navigate('data', `ds=${r.datasetId}`)}>{t('val.scores')}</Button></Card></Col>
        </Row>
      )}
    </Space>
  );
}

function ForecastTab() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [ds, setDs] = useState<string>();
  const [measure, setMeasure] = useState<'revenue' | 'orders' | 'customers'>('revenue');
  const [horizon, setHorizon] = useState(6);
  const [r, setR] = useState<ForecastResult | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap align="baseline">
        <SlotSelect slot="transactions" value={ds} onChange={setDs} testId="forecast-dataset" />
        <Select value={measure} onChange={setMeasure} style={{ width: 140 }} options={(['revenue', 'orders', 'customers'] as const).map((m) => ({ value: m, label: t(`val.measures.${m}`) }))} />
        <InputNumber min={1} max={36} value={horizon} onChange={(v) => v && setHorizon(v)} style={{ width: 70 }} />
        <Button type="primary" onClick={() => ds && call('value/forecast', { datasetId: ds, measure, horizon }).then(setR).catch(fail)} data-testid="forecast-run">{t('val.forecast')}</Button>
      </Space>
      {r && (
        <Chart
          testId="chart-forecast"
          filename="forecast"
          height={380}
          title={`${t(`val.measures.${measure}`)} · Holt-Winters${r.seasonal ? '' : t('val.noSeason')} α=${r.params.alpha.toFixed(2)} β=${r.params.beta.toFixed(2)} γ=${r.params.gamma.toFixed(2)}`}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            xAxis: { type: 'category', data: [...r.periods, ...r.future] },
            yAxis: { type: 'value' },
            series: [
              { name: t('val.actual'), type: 'line', data: r.values },
              { name: t('val.forecast'), type: 'line', lineStyle: { type: 'dashed' }, data: [...r.values.map((_, i) => (i === r.values.length - 1 ? r.values[i] : null)), ...r.forecast] },
              { name: '95%', type: 'line', stack: 'band', lineStyle: { opacity: 0 }, showSymbol: false, data: [...r.values.map(() => null), ...r.lower] },
              { name: '95% ', type: 'line', stack: 'band', lineStyle: { opacity: 0 }, showSymbol: false, areaStyle: { opacity: 0.15 }, data: [...r.values.map(() => null), ...r.upper.map((u, h) => u - r.lower[h]!)] },
            ],
          }}
        />
      )}
    </Space>
  );
}

export default function ValuePage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  return (
    <div>
      <AreaTitle area="value" />
      {(
        <Tabs
          items={[
            { key: 'clv', label: 'CLV', children: <ClvTab /> },
            { key: 'churn', label: t('val.tabs.churn'), children: <ChurnTab /> },
            { key: 'rules', label: t('val.tabs.rules'), children: <RulesTab /> },
            { key: 'rec', label: t('val.tabs.recommend'), children: <RecommendTab /> },
            { key: 'forecast', label: t('val.tabs.forecast'), children: <ForecastTab /> },
          ]}
        />
      )}
    </div>
  );
}
