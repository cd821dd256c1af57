/**
 * Data quality: the profile of a dataset (score, per-column problems, histogram / top values,
 * patterns; every problem count opens its rows) and the cleaning-recipe builder (RecipeTab).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Drawer, Empty, Row, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { Chart } from '../../components/Chart';
import { DatasetSelect, useJob } from '../../components/pickers';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import { JobProgress } from '../jobs/JobsDrawer';
import RecipeTab from './RecipeTab';
import type { Problem, ProblemRows, ProfiledColumn, QualityProfile } from '../../../shared/api/quality';
import { hashParams } from '../../routes';

export const scoreColor = (s: number) => (s >= 90 ? 'green' : s >= 70 ? 'gold' : 'red');
const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString() : Number(v.toPrecision(6)).toLocaleString()) : v === null || v === undefined ? '—' : String(v));

type Open = { column: string; problem: Problem; pattern?: string };

function ProblemDrawer({ datasetId, open, onClose }: { datasetId: string; open: Open | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ProblemRows | null>(null);
  const size = 20;
  useEffect(() => setPage(1), [open]);
  useEffect(() => {
    if (!open) return;
    call('quality/rows', { datasetId, ...open, limit: size, offset: (page - 1) * size }).then(setData, fail);
  }, [datasetId, open, page, fail]);
  const problem = open ? t(`qual.problem.${open.problem}`, { pattern: open.pattern }) : '';
  return (
    <Drawer open={!!open} onClose={onClose} width="80%" title={open && data ? t('qual.rowsTitle', { column: open.column, problem, total: data.total.toLocaleString() }) : problem} data-testid="q-rows">
      <Typography.Paragraph type="secondary">{t('qual.rowsNote')}</Typography.Paragraph>
      {data && (
        <Table
          size="small"
          data-testid="q-rows-table"
          rowKey={(r) => String(r[0])}
          scroll={{ x: 'max-content' }}
          dataSource={data.rows}
          pagination={{ current: page, pageSize: size, total: data.total, showSizeChanger: false, onChange: setPage }}
          // `_row`, the problem column, then the others
          columns={data.columns
            .map((c, j) => ({ c, j }))
            .sort((a, b) => Number(b.c === '_row') - Number(a.c === '_row') || Number(b.c === open?.column) - Number(a.c === open?.column) || a.j - b.j)
            .map(({ c, j }) => ({
              title: c === open?.column ? <Tag color="red">{c}</Tag> : c,
              key: c,
              render: (_: unknown, r: unknown[]) => (c === '_row' ? String(r[j]) : c === open?.column ? <b>{fmt(r[j])}</b> : fmt(r[j])),
            }))}
        />
      )}
    </Drawer>
  );
}

function ColumnDetail({ c, onOpen }: { c: ProfiledColumn; onOpen: (o: Open) => void }) {
  const { t } = useTranslation();
  const num = c.numeric;
  const hist = c.histogram;
  const isDate = !!c.dates;
  const day = (x: number) => new Date(x * 86_400_000).toISOString().slice(0, 10);
  return (
    <Card size="small" title={t('qual.detail', { name: c.name })} data-testid="q-detail">
      <Row gutter={12}>
        <Col xs={24} lg={10}>
          <Descriptions size="small" column={2} title={t('qual.stats')}>
            <Descriptions.Item label={t('qual.type')}>{t(`types.${c.type}`, { defaultValue: c.type })}</Descriptions.Item>
            <Descriptions.Item label={t('qual.colScore')}><Tag color={scoreColor(c.quality.score)}>{c.quality.score}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('qual.min')}>{fmt(c.min)}</Descriptions.Item>
            <Descriptions.Item label={t('qual.max')}>{fmt(c.max)}</Descriptions.Item>
            {num && (
              <>
                <Descriptions.Item label={t('qual.mean')}>{fmt(num.mean)}</Descriptions.Item>
                <Descriptions.Item label={t('qual.median')}>{fmt(num.median)}</Descriptions.Item>
                <Descriptions.Item label={t('qual.q1')}>{fmt(num.q1)}</Descriptions.Item>
                <Descriptions.Item label={t('qual.q3')}>{fmt(num.q3)}</Descriptions.Item>
                <Descriptions.Item label={t('qual.std')}>{fmt(num.std)}</Descriptions.Item>
              </>
            )}
            {c.dates && (
              <>
                <Descriptions.Item label={t('qual.median')}>{c.dates.median}</Descriptions.Item>
                <Descriptions.Item label={t('qual.stdDays')}>{fmt(c.dates.stdDays)}</Descriptions.Item>
              </>
            )}
            {c.outliers && (
              <Descriptions.Item label="IQR" span={2}>
                {t('qual.fences', { lo: isDate ? day(c.outliers.iqr.lower) : fmt(c.outliers.iqr.lower), hi: isDate ? day(c.outliers.iqr.upper) : fmt(c.outliers.iqr.upper) })}
              </Descriptions.Item>
            )}
          </Descriptions>
          {c.invalid.count > 0 && (
            <div style={{ marginTop: 8 }}>
              <Typography.Text strong>{t('qual.reasons')}: </Typography.Text>
              {Object.entries(c.invalid.reasons).map(([k, n]) => (
                <Tag key={k} color="red">{k} × {n}</Tag>
              ))}
              <div style={{ marginTop: 4 }}>
                {c.invalid.examples.map((x, i) => (
                  <Tag key={i}>{String(x)}</Tag>
                ))}
              </div>
            </div>
          )}
          <Typography.Title level={5} style={{ marginTop: 12 }}>{t('qual.patterns')}</Typography.Title>
          <Table
            size="small"
            data-testid="q-patterns"
            rowKey="pattern"
            pagination={false}
            dataSource={c.patterns}
            columns={[
              { title: t('qual.pattern'), dataIndex: 'pattern', render: (p: string) => <code>{p}</code> },
              { title: t('qual.count'), dataIndex: 'count', align: 'right', render: (n: number, r) => <a onClick={() => onOpen({ column: c.name, problem: 'pattern', pattern: r.pattern })}>{n.toLocaleString()}</a> },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('qual.patternNote')}</Typography.Text>
        </Col>
        <Col xs={24} lg={14}>
          {hist && hist.length > 0 ? (
            <Chart
              testId="q-histogram"
              filename={`histogram-${c.name}`}
              height={300}
              title={t('qual.histogram')}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 50, right: 20, top: 20, bottom: 50 },
                xAxis: { type: 'category', data: hist.map((b) => (isDate ? day(b.lo) : fmt(Number(b.lo.toPrecision(4))))), axisLabel: { rotate: 30 } },
                yAxis: { type: 'value' },
                series: [{ type: 'bar', barCategoryGap: '5%', data: hist.map((b) => b.count) }],
              }}
            />
          ) : c.top.length > 0 ? (
            <Chart
              testId="q-top"
              filename={`top-values-${c.name}`}
              height={300}
              title={t('qual.topValues')}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 140, right: 20, top: 10, bottom: 20 },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', data: c.top.map((x) => String(x.value).slice(0, 24)).reverse() },
                series: [{ type: 'bar', data: c.top.map((x) => x.count).reverse() }],
              }}
            />
          ) : (
            <Empty />
          )}
        </Col>
      </Row>
    </Card>
  );
}

function ProfileTab({ ds, setDs }: { ds: string | undefined; setDs: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { fail, datasets } = useApp();
  const [profile, setProfile] = useState<QualityProfile | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [sel, setSel] = useState<string | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const onDone = useCallback((p: QualityProfile) => setProfile(p), []);
  const [job, setJob] = useJob('quality/profile', onDone);
  useEffect(() => {
    setProfile(null);
    setSel(null);
    setLoaded(false);
    if (ds) call('quality/profile/get', { datasetId: ds }).then((p) => (setProfile(p), setLoaded(true)), fail);
  }, [ds, fail]);
  const current = profile && profile.datasetId === ds ? profile : null;
  const col = current?.columns.find((c) => c.name === sel) ?? null;
  const link = (n: number | undefined, o: Open, testId?: string) =>
    n === undefined ? '—' : n === 0 ? <span style={{ color: '#999' }}>0</span> : <a data-testid={testId} onClick={() => setOpen(o)}>{n.toLocaleString()}</a>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <span>{t('qual.dataset')}</span>
          <DatasetSelect value={ds} onChange={setDs} testId="q-dataset" width={320} />
          <Button type="primary" data-testid="q-profile-run" loading={job?.status === 'running' || job?.status === 'queued'} onClick={() => ds && call('quality/profile', { datasetId: ds }).then((x) => setJob(x.jobId), fail)}>
            {current ? t('qual.rerun') : t('qual.run')}
          </Button>
        </Space>
        {job && (job.status === 'running' || job.status === 'queued') && <div style={{ marginTop: 8 }}><JobProgress job={job} /></div>}
      </Card>
      {!current && loaded && datasets.length > 0 && <Alert type="info" showIcon message={t('qual.notProfiled')} />}
      {current && (
        <>
          <Row gutter={12}>
            <Col xs={12} lg={6}>
              <Card size="small" data-testid="q-score">
                <Tooltip title={t('qual.scoreHelp')}>
                  <Statistic title={t('qual.score')} value={current.score} precision={1} suffix="/ 100" valueStyle={{ color: scoreColor(current.score) === 'green' ? '#2da44e' : scoreColor(current.score) === 'gold' ? '#bf8700' : '#cf222e' }} />
                </Tooltip>
              </Card>
            </Col>
            <Col xs={12} lg={6}><Card size="small"><Statistic title={t('qual.rows')} value={current.rows} /></Card></Col>
            <Col xs={12} lg={6}><Card size="small"><Statistic title={t('qual.duplicateRows')} value={current.duplicateRows} /></Card></Col>
            <Col xs={12} lg={6}><Card size="small"><Statistic title={t('qual.profiledAt')} value={new Date(current.profiledAt).toLocaleString(i18n.language)} valueStyle={{ fontSize: 16 }} /></Card></Col>
          </Row>
          <Typography.Text type="secondary">{t('qual.clickHint')} {t('qual.scoreHelp')}</Typography.Text>
          <Table
            size="small"
            data-testid="q-columns"
            rowKey="name"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={current.columns}
            rowClassName={(r) => (r.name === sel ? 'ant-table-row-selected' : '')}
            columns={[
              { title: t('qual.column'), dataIndex: 'name', render: (n: string) => <a data-testid={`q-col-${n}`} onClick={() => setSel(n)}>{n}</a> },
              { title: t('qual.type'), dataIndex: 'type', render: (v: string) => <Tag>{t(`types.${v}`, { defaultValue: v })}</Tag> },
              { title: t('qual.role'), dataIndex: 'role', render: (v: string | null) => (v ? <Tag color="blue">{t(`roles.${v}`, v)}</Tag> : '') },
              { title: t('qual.nulls'), align: 'right', render: (_: unknown, r: ProfiledColumn) => link(r.nulls, { column: r.name, problem: 'null' }, `q-nulls-${r.name}`) },
              { title: t('qual.distinct'), align: 'right', render: (_: unknown, r: ProfiledColumn) => `${r.distinct.toLocaleString()}${r.distinctExact ? '' : ' ≈'}` },
              { title: t('qual.invalid'), align: 'right', render: (_: unknown, r: ProfiledColumn) => link(r.invalid.count, { column: r.name, problem: 'invalid' }, `q-invalid-${r.name}`) },
              { title: t('qual.outliersIqr'), align: 'right', render: (_: unknown, r: ProfiledColumn) => link(r.outliers?.iqr.count, { column: r.name, problem: 'outlier_iqr' }, `q-iqr-${r.name}`) },
              { title: t('qual.outliersMad'), align: 'right', render: (_: unknown, r: ProfiledColumn) => link(r.outliers ? (r.outliers.mad?.count ?? 0) : undefined, { column: r.name, problem: 'outlier_mad' }, `q-mad-${r.name}`) },
              { title: t('qual.colScore'), align: 'right', dataIndex: ['quality', 'score'], sorter: (a: ProfiledColumn, b: ProfiledColumn) => a.quality.score - b.quality.score, render: (s: number) => <Tag color={scoreColor(s)}>{s.toFixed(1)}</Tag> },
            ]}
          />
          {col && <ColumnDetail c={col} onOpen={setOpen} />}
          {ds && <ProblemDrawer datasetId={ds} open={open} onClose={() => setOpen(null)} />}
        </>
      )}
    </Space>
  );
}

export default function QualityPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const params = hashParams();
  const [tab, setTab] = useState(params.get('tab') ?? 'profile');
  // one dataset in hand for both tabs (profiled, then cleaned), or the one the link names
  const [ds, setDs] = useState<string | undefined>(params.get('ds') ?? undefined);
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  return (
    <div>
      <AreaTitle area="quality" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'profile', label: <span data-testid="q-tab-profile">{t('qual.tabProfile')}</span>, children: <ProfileTab ds={ds} setDs={setDs} /> },
          { key: 'recipe', label: <span data-testid="q-tab-recipe">{t('qual.tabRecipe')}</span>, children: <RecipeTab ds={ds} setDs={setDs} /> },
        ]}
      />
    </div>
  );
}
