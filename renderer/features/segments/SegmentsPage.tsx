/**
 * Segments: RFM, k-means (with elbow/silhouette to choose k), rule segments with a live count,
 * value tiers, the segment explorer (sizes, profiles, radar, z-score heatmap, comparison,
 * drill-down, naming) and migration between two dates (Sankey).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, ColorPicker, Empty, Input, InputNumber, Radio, Row, Select, Space, Table, Tabs, Tag, Typography, App as AntApp } from 'antd';
import { PlusOutlined, DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { codeName } from '../../i18n/codes';
import type { TFunction } from 'i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { hashParams } from '../../routes';
import { NeedTransactions, NeedWorkspace } from '../../components/NeedWorkspace';
import { Chart, pieOption } from '../../components/Chart';
import { DateField } from '../../components/DateField';
import { DataGrid } from '../../components/DataGrid';
import { DatasetSelect, hasNumeric, isTransactions, SlotSelect, useJob } from '../../components/pickers';
import { JobProgress } from '../jobs/JobsDrawer';

// The export dialog (masks, templates, suppression) loads only when asked for.
const ExportDialog = lazy(() => import('../export/ExportDialog'));
import { tierSegmentationName, type CompareResult, type ExploreResult, type RuleCount, type RuleNode, type RuleOp, type SegmentationInfo } from '../../../shared/api/segments';
import type { JobResult } from '../../../shared/api';
import { useSegmentations } from '../../state/segmentations';

// RFM's own feature columns get their UI names; any other column is the user's name.
const featureName = (t: TFunction, f: string) => (f.startsWith('channel_share_') ? t('seg.channelShare', { channel: f.slice('channel_share_'.length) }) : t(`seg.featureNames.${f}`, { defaultValue: f }));
const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toLocaleString(undefined, { maximumFractionDigits: d }) : '—');
const segLabel = (lang: string, s: { name: string; nameEn: string | null }) => (lang.startsWith('zh') ? s.name : (s.nameEn ?? s.name));

function SizesCharts({ seg }: { seg: SegmentationInfo }) {
  const { t, i18n } = useTranslation();
  const data = seg.segments.map((s) => ({ name: segLabel(i18n.language, s), value: s.size, itemStyle: s.color ? { color: s.color } : undefined }));
  return (
    <Row gutter={12}>
      <Col xs={24} lg={12}>
        <Chart testId="chart-sizes-pie" filename="segment-sizes" title={t('seg.sizes')} option={pieOption(data)} />
      </Col>
      <Col xs={24} lg={12}>
        <Chart testId="chart-sizes-treemap" filename="segment-treemap" title={t('seg.treemap')} option={{ tooltip: { formatter: '{b}: {c}' }, series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, data, label: { formatter: '{b}\n{c}', color: '#fff', fontSize: 13, fontWeight: 'bold', textShadowColor: 'rgba(0,0,0,0.35)', textShadowBlur: 2 } }] }} />
      </Col>
    </Row>
  );
}

function RfmTab({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { fail, datasets } = useApp();
  const [ds, setDs] = useState<string>();
  const [asOf, setAsOf] = useState('');
  const [scheme, setScheme] = useState<'11' | 'cn8'>('11');
  const [threshold, setThreshold] = useState<'mean' | 'median'>('mean');
  const [excl, setExcl] = useState(true);
  const [dayAfter, setDayAfter] = useState(false);
  const [job, setJob, result] = useJob('segments/rfm', useCallback((r: { segmentation: SegmentationInfo }) => onDone(r.segmentation.id), [onDone]));
  if (!datasets.some(isTransactions)) return <NeedTransactions />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap size="middle" align="baseline">
          <span>{t('seg.transactions')}</span>
          <SlotSelect slot="transactions" value={ds} onChange={setDs} testId="rfm-dataset" width={280} />
          <span>{t('seg.asOf')}</span>
          <DateField value={asOf} onChange={setAsOf} title={t('seg.asOfHelp')} testId="rfm-asof" />
          <span>{t('seg.scheme')}</span>
          <Radio.Group value={scheme} onChange={(e) => setScheme(e.target.value)} optionType="button" options={[{ value: '11', label: t('seg.scheme11') }, { value: 'cn8', label: t('seg.schemeCn8') }]} data-testid="rfm-scheme" />
          {scheme === 'cn8' && <Radio.Group value={threshold} onChange={(e) => setThreshold(e.target.value)} options={[{ value: 'mean', label: t('seg.mean') }, { value: 'median', label: t('seg.median') }]} />}
          <Checkbox checked={excl} onChange={(e) => setExcl(e.target.checked)}>{t('seg.excludeCancel')}</Checkbox>
          <Checkbox checked={dayAfter} onChange={(e) => setDayAfter(e.target.checked)}>{t('seg.dayAfter')}</Checkbox>
          <Button
            type="primary"
            data-testid="rfm-run"
            loading={job?.status === 'running'}
            onClick={() =>
              ds &&
              call('segments/rfm', { datasetId: ds, scheme, threshold, excludeCancellations: excl, recencyFrom: dayAfter ? 'dayAfterLast' : 'asOf', asOf: /^\d{4}-\d\d-\d\d$/.test(asOf) ? asOf : undefined })
                .then((r) => setJob(r.jobId))
                .catch(fail)
            }
          >
            {t('seg.run')}
          </Button>
        </Space>
        {job && job.status !== 'done' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {result && (
        <>
          <Typography.Text data-testid="rfm-summary">
            {t('seg.customers')}: <b>{result.customers.toLocaleString()}</b> · {t('seg.asOf')}: {result.segmentation.asOf}
          </Typography.Text>
        </>
      )}
    </Space>
  );
}

function KMeansTab({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { fail, datasets } = useApp();
  const [ds, setDs] = useState<string>();
  const info = datasets.find((d) => d.id === ds);
  const numeric = useMemo(() => info?.columns.filter((c) => ['integer', 'decimal', 'percent'].includes(c.type)).map((c) => c.name) ?? [], [info]);
  const [features, setFeatures] = useState<string[]>([]);
  const [transforms, setTransforms] = useState<string[]>(['log1p', 'standardize']);
  const [k, setK] = useState(4);
  const [nInit, setNInit] = useState(10);
  const [seed, setSeed] = useState(0);
  const [curveJob, setCurveJob, curveResult] = useJob('segments/kmeans');
  const curve = curveResult && 'curve' in curveResult ? curveResult : null;
  const [fitJob, setFitJob, fitResult] = useJob('segments/kmeans', useCallback((r: JobResult<'segments/kmeans'>) => { if ('segmentation' in r) onDone(r.segmentation.id); }, [onDone]));
  const fit = fitResult && 'segmentation' in fitResult ? fitResult : null;
  useEffect(() => {
    const preferred = ['recency', 'frequency', 'monetary'].filter((f) => numeric.includes(f));
    setFeatures(preferred.length ? preferred : numeric.slice(0, 3));
  }, [numeric]);
  const args = () => ({ datasetId: ds!, features, transforms: transforms as ('log1p' | 'standardize')[], nInit, seed });
  // the k the curve suggests: the highest silhouette (the elbow is shown, but it is read by eye)
  const ranked = useMemo(() => (curve ? [...curve.curve].sort((a, b) => b.silhouette - a.silhouette) : []), [curve]);
  const best = ranked[0];
  useEffect(() => {
    if (best) setK(best.k);
  }, [best]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap size="middle">
          <span>{t('seg.dataset')}</span>
          <DatasetSelect value={ds} onChange={setDs} filter={hasNumeric} testId="km-dataset" />
          <span>{t('seg.features')}</span>
          <Select mode="multiple" style={{ minWidth: 280 }} value={features} onChange={setFeatures} options={numeric.map((n) => ({ value: n, label: featureName(t, n) }))} data-testid="km-features" />
          <span>{t('seg.transforms')}</span>
          <Checkbox.Group value={transforms} onChange={(v) => setTransforms(v as string[])} options={[{ value: 'log1p', label: 'log1p' }, { value: 'standardize', label: 'z-score' }, { value: 'minmax', label: 'min-max' }]} />
          <span>{t('seg.nInit')}</span>
          <InputNumber min={1} max={100} value={nInit} onChange={(v) => v && setNInit(v)} style={{ width: 70 }} />
          <span>{t('seg.seed')}</span>
          <InputNumber min={0} value={seed} onChange={(v) => setSeed(v ?? 0)} style={{ width: 80 }} />
        </Space>
        <Space style={{ marginTop: 12 }} wrap>
          <Button onClick={() => ds && call('segments/kmeans', { ...args(), kRange: [2, 10] }).then((r) => setCurveJob(r.jobId)).catch(fail)} loading={curveJob?.status === 'running'} data-testid="km-choose">
            {t('seg.kRange')}
          </Button>
          <span>{t('seg.k')}</span>
          <InputNumber min={2} max={50} value={k} onChange={(v) => v && setK(v)} style={{ width: 70 }} data-testid="km-k" />
          <Button type="primary" onClick={() => ds && call('segments/kmeans', { ...args(), k, name: t('seg.kmeansName', { k, features: features.map((f) => featureName(t, f)).join(t('seg.listSep')) }) }).then((r) => setFitJob(r.jobId)).catch(fail)} loading={fitJob?.status === 'running'} data-testid="km-fit">
            {t('seg.fit')}
          </Button>
        </Space>
        {[curveJob, fitJob].map((j) => j && j.status === 'running' && <div key={j.id} style={{ marginTop: 8 }}><JobProgress job={j} /></div>)}
      </Card>
      {curve && (
        <Row gutter={12}>
          <Col xs={24} lg={12}>
            <Chart testId="chart-elbow" filename="elbow" title={t('seg.elbow')} option={{ tooltip: { trigger: 'axis' }, xAxis: { type: 'category', name: 'k', data: curve.curve.map((p) => p.k) }, yAxis: { type: 'value', name: t('seg.inertia') }, series: [{ type: 'line', data: curve.curve.map((p) => +p.inertia.toFixed(2)), symbolSize: 8 }] }} />
          </Col>
          <Col xs={24} lg={12}>
            <Chart testId="chart-silhouette" filename="silhouette" title={t('seg.silhouette')} option={{ tooltip: { trigger: 'axis' }, xAxis: { type: 'category', name: 'k', data: curve.curve.map((p) => p.k) }, yAxis: { type: 'value', min: 0 }, series: [{ type: 'bar', data: curve.curve.map((p) => ({ value: +p.silhouette.toFixed(4), itemStyle: { color: p.k === best?.k ? '#cf6f00' : '#2da44e' } })) }] }} />
          </Col>
          {best && (
            <Col span={24}>
              <Alert type="info" showIcon data-testid="km-suggest" message={ranked[1] ? t('seg.suggestK', { k: best.k, s: best.silhouette.toFixed(3), k2: ranked[1].k, s2: ranked[1].silhouette.toFixed(3) }) : t('seg.suggestKOnly', { k: best.k, s: best.silhouette.toFixed(3) })} />
            </Col>
          )}
        </Row>
      )}
      {fit && (
        <Typography.Text data-testid="km-summary">
          {t('seg.inertia')}: <b>{fmt(fit.inertia, 3)}</b> · {t('seg.silhouette')}: <b>{fit.silhouette === null ? '—' : fmt(fit.silhouette, 4)}</b> · {t('seg.sizes')}: {fit.sizes.join(' / ')}
        </Typography.Text>
      )}
    </Space>
  );
}

const OPS: RuleOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'contains', 'before', 'after', 'lastDays', 'empty', 'notEmpty'];

function RulesTab({ onDone }: { onDone: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const { message } = AntApp.useApp();
  const [ds, setDs] = useState<string>();
  const info = datasets.find((d) => d.id === ds);
  const cols = info?.columns.map((c) => c.name) ?? [];
  const [op, setOp] = useState<'and' | 'or'>('and');
  const [conds, setConds] = useState<Extract<RuleNode, { kind: 'cond' }>[]>([]);
  const [count, setCount] = useState<RuleCount | null>(null);
  const [name, setName] = useState('');
  const [measure, setMeasure] = useState<string>();
  const rule: RuleNode = useMemo(() => ({ kind: 'group', op, children: conds }), [op, conds]);
  useEffect(() => {
    if (info && conds.length === 0 && info.columns[0]) setConds([{ kind: 'cond', column: info.columns.find((c) => c.name === 'segment')?.name ?? info.columns[0].name, op: 'eq', value: '' }]);
  }, [info, conds.length]);
  // Live count, debounced.
  useEffect(() => {
    if (!ds) return;
    const h = setTimeout(() => call('segments/rule-count', { datasetId: ds, rule }).then(setCount).catch(() => setCount(null)), 250);
    return () => clearTimeout(h);
  }, [ds, rule]);
  const update = (i: number, patch: Partial<Extract<RuleNode, { kind: 'cond' }>>) => setConds(conds.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const numCols = info?.columns.filter((c) => ['integer', 'decimal', 'percent'].includes(c.type)).map((c) => c.name) ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('seg.ruleBuilder')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <span>{t('seg.dataset')}</span>
            <DatasetSelect value={ds} onChange={(v) => { setDs(v); setConds([]); }} testId="rule-dataset" />
            <Radio.Group value={op} onChange={(e) => setOp(e.target.value)} optionType="button" options={[{ value: 'and', label: t('seg.and') }, { value: 'or', label: t('seg.or') }]} />
          </Space>
          {conds.map((c, i) => (
            <Space key={i} wrap data-testid="rule-cond">
              <Select style={{ width: 180 }} value={c.column} onChange={(v) => update(i, { column: v })} options={cols.map((x) => ({ value: x, label: x }))} showSearch />
              <Select style={{ width: 130 }} value={c.op} onChange={(v) => update(i, { op: v })} options={OPS.map((o) => ({ value: o, label: t(`seg.ops.${o}`) }))} />
              {!['empty', 'notEmpty'].includes(c.op) &&
                (c.op === 'in' ? (
                  <Select mode="tags" style={{ minWidth: 220 }} value={(c.values ?? []).map(String)} onChange={(v) => update(i, { values: v })} />
                ) : (
                  <Input style={{ width: 150 }} value={String(c.value ?? '')} onChange={(e) => update(i, { value: e.target.value !== '' && !Number.isNaN(Number(e.target.value)) && c.op !== 'contains' ? Number(e.target.value) : e.target.value })} data-testid="rule-value" />
                ))}
              {c.op === 'between' && <Input style={{ width: 150 }} value={String(c.value2 ?? '')} onChange={(e) => update(i, { value2: Number.isNaN(Number(e.target.value)) ? e.target.value : Number(e.target.value) })} />}
              <Button type="text" icon={<DeleteOutlined />} onClick={() => setConds(conds.filter((_, j) => j !== i))} />
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => setConds([...conds, { kind: 'cond', column: cols[0] ?? '', op: 'eq', value: '' }])}>{t('seg.addCond')}</Button>
          {count && <Tag color="blue" style={{ fontSize: 14, padding: '4px 10px' }} data-testid="rule-count">{count.customers !== null
                ? t('seg.liveCount', { customers: count.customers.toLocaleString(), total: (count.customersTotal ?? 0).toLocaleString(), count: count.count.toLocaleString(), key: count.key ?? '' })
                : t('seg.liveKeys', { count: count.count.toLocaleString(), total: count.total.toLocaleString(), key: count.key ?? t('seg.rows') })}</Tag>}
          <Space>
            <Input placeholder={t('seg.name')} value={name} onChange={(e) => setName(e.target.value)} style={{ width: 240 }} data-testid="rule-name" />
            <Button type="primary" disabled={!name || !ds} data-testid="rule-save" onClick={() => call('segments/rule-save', { datasetId: ds!, name, rule }).then((s) => { void message.success(t('seg.saved')); onDone(s.id); }).catch(fail)}>{t('seg.save')}</Button>
          </Space>
        </Space>
      </Card>
      {numCols.length > 0 && (
        <Card size="small" title={t('seg.tiers')}>
          <Space>
            <span>{t('seg.measure')}</span>
            <Select style={{ width: 200 }} value={measure} onChange={setMeasure} options={numCols.map((x) => ({ value: x, label: x }))} data-testid="tiers-measure" />
            <Button disabled={!measure} data-testid="tiers-run" onClick={() => call('segments/tiers', { datasetId: ds!, measure: measure!, name: tierSegmentationName(measure!, i18n.language.startsWith('zh') ? 'zh' : 'en') }).then((s) => onDone(s.id)).catch(fail)}>{t('seg.run')}</Button>
          </Space>
        </Card>
      )}
    </Space>
  );
}

function ExplorerTab({ selected, setSelected, openTab }: { selected: string | undefined; setSelected: (id: string) => void; openTab: (tab: string) => void }) {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const { segmentations, reload } = useSegmentations();
  const list = segmentations ?? [];
  const [ex, setEx] = useState<ExploreResult | null>(null);
  const [a, setA] = useState<string>();
  const [b, setB] = useState<string>();
  const [cmp, setCmp] = useState<CompareResult | null>(null);
  const [drill, setDrill] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  useEffect(() => {
    if (!selected && list[0]) setSelected(list[0].id);
  }, [list, selected, setSelected]);
  useEffect(() => {
    if (!selected) return;
    setCmp(null);
    setDrill(null);
    call('segments/explore', { segmentationId: selected })
      .then((r) => {
        setEx(r);
        setA(r.profiles[0]?.key);
        setB(r.profiles[1]?.key);
      })
      .catch(fail);
  }, [selected, fail]);
  useEffect(() => {
    if (selected && a && b && a !== b) call('segments/compare', { segmentationId: selected, a, b }).then(setCmp).catch(fail);
  }, [selected, a, b, fail]);
  if (!list.length)
    return (
      <Empty description={t('seg.noSegmentations')} data-testid="explorer-empty">
        <Space>
          {(['rfm', 'kmeans', 'rules'] as const).map((k, i) => (
            <Button key={k} type={i === 0 ? 'primary' : 'default'} onClick={() => openTab(k)} data-testid={`explorer-start-${k}`}>{t(`seg.tabs.${k}`)}</Button>
          ))}
        </Space>
      </Empty>
    );
  const seg = ex?.segmentation;
  const nameOf = (key: string) => {
    const s = seg?.segments.find((x) => x.key === key);
    return s ? segLabel(i18n.language, s) : key;
  };
  const labelCol = seg?.kind === 'kmeans' ? 'cluster' : 'segment';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <span>{t('seg.choose')}</span>
        <Select style={{ width: 420 }} value={selected} onChange={setSelected} options={list.map((s) => ({ value: s.id, label: `${s.name} · ${codeName(t, 'segKinds', s.kind)}${s.asOf ? ' · ' + s.asOf : ''}${s.stale ? ' · ⚠ ' + t('seg.stale') : ''}` }))} data-testid="explorer-select" />
        {selected && (
          <Button onClick={() => call('segments/recompute', { segmentationId: selected }).then((r) => (r.segmentation ? setSelected(r.segmentation.id) : setTimeout(() => void reload(), 1500))).then(() => reload()).catch(fail)}>
            {t('seg.recompute')}
          </Button>
        )}
      </Space>
      {seg && ex && (
        <>
          <SizesCharts seg={seg} />
          {ex.features.length > 0 && (
            <Row gutter={12}>
              {/* a radar needs three axes to draw a shape: with one or two features the heatmap says it alone */}
              {ex.features.length >= 3 && (
              <Col xs={24} lg={10}>
                <Chart
                  testId="chart-radar"
                  filename="segment-radar"
                  title={t('seg.radar')}
                  height={340}
                  option={{
                    tooltip: {},
                    legend: { type: 'scroll', bottom: 0 },
                    radar: { indicator: ex.features.map((f, j) => ({ name: featureName(t, f), min: -2.5, max: 2.5, color: '#555' })).map((x) => ({ ...x })), radius: '52%' },
                    series: [{ type: 'radar', data: ex.profiles.slice(0, 8).map((p, i) => ({ name: nameOf(p.key), value: ex.zscores[i]!.map((z) => Math.max(-2.5, Math.min(2.5, +z.toFixed(2)))) })) }],
                  }}
                />
              </Col>
              )}
              <Col xs={24} lg={ex.features.length >= 3 ? 14 : 24}>
                <Chart
                  testId="chart-heatmap"
                  filename="segment-heatmap"
                  title={t('seg.heatmap')}
                  height={340}
                  option={{
                    tooltip: { position: 'top' },
                    grid: { left: 120, right: 30, top: 10, bottom: 70 },
                    xAxis: { type: 'category', data: ex.features.map((f) => featureName(t, f)), axisLabel: { rotate: 30 } },
                    yAxis: { type: 'category', data: ex.profiles.map((p) => nameOf(p.key)) },
                    visualMap: { min: -2, max: 2, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#cf222e', '#f6f8fa', '#1f6feb'] } },
                    series: [{ type: 'heatmap', data: ex.zscores.flatMap((row, i) => row.map((z, j) => [j, i, +z.toFixed(2)])), label: { show: true } }],
                  }}
                />
              </Col>
            </Row>
          )}
          <Card size="small" title={t('seg.profile')}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              data-testid="profile-table"
              // many features make this wider than the screen: the table scrolls, not the page
              scroll={{ x: 'max-content' }}
              dataSource={ex.profiles}
              columns={[
                {
                  title: t('seg.segments'),
                  dataIndex: 'key',
                  render: (k: string) => {
                    const s = seg.segments.find((x) => x.key === k);
                    const rename = (name: string, color?: string) => call('segments/rename', { segmentationId: seg.id, key: k, name, color }).then((r) => setEx({ ...ex, segmentation: r })).catch(fail);
                    return (
                      <Space size={4}>
                        <ColorPicker size="small" value={s?.color ?? undefined} disabledAlpha onChangeComplete={(c) => void rename(s?.name ?? k, c.toHexString())} />
                        <Input size="small" defaultValue={nameOf(k)} style={{ width: 150 }} onBlur={(e) => e.target.value && e.target.value !== nameOf(k) && void rename(e.target.value)} />
                      </Space>
                    );
                  },
                },
                { title: t('seg.size'), dataIndex: 'size', align: 'right' },
                { title: t('seg.share'), dataIndex: 'share', align: 'right', render: (v: number) => `${(v * 100).toFixed(1)}%` },
                ...ex.features.map((f, j) => ({ title: featureName(t, f), key: f, align: 'right' as const, render: (_: unknown, p: ExploreResult['profiles'][number]) => `${fmt(p.mean[j]!)} (${fmt(p.median[j]!)})` })),
                {
                  title: '',
                  key: 'drill',
                  fixed: 'right' as const,
                  render: (_: unknown, p: ExploreResult['profiles'][number]) => {
                    const sid = seg.segments.find((x) => x.key === p.key)?.id;
                    return (
                      <Space size={4}>
                        {seg.resultDataset && seg.kind !== 'tier' && <Button size="small" onClick={() => setDrill(p.key)} data-testid={`drill-${p.key}`}>{t('seg.drill')}</Button>}
                        {sid && <Button size="small" type="primary" ghost onClick={() => setExporting(sid)} data-testid={`export-${p.key}`}>{t('seg.export')}</Button>}
                      </Space>
                    );
                  },
                },
              ]}
            />
          </Card>
          {ex.profiles.length > 1 && (
            <Card size="small" title={t('seg.compare')}>
              <Space style={{ marginBottom: 8 }}>
                <Select style={{ width: 200 }} value={a} onChange={setA} options={ex.profiles.map((p) => ({ value: p.key, label: nameOf(p.key) }))} />
                <span>vs</span>
                <Select style={{ width: 200 }} value={b} onChange={setB} options={ex.profiles.map((p) => ({ value: p.key, label: nameOf(p.key) }))} />
              </Space>
              {cmp && (
                <Table
                  size="small"
                  rowKey="feature"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={cmp.features}
                  columns={[
                    { title: t('seg.features'), dataIndex: 'feature', render: (f: string) => featureName(t, f) },
                    { title: `${nameOf(a!)} (n=${cmp.sizeA})`, dataIndex: 'meanA', align: 'right', render: (v: number) => fmt(v, 2) },
                    { title: `${nameOf(b!)} (n=${cmp.sizeB})`, dataIndex: 'meanB', align: 'right', render: (v: number) => fmt(v, 2) },
                    { title: t('seg.diff'), dataIndex: 'diff', align: 'right', render: (v: number) => fmt(v, 2) },
                    { title: "Cohen's d", dataIndex: 'cohenD', align: 'right', render: (v: number) => fmt(v, 2) },
                    { title: t('seg.pValue'), dataIndex: 'p', align: 'right', render: (v: number) => (v < 0.001 ? '< 0.001' : fmt(v, 3)) },
                    { title: '', dataIndex: 'p', key: 'sig', render: (v: number) => (v < 0.05 ? <Tag color="green">{t('seg.significant')}</Tag> : null) },
                  ]}
                />
              )}
            </Card>
          )}
          {exporting && (
            <Suspense fallback={null}>
              <ExportDialog open onClose={() => setExporting(null)} segmentId={exporting} />
            </Suspense>
          )}
          {drill && seg.resultDataset && (
            <Card size="small" title={`${t('seg.members')}: ${nameOf(drill)}`} data-testid="drill-grid">
              <DataGrid datasetId={seg.resultDataset} table="typed" columns={datasets.find((d) => d.id === seg.resultDataset)?.columns.map((c) => c.name) ?? []} initialFilters={[{ column: labelCol, op: 'eq', value: drill }]} />
            </Card>
          )}
        </>
      )}
    </Space>
  );
}

