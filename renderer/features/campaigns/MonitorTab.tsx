/**
 * Monitoring: each batch of result files appended to a sends dataset is one point of the KPI
 * trend; KPIs beyond the thresholds raise alerts that stay until acknowledged.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Form, Input, InputNumber, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import type { MonitorKpis, MonitorView } from '../../../shared/api/sms';
import { smsDatasets } from './datasets';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const KPIS = ['deliveryRate', 'failRate', 'clickRate', 'replyRate', 'unsubscribeRate'] as const;

export default function MonitorTab() {
  const { t } = useTranslation();
  const { datasets, fail } = useApp();
  const { sendsOpts, replyOpts, clickOpts, receiptOpts } = smsDatasets(datasets);
  const [monitors, setMonitors] = useState<MonitorView[] | null>(null);
  const [form] = Form.useForm();
  const load = useCallback(() => call('sms/monitors', {}).then((r) => setMonitors(r.monitors)).catch(fail), [fail]);
  // Appends arrive as dataset changes: re-evaluate then.
  useEffect(() => void load(), [load, datasets]);
  const save = async (v: { name: string; sends: string; replies?: string; clicks?: string; receipts?: string; deliveryRateMin?: number; unsubscribeRateMax?: number }) => {
    try {
      await call('sms/monitor/save', { name: v.name, sends: v.sends, replies: v.replies, clicks: v.clicks, receipts: v.receipts, thresholds: { deliveryRateMin: (v.deliveryRateMin ?? 90) / 100, unsubscribeRateMax: (v.unsubscribeRateMax ?? 2) / 100 } });
      form.resetFields(['name']);
      await load();
    } catch (e) {
      fail(e);
    }
  };
  const opts = (ds: typeof sendsOpts) => ds.map((d) => ({ value: d.id, label: d.name }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('sms.newMonitor')}>
        <Form form={form} layout="inline" onFinish={save} initialValues={{ sends: sendsOpts[0]?.id, replies: replyOpts[0]?.id, receipts: receiptOpts[0]?.id, deliveryRateMin: 90, unsubscribeRateMax: 2 }}>
          <Form.Item name="name" label={t('sms.monitorName')} rules={[{ required: true }]}><Input style={{ width: 160 }} data-testid="monitor-name" /></Form.Item>
          <Form.Item name="sends" label={t('sms.sends')} rules={[{ required: true }]}><Select style={{ width: 170 }} options={opts(sendsOpts)} data-testid="monitor-sends" /></Form.Item>
          <Form.Item name="replies" label={t('sms.replies')}><Select allowClear style={{ width: 150 }} options={opts(replyOpts)} /></Form.Item>
          <Form.Item name="clicks" label={t('sms.clicks')}><Select allowClear style={{ width: 150 }} options={opts(clickOpts)} /></Form.Item>
          <Form.Item name="receipts" label={t('sms.receipts')}><Select allowClear style={{ width: 150 }} options={opts(receiptOpts)} data-testid="monitor-receipts" /></Form.Item>
          <Form.Item name="deliveryRateMin" label={t('sms.minDelivery')}><InputNumber min={0} max={100} addonAfter="%" style={{ width: 110 }} data-testid="monitor-min-delivery" /></Form.Item>
          <Form.Item name="unsubscribeRateMax" label={t('sms.maxUnsub')}><InputNumber min={0} max={100} step={0.5} addonAfter="%" style={{ width: 110 }} /></Form.Item>
          <Button type="primary" htmlType="submit" data-testid="monitor-save">{t('sms.createMonitor')}</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('sms.monitorHelp')}</Typography.Paragraph>
      </Card>
      {monitors?.length === 0 && <Empty description={t('sms.noMonitors')} />}
      {monitors?.map((m) => <MonitorCard key={m.id} m={m} reload={load} />)}
    </Space>
  );
}

function MonitorCard({ m, reload }: { m: MonitorView; reload: () => void }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const open = m.alerts.filter((a) => !a.acknowledged);
  const label = (k: keyof MonitorKpis) => t(`sms.kpi.${k}`);
  return (
    <Card
      size="small"
      data-testid="monitor-card"
      title={<Space><span data-user-data>{m.name}</span>{open.length > 0 && <Tag color="red">{t('sms.alertsOpen', { n: open.length })}</Tag>}</Space>}
      extra={
        <Space>
          {open.length > 0 && <Button size="small" onClick={() => call('sms/alerts/ack', { monitorId: m.id }).then(reload).catch(fail)} data-testid="monitor-ack">{t('sms.ack')}</Button>}
          <Popconfirm title={t('sms.deleteMonitor')} onConfirm={() => call('sms/monitor/delete', { id: m.id }).then(reload).catch(fail)}><Button size="small" danger>{t('common.delete')}</Button></Popconfirm>
        </Space>
      }
    >
      {open.map((a) => (
        <Alert key={a.id} type="error" showIcon style={{ marginBottom: 8 }} data-testid="monitor-alert" message={t('sms.alertText', { batch: a.batch, kpi: label(a.kpi), value: pct(a.value), threshold: pct(a.threshold) })} />
      ))}
      <Chart
        testId="chart-monitor"
        filename={`monitor-${m.name}`}
        height={260}
        title={t('sms.trend')}
        option={{
          tooltip: { trigger: 'axis', valueFormatter: (v) => `${Number(v).toFixed(1)}%` },
          legend: { top: 0 },
          grid: { top: 36, left: 50, right: 20, bottom: 30 },
          xAxis: { type: 'category', data: m.trend.map((b) => `#${b.batch} ${b.importedAt.slice(5, 10)}`) },
          yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
          series: KPIS.filter((k) => k !== 'clickRate' || m.clicks).map((k) => ({
            type: 'line',
            name: label(k),
            data: m.trend.map((b) => +(((b.kpis[k] as number) ?? 0) * 100).toFixed(2)),
            ...(k === 'deliveryRate' && m.thresholds.deliveryRateMin !== null && { markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#cf222e' }, data: [{ yAxis: m.thresholds.deliveryRateMin * 100 }] } }),
          })),
        }}
      />
      <Table
        size="small"
        rowKey="batch"
        pagination={false}
        dataSource={m.trend}
        columns={[
          { title: t('sms.batch'), dataIndex: 'batch' },
          { title: t('sms.files'), dataIndex: 'files', ellipsis: true, render: (v: string) => <span data-user-data>{v}</span> },
          { title: t('sms.sent'), render: (_, b) => b.kpis.sent, align: 'right' },
          ...KPIS.map((k) => ({ title: label(k), align: 'right' as const, render: (_: unknown, b: MonitorView['trend'][number]) => pct(b.kpis[k]) })),
        ]}
      />
      {m.alerts.some((a) => a.acknowledged) && (
        <List size="small" header={t('sms.pastAlerts')} dataSource={m.alerts.filter((a) => a.acknowledged)} renderItem={(a) => <List.Item>{t('sms.alertText', { batch: a.batch, kpi: label(a.kpi), value: pct(a.value), threshold: pct(a.threshold) })}</List.Item>} />
      )}
    </Card>
  );
}
