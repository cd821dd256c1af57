/** Backups of the open workspace: create, restore, retention. */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, InputNumber, Popconfirm, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { backupReason } from '../../i18n/codes';
import type { BackupInfo } from '../../../shared/types';

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

export default function BackupsTab() {
  const { t } = useTranslation();
  const { fail, refresh } = useApp();
  const { message } = App.useApp();
  const [data, setData] = useState<{ backups: BackupInfo[]; retention: number; dir: string } | null>(null);
  const [keep, setKeep] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => call('backups/list', {}).then((d) => { setData(d); setKeep(d.retention); }).catch(fail), [fail]);
  useEffect(() => void load(), [load]);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      await load();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={t('priv.tabBackups')}
      extra={
        <Space>
          <span>{t('priv.retention')}</span>
          <InputNumber min={1} max={100} value={keep} onChange={setKeep} style={{ width: 80 }} data-testid="backup-retention" />
          <Button disabled={!keep || keep === data?.retention} onClick={() => void act(async () => { const r = await call('backups/retention', { keep: keep! }); message.success(t('priv.pruned', { n: r.removed.length })); })}>{t('priv.applyRetention')}</Button>
          <Button type="primary" loading={busy} onClick={() => void act(async () => { await call('backups/create', { reason: 'manual' }); message.success(t('priv.backupDone')); })} data-testid="backup-create">{t('priv.createBackup')}</Button>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="path"
        data-testid="backup-table"
        dataSource={data?.backups ?? []}
        pagination={false}
        columns={[
          { title: t('priv.createdAt'), dataIndex: 'createdAt', width: 220, render: (v: string) => v.replace(/^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d).*$/, '$1 $2:$3:$4') },
          { title: t('priv.reason'), dataIndex: 'reason', render: (v: string) => backupReason(t, v) },
          { title: t('priv.size'), dataIndex: 'sizeBytes', width: 100, align: 'right', render: mb },
          {
            title: '',
            width: 90,
            render: (_, b) => (
              <Popconfirm title={t('priv.restoreQ')} onConfirm={() => void act(async () => { await call('backups/restore', { backup: b.path }); await refresh(); message.success(t('priv.restored', { name: b.name })); })}>
                <Button size="small" type="link">{t('priv.restore')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('priv.backupHelp')} {data && <>{t('priv.backupDir')}: <Typography.Text code>{data.dir}</Typography.Text></>}
      </Typography.Paragraph>
    </Card>
  );
}
