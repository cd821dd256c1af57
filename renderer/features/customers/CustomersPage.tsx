/** Customers: the single customer view (search → profile + timeline), linking, and record dedupe with review and merge. */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, Row, Space, Spin, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { hashParams, navigate } from '../../routes';
import { NeedWorkspace } from '../../components/NeedWorkspace';
import type { CustomerProfile, CustomerRow } from '../../../shared/api/customers';

const LinkTab = lazy(() => import('./LinkTab'));
const DuplicatesTab = lazy(() => import('./DuplicatesTab'));

export default function CustomersPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const [id, setId] = useState<string | null>(hashParams().get('id'));
  const [tab, setTab] = useState(hashParams().get('tab') ?? 'customers');
  useEffect(() => {
    const on = () => {
      const p = hashParams();
      setId(p.get('id'));
      if (p.get('id')) setTab('customers');
      else if (p.get('tab')) setTab(p.get('tab')!);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  const lazyTab = (node: React.ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;
  return (
    <div>
      <AreaTitle area="customers" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'customers', label: <span data-testid="tab-customers">{t('cust.tabCustomers')}</span>, children: id ? <CustomerView customerId={id} /> : <CustomersTab onLink={() => setTab('link')} /> },
          { key: 'link', label: <span data-testid="tab-link">{t('cust.tabLink')}</span>, children: lazyTab(<LinkTab />) },
          { key: 'duplicates', label: <span data-testid="tab-duplicates">{t('cust.tabDuplicates')}</span>, children: lazyTab(<DuplicatesTab />) },
        ]}
      />
    </div>
  );
}

