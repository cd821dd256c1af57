/** Duplicates tab: dedupe one dataset, move the threshold live, review clusters side by side, merge with survivorship rules, undo merges. */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Empty, Input, Pagination, Popconfirm, Row, Segmented, Select, Slider, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { codeName } from '../../i18n/codes';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { DatasetSelect, useJob } from '../../components/pickers';
import { Chart } from '../../components/Chart';
import { JobProgress } from '../jobs/JobsDrawer';
import type { ClusterStats, DedupeRun, MergeInfo, ReviewCluster, ReviewPage, SurvivorshipRule } from '../../../shared/api/customers';
import type { DatasetInfo } from '../../../shared/types';

const identity = (d: DatasetInfo) => d.columns.some((c) => c.role && ['customer_id', 'phone', 'email', 'name'].includes(c.role));
const RULES: SurvivorshipRule[] = ['most_complete', 'most_recent', 'most_frequent', 'source_priority'];
const PAGE = 10;

export default function DuplicatesTab() {
  const { t } = useTranslation();
  const { fail, datasets } = useApp();
  const { message } = AntApp.useApp();
  const [ds, setDs] = useState<string>();
  const [run, setRun] = useState<DedupeRun | null>(null);
  const [th, setTh] = useState(0.5);
  const [live, setLive] = useState<ClusterStats | null>(null);
  const [review, setReview] = useState<ReviewPage | null>(null);
  const [filter, setFilter] = useState<'all' | 'pending' | 'accepted' | 'merged'>('all');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Record<number, number[]>>({});
  const [rules, setRules] = useState<Record<string, SurvivorshipRule>>({});
  const [defaultRule, setDefaultRule] = useState<SurvivorshipRule>('most_complete');
  const [sourceColumn, setSourceColumn] = useState<string>();
  const [priority, setPriority] = useState('');
  const [merges, setMerges] = useState<MergeInfo[]>([]);
  const info = datasets.find((d) => d.id === ds);

  const loadReview = useCallback(
    (runId: string, threshold: number | undefined, status = filter, p = page) =>
      call('customers/clusters', { runId, threshold, offset: (p - 1) * PAGE, limit: PAGE, status })
        .then((r) => {
          setReview(r);
          setLive(r.stats);
        })
        .catch(fail),
    [fail, filter, page],
  );
  const loadMerges = useCallback((id: string) => call('customers/merges', { datasetId: id }).then((r) => setMerges(r.merges)).catch(fail), [fail]);
  const open = useCallback(
    (r: DedupeRun) => {
      setRun(r);
      setTh(r.threshold);
      setLive(r.stats);
      setPage(1);
      setSelected({});
      void loadReview(r.runId, undefined, filter, 1);
    },
    [loadReview, filter],
  );
  const [job, setJob] = useJob('customers/dedupe', open);
  useEffect(() => {
    setRun(null);
    setReview(null);
    setLive(null);
    setRules({});
    if (!ds) return;
    void loadMerges(ds);
    call('customers/runs', { datasetId: ds })
      .then((r) => r.runs[0] && open(r.runs[0]))
      .catch(fail);
  }, [ds]); // eslint-disable-line react-hooks/exhaustive-deps

  const onSlide = (v: number) => {
    setTh(v);
    if (run) call('customers/recluster', { runId: run.runId, threshold: v }).then(setLive).catch(fail);
  };
  const decide = (c: ReviewCluster, action: 'accept' | 'reject' | 'split') =>
    run &&
    call('customers/decide', { runId: run.runId, clusterId: c.clusterId, action, rows: action === 'split' ? selected[c.clusterId] : undefined })
      .then(() => {
        setSelected((s) => ({ ...s, [c.clusterId]: [] }));
        return loadReview(run.runId, undefined);
      })
      .catch(fail);
  const doMerge = (scope: 'accepted' | 'all') =>
    run &&
    call('customers/merge', { runId: run.runId, scope, rules, defaultRule, sourceColumn, sourcePriority: priority ? priority.split(/[,，]/).map((x) => x.trim()).filter(Boolean) : undefined })
      .then((m) => {
        void message.success(t('cust.mergeDone', { c: m.clusters, r: m.rows, ds: `${m.datasetName}_golden` }));
        void loadMerges(run.datasetId);
        return loadReview(run.runId, undefined);
      })
      .catch(fail);
  const undo = (id: string) =>
    call('customers/unmerge', { mergeId: id })
      .then(() => {
        if (run) {
          void loadMerges(run.datasetId);
          void loadReview(run.runId, undefined);
        }
      })
      .catch(fail);

  const stats = live ?? run?.stats;
  const usesRule = (r: SurvivorshipRule) => defaultRule === r || Object.values(rules).includes(r);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('cust.dupHelp')}</Typography.Paragraph>
      <Card size="small">
        <Space wrap>
          <DatasetSelect value={ds} onChange={setDs} filter={(d) => identity(d) && !d.name.endsWith('_golden')} testId="dup-dataset" />
          <Button type="primary" onClick={() => ds && call('customers/dedupe', { datasetId: ds, threshold: th }).then((x) => setJob(x.jobId)).catch(fail)} loading={job?.status === 'running' || job?.status === 'queued'} data-testid="dup-run">
            {t('cust.runDedupe')}
          </Button>
          {run && <Typography.Text type="secondary">{t('cust.lastRun')}: {run.createdAt.slice(0, 19).replace('T', ' ')} · {run.runId}</Typography.Text>}
        </Space>
        {job && job.status === 'running' && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {!run && <Empty description={t('cust.noRun')} />}
      {run && stats && (
        <>
          {run.suspectFields.length > 0 && <Alert type="warning" showIcon message={t('cust.suspect', { f: run.suspectFields.join(', ') })} />}
          <Row gutter={12}>
            {(
              [
                ['rows', run.rows],
                ['pairsCompared', run.pairsCompared],
                ['clusters', stats.clusters],
                ['rowsInClusters', stats.rowsInClusters],
                ['pairsAbove', stats.pairs],
                ['seconds', run.seconds],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} flex="1">
                <Card size="small"><Statistic title={t(`cust.${k}`)} value={v} valueStyle={{ fontSize: 22 }} data-testid={`dup-${k}`} /></Card>
              </Col>
            ))}
          </Row>
          <Card size="small">
            <Row gutter={16} align="middle">
              <Col flex="none"><Typography.Text strong>{t('cust.threshold')}</Typography.Text></Col>
              <Col flex="auto">
                <div data-testid="dup-threshold">
                  <Slider min={0.01} max={0.99} step={0.01} value={th} onChange={onSlide} marks={{ 0.01: '0.01', 0.5: '0.5', 0.99: '0.99' }} />
                </div>
              </Col>
              <Col flex="none">
                <Tag color="blue" data-testid="dup-live" style={{ fontSize: 14, padding: '4px 8px' }}>
                  {th.toFixed(2)} → {t('cust.clusters')} {stats.clusters} · {t('cust.pairsAbove')} {stats.pairs}
                </Tag>
                <Button onClick={() => void loadReview(run.runId, th, filter, 1).then(() => setPage(1))} data-testid="dup-review">{t('cust.review')}</Button>
              </Col>
            </Row>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cust.fields')}: {run.fields.map((f) => `${f.name}（${codeName(t, 'comparators', f.comparator)}）`).join('、')}
              {run.ignoredColumns.length > 0 && ` · ${t('cust.ignored', { cols: run.ignoredColumns.join(', ') })}`}
            </Typography.Text>
          </Card>
          <Row gutter={12}>
            <Col xs={24} lg={14}>
              <Chart
                testId="chart-dup-scores"
                filename="match-probabilities"
                title={t('cust.histogram')}
                height={220}
                option={{
                  tooltip: {},
                  grid: { left: 60, right: 20, top: 20, bottom: 30 },
                  xAxis: { type: 'category', data: run.scoreHistogram.map((_, k) => `${(k * 0.05).toFixed(2)}`) },
                  yAxis: { type: 'log', min: 1 },
                  series: [{ type: 'bar', data: run.scoreHistogram.map((v, k) => ({ value: v || null, itemStyle: { color: (k + 1) * 0.05 > th ? '#2da44e' : '#94a3b8' } })) }],
                }}
              />
            </Col>
            <Col xs={24} lg={10}>
              <Chart testId="chart-dup-sizes" filename="cluster-sizes" title={t('cust.sizes')} height={220} option={{ tooltip: {}, grid: { left: 50, right: 20, top: 20, bottom: 30 }, xAxis: { type: 'category', data: stats.sizes.map((s) => String(s.size)) }, yAxis: { type: 'value', name: t('cust.count') }, series: [{ type: 'bar', data: stats.sizes.map((s) => s.clusters), label: { show: true, position: 'top' } }] }} />
            </Col>
          </Row>
          {review && (
            <Card
              size="small"
              title={t('cust.reviewList', { t: review.threshold })}
              data-testid="dup-review-list"
              extra={
                <Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cust.differing')}</Typography.Text>
                  <Segmented
                    size="small"
                    value={filter}
                    onChange={(v) => {
                      setFilter(v as typeof filter);
                      setPage(1);
                      void loadReview(run.runId, undefined, v as typeof filter, 1);
                    }}
                    options={(['all', 'pending', 'accepted', 'merged'] as const).map((k) => ({ value: k, label: t(`cust.${k}`) }))}
                    data-testid="dup-filter"
                  />
                </Space>
              }
            >
              {review.clusters.length === 0 && <Empty description={t('cust.noClusters')} />}
              {review.clusters.map((c) => (
                <ClusterCard key={c.clusterId} c={c} columns={review.columns} selected={selected[c.clusterId] ?? []} onSelect={(rows) => setSelected((s) => ({ ...s, [c.clusterId]: rows }))} onDecide={(a) => void decide(c, a)} />
              ))}
              <Pagination
                size="small"
                current={page}
                pageSize={PAGE}
                total={review.total}
                showSizeChanger={false}
                showTotal={(n) => `${n}`}
                onChange={(p) => {
                  setPage(p);
                  void loadReview(run.runId, undefined, filter, p);
                }}
              />
            </Card>
          )}
          {info && (
            <Card size="small" title={t('cust.survivorship')} data-testid="dup-merge-card">
              <Space wrap style={{ marginBottom: 8 }}>
                {info.columns.map((col) => (
                  <Space key={col.name} size={4}>
                    <Typography.Text>{col.name}</Typography.Text>
                    <Select size="small" style={{ width: 110 }} value={rules[col.name] ?? defaultRule} onChange={(v) => setRules((r) => ({ ...r, [col.name]: v }))} options={RULES.map((r) => ({ value: r, label: t(`cust.survivorRules.${r}`) }))} data-testid={`dup-rule-${col.name}`} />
                  </Space>
                ))}
              </Space>
              <Space wrap>
                <span>{t('cust.defaultRule')}</span>
                <Select size="small" style={{ width: 110 }} value={defaultRule} onChange={setDefaultRule} options={RULES.map((r) => ({ value: r, label: t(`cust.survivorRules.${r}`) }))} />
                {usesRule('source_priority') && (
                  <>
                    <span>{t('cust.sourceColumn')}</span>
                    <Select size="small" style={{ width: 140 }} value={sourceColumn} onChange={setSourceColumn} options={info.columns.map((c) => ({ value: c.name, label: c.name }))} />
                    <Input size="small" style={{ width: 220 }} placeholder={t('cust.sourcePriority')} value={priority} onChange={(e) => setPriority(e.target.value)} />
                  </>
                )}
                <Button type="primary" onClick={() => void doMerge('accepted')} data-testid="dup-merge">{t('cust.merge')}</Button>
                <Popconfirm title={t('cust.mergeAll')} onConfirm={() => void doMerge('all')}>
                  <Button data-testid="dup-merge-all">{t('cust.mergeAll')}</Button>
                </Popconfirm>
              </Space>
            </Card>
          )}
          <Card size="small" title={t('cust.mergeLog')} data-testid="dup-merge-log">
            <Table<MergeInfo>
              size="small"
              rowKey="mergeId"
              pagination={false}
              dataSource={merges}
              columns={[
                { title: t('cust.at'), dataIndex: 'createdAt', render: (v: string) => v.slice(0, 19).replace('T', ' ') },
                { title: 'ID', dataIndex: 'mergeId' },
                { title: t('cust.clustersN'), dataIndex: 'clusters', align: 'right' },
                { title: t('cust.rowsN'), dataIndex: 'rows', align: 'right' },
                { title: t('cust.golden'), dataIndex: 'goldenDatasetId', render: (v: string | null) => (v ? datasets.find((d) => d.id === v)?.name ?? v : '—') },
                {
                  title: '',
                  key: 'undo',
                  render: (_, m) =>
                    m.undoneAt ? (
                      <Tag>{t('cust.undone')}</Tag>
                    ) : (
                      <Popconfirm title={t('cust.undoQ')} onConfirm={() => void undo(m.mergeId)}>
                        <Button size="small" danger data-testid="dup-undo">{t('cust.undo')}</Button>
                      </Popconfirm>
                    ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

const STATUS_COLOR = { pending: 'default', accepted: 'green', merged: 'purple' } as const;

function ClusterCard({ c, columns, selected, onSelect, onDecide }: { c: ReviewCluster; columns: string[]; selected: number[]; onSelect: (rows: number[]) => void; onDecide: (a: 'accept' | 'reject' | 'split') => void }) {
  const { t } = useTranslation();
  const diff = new Set(c.differing);
  const open = c.status !== 'merged';
  return (
    <Card
      size="small"
      type="inner"
      style={{ marginBottom: 10 }}
      data-testid="dup-cluster"
      title={
        <Space>
          <span>#{c.clusterId}</span>
          <Tag color={STATUS_COLOR[c.status]} data-testid="dup-status">{t(`cust.${c.status}`)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cust.prob', { min: c.minScore.toFixed(3), max: c.maxScore.toFixed(3) })}</Typography.Text>
        </Space>
      }
      extra={
        open && (
          <Space>
            <Button size="small" type="primary" ghost onClick={() => onDecide('accept')} disabled={c.status === 'accepted'} data-testid="dup-accept">{t('cust.accept')}</Button>
            <Button size="small" danger onClick={() => onDecide('reject')} data-testid="dup-reject">{t('cust.reject')}</Button>
            <Button size="small" onClick={() => onDecide('split')} disabled={!selected.length || selected.length >= c.size} title={t('cust.splitHelp')} data-testid="dup-split">{t('cust.split')}</Button>
          </Space>
        )
      }
    >
      <Table
        size="small"
        rowKey="row"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={c.rows}
        rowSelection={open ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys as number[]) } : undefined}
        columns={[
          { title: '#', dataIndex: 'row', width: 60, fixed: 'left' },
          ...columns.map((col) => ({
            title: diff.has(col) ? <span style={{ color: '#9a6700' }}>{col} ≠</span> : col,
            key: col,
            render: (_: unknown, r: ReviewCluster['rows'][number]) => {
              const v = r.values[col];
              const text = v === null || v === undefined || v === '' ? '—' : String(v);
              return diff.has(col) ? <span className="dup-diff" style={{ background: '#fff3bf', padding: '0 4px', borderRadius: 3 }}>{text}</span> : text;
            },
          })),
        ]}
      />
    </Card>
  );
}
