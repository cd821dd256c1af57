/** A column's type and role, editable after import (columns/set: a job; a new type re-reads the raw values). */
import { useCallback, useState } from 'react';
import { Alert, Button, Popover, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { useJob } from '../../components/pickers';
import { COLUMN_TYPES, ROLES, type DatasetColumn, type Role } from '../../../shared/types';
import type { ColumnChange } from '../../../shared/api/columns';

export function ColumnEditor({ datasetId, column, children }: { datasetId: string; column: DatasetColumn; children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const { fail } = useApp();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState(column.type);
  const [role, setRole] = useState<Role | ''>(column.role ?? '');
  const [done, setDone] = useState<ColumnChange | null>(null);
  const [job, setJob] = useJob('columns/set', useCallback((r: ColumnChange) => setDone(r), []));
  const running = !!job && (job.status === 'queued' || job.status === 'running');
  const apply = () => {
    setDone(null);
    const change = { ...(type !== column.type && { type }), ...((role || null) !== column.role && { role: role || null }) };
    if (!Object.keys(change).length) return setOpen(false);
    call('columns/set', { datasetId, column: column.name, ...change }).then((x) => setJob(x.jobId), fail);
  };
  const content = (
    <Space direction="vertical" style={{ width: 300 }}>
      <Typography.Text type="secondary">{t('data.columnHelp')}</Typography.Text>
      <Space>
        <span>{t('data.colType')}</span>
        <Select showSearch optionFilterProp="label" style={{ width: 200 }} value={type} onChange={setType} options={COLUMN_TYPES.map((x) => ({ value: x, label: t(`types.${x}`) }))} data-testid="column-type" />
      </Space>
      <Space>
        <span>{t('data.colRole')}</span>
        <Select showSearch optionFilterProp="label" style={{ width: 200 }} value={role} onChange={setRole} options={[{ value: '', label: t('data.noRole') }, ...ROLES.map((x) => ({ value: x, label: t(`roles.${x}`) }))]} data-testid="column-role" />
      </Space>
      <Button type="primary" loading={running} onClick={apply} data-testid="column-apply">{t('data.applyColumn')}</Button>
      {job?.status === 'failed' && job.error && <Alert type="error" message={i18n.language.startsWith('zh') ? job.error.zh : job.error.en} />}
      {done && <Alert type="success" data-testid="column-changed" message={t('data.columnChanged', { name: done.column.name, type: t(`types.${done.column.type}`), role: done.column.role ? t(`roles.${done.column.role}`) : t('data.noRole'), n: done.retyped })} />}
    </Space>
  );
  return (
    <Popover trigger="click" open={open} onOpenChange={(o) => { setOpen(o); if (o) { setType(column.type); setRole(column.role ?? ''); setDone(null); } }} title={t('data.editColumn', { name: column.name })} content={content}>
      <span style={{ cursor: 'pointer' }} data-testid={`column-${column.name}`}>{children}</span>
    </Popover>
  );
}