function CustomersTab({ onLink }: { onLink: () => void }) {
  const { t } = useTranslation();
  const { fail, datasets, jobs } = useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; rows: CustomerRow[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const pageSize = 20;
  // Only the latest request may fill the table: a slow reload (after a job) must not overwrite a newer search.
  const seq = useRef(0);
  const load = useCallback(
    (query: string, p: number) => {
      const mine = ++seq.current;
      setLoading(true);
      call('customers/search', { q: query, offset: (p - 1) * pageSize, limit: pageSize })
        .then((r) => mine === seq.current && setData(r))
        .catch(fail)
        .finally(() => mine === seq.current && setLoading(false));
    },
    [fail],
  );
  // Reload when the page or the catalog changes, and after finished jobs (a link run rebuilds the view but changes no dataset).
  const finished = jobs.filter((j) => j.status === 'done').length;
  useEffect(() => load(q, page), [load, page, datasets, finished]); // eslint-disable-line react-hooks/exhaustive-deps
  if (data && data.total === 0 && !q)
    return <Alert type="info" showIcon message={t('cust.noView')} action={<Button onClick={onLink} data-testid="cust-to-link">{t('cust.toLink')}</Button>} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder={t('cust.search')}
        style={{ maxWidth: 520 }}
        data-testid="cust-search"
        onSearch={(v) => {
          setQ(v);
          setPage(1);
          load(v, 1);
        }}
      />
      <Table<CustomerRow>
        size="small"
        rowKey="customerId"
        loading={loading}
        data-testid="cust-table"
        dataSource={data?.rows ?? []}
        onRow={(r) => ({ onClick: () => navigate('customers', `id=${encodeURIComponent(r.customerId)}`), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (n) => `${n.toLocaleString()}` }}
        columns={[
          { title: t('cust.id'), dataIndex: 'customerId', width: 120 },
          { title: t('cust.name'), dataIndex: 'name', width: 110 },
          { title: t('cust.phone'), dataIndex: 'phone', width: 150 },
          { title: t('cust.email'), dataIndex: 'email', ellipsis: true },
          { title: t('cust.place'), key: 'place', render: (_, r) => [r.province, r.city].filter(Boolean).join(' '), width: 160 },
          { title: t('cust.records'), dataIndex: 'records', align: 'right', width: 80 },
          { title: t('cust.datasets'), dataIndex: 'datasets', align: 'right', width: 80 },
          { title: t('cust.lastSeen'), dataIndex: 'lastSeen', width: 170 },
        ]}
      />
    </Space>
  );
}

const KIND_COLOR: Record<string, string> = { order: 'green', sms: 'blue', reply: 'purple', click: 'cyan', record: 'gray', event: 'gray' };
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

function CustomerView({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [p, setP] = useState<CustomerProfile | null>(null);
  useEffect(() => {
    setP(null);
    call('customers/get', { customerId }).then(setP).catch(fail);
  }, [customerId, fail]);
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('customers')} data-testid="cust-back">
      {t('cust.back')}
    </Button>
  );
  if (!p) return <Space direction="vertical">{back}<Spin /></Space>;
  const c = p.customer;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {back}
      <Row gutter={12}>
        <Col xs={24} lg={10}>
          <Card size="small" title={<Space><span data-testid="cust-name">{c.name ?? c.customerId}</span><Tag>{c.customerId}</Tag></Space>} data-testid="cust-profile">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('cust.phone')}>{show(c.phone)}</Descriptions.Item>
              <Descriptions.Item label={t('cust.email')}>{show(c.email)}</Descriptions.Item>
              <Descriptions.Item label={t('cust.place')}>{[c.province, c.city].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cust.gender')}>{show(c.gender)}</Descriptions.Item>
              <Descriptions.Item label={t('cust.birthday')}>{show(c.birthday)}</Descriptions.Item>
              <Descriptions.Item label={t('cust.records')}>{c.records} · {t('cust.datasets')} {c.datasets} · {t('cust.events')} {c.events}</Descriptions.Item>
              <Descriptions.Item label={t('cust.firstSeen')}>{show(c.firstSeen)}</Descriptions.Item>
              <Descriptions.Item label={t('cust.lastSeen')}>{show(c.lastSeen)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t('cust.segments')} style={{ marginTop: 12 }} data-testid="cust-segments">
            {p.segments.length ? p.segments.map((s) => <Tag key={s.segmentationId + s.segmentKey} color={s.color ?? 'blue'} title={s.segmentation}>{s.segmentation}: {s.segment}</Tag>) : <Typography.Text type="secondary">{t('cust.noSegments')}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={`${t('cust.timeline')} (${p.timeline.length})`} data-testid="cust-timeline" styles={{ body: { maxHeight: 520, overflow: 'auto', paddingTop: 16 } }}>
            {p.timeline.length ? (
              <Timeline
                items={p.timeline.map((e) => ({
                  color: KIND_COLOR[e.kind],
                  children: (
                    <div data-testid="cust-event">
                      <Typography.Text strong>{e.at}</Typography.Text> <Tag color={KIND_COLOR[e.kind]}>{t(`cust.kinds.${e.kind}`)}</Tag>
                      <Typography.Text type="secondary">{e.datasetName}</Typography.Text>
                      {e.amount !== null && <Typography.Text strong style={{ marginLeft: 8, color: e.amount < 0 ? '#cf222e' : undefined }}>¥{e.amount.toFixed(2)}</Typography.Text>}
                      <div style={{ fontSize: 12, color: '#57606a' }}>{e.detail.filter((d) => d.value !== null && d.value !== '' && d.role !== 'amount').map((d) => `${d.column}: ${String(d.value).slice(0, 60)}`).join(' · ')}</div>
                    </div>
                  ),
                }))}
              />
            ) : (
              <Empty description={t('cust.noEvents')} />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('cust.sources')} data-testid="cust-sources">
        <Table
          size="small"
          rowKey={(r) => `${r.datasetId}:${r.row}`}
          dataSource={p.sources}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('cust.dataset'), dataIndex: 'datasetName', width: 120 },
            { title: t('cust.row'), dataIndex: 'row', width: 70 },
            { title: t('cust.rule'), dataIndex: 'rule', width: 120, render: (r: string, x) => <Tag color={r === 'fuzzy' ? 'orange' : r === 'single' ? 'default' : 'green'}>{t(`cust.rules.${r}`)}{r === 'fuzzy' ? ` ${x.score.toFixed(2)}` : ''}</Tag> },
            { title: t('cust.values'), key: 'values', render: (_, r) => <Typography.Text style={{ fontSize: 12 }}>{Object.entries(r.values).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</Typography.Text> },
          ]}
        />
        {p.moreSources > 0 && <Typography.Text type="secondary">{t('cust.moreSources', { n: p.moreSources })}</Typography.Text>}
      </Card>
    </Space>
  );
}
