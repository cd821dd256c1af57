/** The audit log: paged, filtered by action, details expandable, exported as CSV. */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { codeName } from '../../i18n/codes';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import type { AuditEntry } from '../../../shared/types';
import { chooseDestination, finishDestination } from '../export/save';

const PAGE = 20;
const color = (a: string) => (a === 'export' || a === 'report' ? 'orange' : a.includes('delete') ? 'red' : a.includes('backup') || a.includes('restore') ? 'blue' : 'default');

export default function AuditTab() {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [action, setAction] = useState<string | undefined>();
  const [actions, setActions] = useState<{ action: string; count: number }[]>([]);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number }>({ entries: [], total: 0 });
  const load = useCallback(() => call('audit/list', { action, limit: PAGE, offset: (page - 1) * PAGE }).then(setData).catch(fail), [action, page, fail]);
  useEffect(() => void load(), [load]);
  useEffect(() => void call('audit/actions', {}).then(setActions).catch(fail), [fail]);
  const exportCsv = async () => {
    try {
      const dest = await chooseDestination(`segmint-audit${action ? '-' + action : ''}.csv`, 'csv');
      if (!dest) return;
      const r = await call('audit/export', { action, ...dest });
      await finishDestination(r);
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Card
      size="small"
      title={`${t('priv.tabAudit')} (${data.total.toLocaleString()})`}
      extra={
        <Space>
          <Select allowClear style={{ width: 240 }} placeholder={t('priv.allActions')} value={action} onChange={(v) => { setAction(v); setPage(1); }} options={actions.map((a) => ({ value: a.action, label: `${codeName(t, 'actions', a.action)} (${a.count})` }))} data-testid="audit-action" />
          <Button onClick={() => void exportCsv()} data-testid="audit-export">{t('priv.exportCsv')}</Button>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="id"
        data-testid="audit-table"
        dataSource={data.entries}
        pagination={{ current: page, pageSize: PAGE, total: data.total, onChange: setPage, showSizeChanger: false }}
        expandable={{
          rowExpandable: (r) => r.details !== null,
          expandedRowRender: (r) => <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }} data-user-data data-testid={`audit-details-${r.id}`}>{JSON.stringify(r.details, null, 2)}</pre>,
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('priv.at'), dataIndex: 'at', width: 170, render: (v: string) => v.slice(0, 19).replace('T', ' ') },
          { title: t('priv.action'), dataIndex: 'action', width: 200, render: (v: string) => <Tag color={color(v)} title={v}>{codeName(t, 'actions', v)}</Tag> },
          { title: t('priv.object'), render: (_, r) => <Typography.Text>{r.objectType && codeName(t, 'objects', r.objectType)}{r.objectType && r.objectId && ' · '}{r.objectId && <span data-user-data>{r.objectId}</span>}</Typography.Text> },
          { title: t('priv.rowsCol'), dataIndex: 'rows', width: 100, align: 'right', render: (v: number | null) => (v === null ? '' : v.toLocaleString()) },
          { title: t('priv.details'), ellipsis: true, render: (_, r) => <Typography.Text type="secondary" style={{ fontSize: 12 }} data-user-data>{r.details ? JSON.stringify(r.details).slice(0, 140) : ''}</Typography.Text> },
        ]}
      />
    </Card>
  );
}
