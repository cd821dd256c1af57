/**
 * Uplift targeting: evaluate a model on a randomised campaign (Qini against ranking by response
 * probability, with an interval and a verdict), then plan the next send list by budget with a
 * held-out control group (saved as a dataset and a segment).
 */
import { useCallback, useState } from 'react';
import { Alert, Button, Card, Input, InputNumber, Select, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import { useJob } from '../../components/pickers';
import { JobProgress } from '../jobs/JobsDrawer';
import type { UpliftFitResult, UpliftMeasureResult, UpliftPlanResult } from '../../../shared/api/uplift';
import { has, smsDatasets } from './datasets';

export default function UpliftTab() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const { datasets, fail } = useApp();
  const { sendsOpts, replyOpts } = smsDatasets(datasets);
  const assignOpts = datasets.filter((d) => has('variant', 'timestamp')(d) && d.columns.some((c) => c.role === 'customer_id' || c.role === 'phone'));
  const orderOpts = datasets.filter((d) => has('timestamp', 'amount')(d));
  const profileOpts = datasets.filter((d) => d.columns.some((c) => c.role === 'region'));
  const [assignment, setAssignment] = useState<string>();
  const [orders, setOrders] = useState<string>();
  const [replies, setReplies] = useState<string>();
  const [sends, setSends] = useState<string>();
  const [profiles, setProfiles] = useState<string>();
  const [budget, setBudget] = useState(500);
  const [controlShare, setControlShare] = useState(10);
  const [fit, setFit] = useState<UpliftFitResult | null>(null);
  const [plan, setPlan] = useState<UpliftPlanResult | null>(null);
  // after the planned campaign: its plan dataset, the orders and when it went out
  const planOpts = datasets.filter((d) => (d.settings as { analysis?: string } | null)?.analysis === 'uplift/plan');
  const [planDs, setPlanDs] = useState<string>();
  const [start, setStart] = useState('');
  const [measured, setMeasured] = useState<UpliftMeasureResult | null>(null);
  const [fitJob, setFitJob] = useJob('uplift/fit', useCallback((r: UpliftFitResult) => setFit(r), []));
  const [planJob, setPlanJob] = useJob('uplift/plan', useCallback((r: UpliftPlanResult) => setPlan(r), []));
  const src = () => {
    const a = assignment ?? assignOpts[0]?.id;
    const o = orders ?? orderOpts[0]?.id;
    if (!a || !o) return null;
    return { assignment: a, orders: o, replies: replies ?? replyOpts[0]?.id, sends: sends || undefined, profiles: profiles || undefined };
  };
  const pick = (opts: typeof datasets, v: string | undefined, set: (x: string) => void, testId: string, optional = false) => (
    <Select allowClear={optional} style={{ width: 190 }} value={v ?? (optional ? undefined : opts[0]?.id)} placeholder={t('sms.none')} onChange={(x) => set(x ?? '')} options={opts.map((d) => ({ value: d.id, label: d.name }))} data-testid={testId} />
  );
  const running = (j: typeof fitJob) => !!j && (j.status === 'queued' || j.status === 'running');
  const failed = (j: typeof fitJob) => j?.status === 'failed' && j.error && <Alert type="error" message={zh ? j.error.zh : j.error.en} />;
  const f2 = (x: number) => x.toFixed(2);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text type="secondary">{t('sms.upliftHelp')}</Typography.Text>
      <Card size="small">
        <Space wrap>
          <span>{t('sms.assignment')}</span>{pick(assignOpts, assignment, setAssignment, 'uplift-assignment')}
          <span>{t('sms.orders')}</span>{pick(orderOpts, orders, setOrders, 'uplift-orders')}
          <span>{t('sms.replies')}</span>{pick(replyOpts, replies, setReplies, 'uplift-replies', true)}
          <span>{t('sms.sends')}</span>{pick(sendsOpts, sends, setSends, 'uplift-sends', true)}
          <span>{t('sms.profiles')}</span>{pick(profileOpts, profiles, setProfiles, 'uplift-profiles', true)}
          <Button type="primary" disabled={running(fitJob)} data-testid="uplift-fit" onClick={() => { const s = src(); if (s) call('uplift/fit', s).then((x) => setFitJob(x.jobId), fail); }}>{t('sms.fitUplift')}</Button>
        </Space>
        {running(fitJob) && <div style={{ marginTop: 8 }}><JobProgress job={fitJob!} /></div>}
        {failed(fitJob)}
      </Card>
      {fit && (
        <Card size="small" title={t('sms.qini')} data-testid="uplift-result">
          <Alert type={fit.verdictEn.startsWith('Targeting beats') ? 'success' : 'info'} message={zh ? fit.verdictZh : fit.verdictEn} style={{ marginBottom: 8 }} />
          <Table size="small" pagination={false} rowKey="variant" dataSource={fit.evaluation}
            columns={[
              { title: t('sms.variant'), dataIndex: 'variant' },
              { title: t('sms.qini'), render: (_: unknown, e: UpliftFitResult['evaluation'][number]) => f2(e.qini) },
              { title: t('sms.qiniCi'), render: (_: unknown, e: UpliftFitResult['evaluation'][number]) => `${f2(e.qiniInterval[0])} – ${f2(e.qiniInterval[1])}` },
              { title: t('sms.byResponse'), render: (_: unknown, e: UpliftFitResult['evaluation'][number]) => f2(e.responseQini) },
            ]} />
          <Chart height={260} option={{
            tooltip: { trigger: 'axis' }, legend: {},
            xAxis: { type: 'category', name: '%', data: fit.evaluation[0]!.points.map((p) => Math.round(p.fraction * 100)) }, yAxis: { type: 'value', name: t('sms.upliftCurve') },
            series: fit.evaluation.map((e) => ({ name: e.variant, type: 'line', data: e.points.map((p) => Math.round(p.incremental * 10) / 10) })),
          }} />
          <Space wrap style={{ marginTop: 8 }}>
            <span>{t('sms.budget')}</span><InputNumber min={1} value={budget} onChange={(v) => v && setBudget(v)} data-testid="uplift-budget" />
            <span>{t('sms.controlShare')}</span><InputNumber min={0} max={50} value={controlShare} onChange={(v) => v !== null && setControlShare(v)} addonAfter="%" style={{ width: 110 }} />
            <Button disabled={running(planJob)} data-testid="uplift-plan" onClick={() => { const s = src(); if (s) call('uplift/plan', { ...s, budget, controlShare: controlShare / 100 }).then((x) => setPlanJob(x.jobId), fail); }}>{t('sms.planUplift')}</Button>
          </Space>
          {running(planJob) && <div style={{ marginTop: 8 }}><JobProgress job={planJob!} /></div>}
          {failed(planJob)}
        </Card>
      )}
      {plan && (
        <Card size="small" data-testid="uplift-plan-result">
          <Space size="large" wrap>
            <Statistic title={t('sms.sent')} value={plan.send} />
            <Statistic title={t('sms.controlShare')} value={plan.control} />
            {Object.entries(plan.byVariant).map(([v, n]) => <Statistic key={v} title={`${t('sms.variant')} ${v}`} value={n} />)}
          </Space>
          <div>{t('sms.expected', { inc: plan.expected.incrementalConversions.toFixed(1), lo: plan.expected.interval[0].toFixed(1), hi: plan.expected.interval[1].toFixed(1), uns: plan.expected.incrementalUnsubscribes.toFixed(1), cost: plan.expected.cost.toFixed(2) })}</div>
          <Typography.Text type="secondary">{t('sms.planSaved', { send: plan.send, control: plan.control, ds: plan.datasetId })}</Typography.Text>
        </Card>
      )}
      {planOpts.length > 0 && (
        <Card size="small" title={t('sms.measureTitle')} data-testid="uplift-measure">
          <Space wrap>
            <span>{t('sms.planDataset')}</span>{pick(planOpts, planDs, setPlanDs, 'uplift-plan-dataset')}
            <span>{t('sms.orders')}</span>{pick(orderOpts, orders, setOrders, 'uplift-measure-orders')}
            <span>{t('sms.startTime')}</span><Input style={{ width: 170 }} value={start} onChange={(e) => setStart(e.target.value)} placeholder="2024-07-01 10:00" data-testid="uplift-start" />
            <Button data-testid="uplift-measure-run" onClick={() => { const p = planDs ?? planOpts[0]?.id; const o = orders ?? orderOpts[0]?.id; if (p && o && start) call('uplift/measure', { plan: p, orders: o, start: start.trim() }).then(setMeasured, fail); }}>{t('sms.measure')}</Button>
          </Space>
          {measured && <Alert style={{ marginTop: 8 }} type={measured.interval[0] > 0 ? 'success' : 'info'} message={zh ? measured.verdictZh : measured.verdictEn} data-testid="uplift-measured" />}
        </Card>
      )}
    </Space>
  );
}