function MigrationTab() {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const [ds, setDs] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [job, setJob, result] = useJob('segments/migration');
  if (!datasets.some(isTransactions)) return <NeedTransactions />;
  const name = (k: string, side: string) => `${result?.names[k] ? (i18n.language.startsWith('zh') ? result.names[k]!.zh : result.names[k]!.en) : k} ${side}`;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary">{t('seg.migrationHelp')}</Typography.Paragraph>
      <Space wrap align="baseline">
        <SlotSelect slot="transactions" value={ds} onChange={setDs} testId="mig-dataset" />
        <span>{t('seg.from')}</span>
        <DateField value={from} onChange={setFrom} testId="mig-from" />
        <span>{t('seg.to')}</span>
        <DateField value={to} onChange={setTo} testId="mig-to" />
        <Button type="primary" onClick={() => ds && call('segments/migration', { datasetId: ds, from, to }).then((r) => setJob(r.jobId)).catch(fail)} data-testid="mig-run">{t('seg.run')}</Button>
      </Space>
      {job && job.status === 'running' && <JobProgress job={job} />}
      {result && (
        <Chart
          testId="chart-sankey"
          filename="segment-migration"
          height={520}
          option={{
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'sankey',
                left: 10,
                right: 140,
                nodeGap: 10,
                emphasis: { focus: 'adjacency' },
                lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
                data: [...new Set(result.links.map((l) => name(l.from, '①')))].map((n) => ({ name: n })).concat([...new Set(result.links.map((l) => name(l.to, '②')))].map((n) => ({ name: n }))),
                links: result.links.map((l) => ({ source: name(l.from, '①'), target: name(l.to, '②'), value: l.count })),
              },
            ],
          }}
        />
      )}
    </Space>
  );
}

export default function SegmentsPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const initial = hashParams().get('tab') ?? 'rfm';
  const [tab, setTab] = useState(initial);
  const [selected, setSelected] = useState<string>();
  const show = useCallback((id: string) => {
    setSelected(id);
    setTab('explorer');
  }, []);
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  return (
    <div>
      <AreaTitle area="segments" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden={false}
        items={[
          { key: 'rfm', label: t('seg.tabs.rfm'), children: <RfmTab onDone={show} /> },
          { key: 'kmeans', label: t('seg.tabs.kmeans'), children: <KMeansTab onDone={show} /> },
          { key: 'rules', label: t('seg.tabs.rules'), children: <RulesTab onDone={show} /> },
          { key: 'explorer', label: <span data-testid="tab-explorer">{t('seg.tabs.explorer')}</span>, children: tab === 'explorer' ? <ExplorerTab selected={selected} setSelected={setSelected} openTab={setTab} /> : null },
          { key: 'migration', label: <span data-testid="tab-migration">{t('seg.tabs.migration')}</span>, children: <MigrationTab /> },
        ]}
      />
    </div>
  );
}
