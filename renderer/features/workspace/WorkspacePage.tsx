/** Workspace: create / open (recent) / demo; for the open one: info, rename, passphrase, backups, audit, delete. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Form, Input, List, Modal, Popconfirm, Row, Space, Table, Tag, Typography, App as AntApp } from 'antd';
import { ExperimentOutlined, LockOutlined, PlusOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { call } from '../../api/client';
import { useApp } from '../../state/app';
import { backupReason } from '../../i18n/codes';
import { codeName } from '../../i18n/codes';
import { navigate } from '../../routes';
import { JobProgress } from '../jobs/JobsDrawer';
import type { AuditEntry, BackupInfo, RecentWorkspace } from '../../../shared/types';

function fmtBytes(n: number): string {
  return n > 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

function CreateCard({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { fail } = useApp();
  const [busy, setBusy] = useState(false);
  const [encrypt, setEncrypt] = useState(false);
  return (
    <Card title={<Space><PlusOutlined />{t('workspace.create')}</Space>}>
      <Form
        layout="vertical"
        onFinish={async (v: { name: string; passphrase?: string }) => {
          setBusy(true);
          try {
            await call('workspace/create', { name: v.name, passphrase: encrypt && v.passphrase ? v.passphrase : undefined });
            onDone();
          } catch (e) {
            fail(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label={t('workspace.name')} rules={[{ required: true, message: t('workspace.nameRequired') }]}>
          <Input data-testid="ws-name" placeholder={t('workspace.namePlaceholder')} maxLength={120} />
        </Form.Item>
        <Form.Item>
          <Button type={encrypt ? 'primary' : 'default'} ghost={encrypt} icon={<LockOutlined />} onClick={() => setEncrypt(!encrypt)} size="small">
            {t('workspace.encrypt')}
          </Button>
        </Form.Item>
        {encrypt && (
          <Form.Item name="passphrase" label={t('workspace.passphrase')} rules={[{ required: true, min: 8, message: t('workspace.passphraseRule') }]} extra={t('workspace.passphraseHelp')}>
            <Input.Password data-testid="ws-passphrase" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="ws-create">
          {t('workspace.createButton')}
        </Button>
      </Form>
    </Card>
  );
}

function DemoCard() {
  const { t } = useTranslation();
  const { fail, jobs } = useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = jobs.find((j) => j.id === jobId);
  return (
    <Card title={<Space><ExperimentOutlined />{t('workspace.demo')}</Space>}>
      <Typography.Paragraph type="secondary">{t('workspace.demoHelp')}</Typography.Paragraph>
      <Button
        data-testid="open-demo"
        loading={job?.status === 'running' || job?.status === 'queued'}
        onClick={async () => {
          try {
            const r = await call('demo/open', {});
            setJobId(r.jobId);
          } catch (e) {
            fail(e);
          }
        }}
      >
        {t('workspace.openDemo')}
      </Button>
      {job && job.status !== 'done' && <div style={{ marginTop: 12 }}><JobProgress job={job} /></div>}
    </Card>
  );
}

function RecentCard({ recent, onOpen }: { recent: RecentWorkspace[]; onOpen: (r: RecentWorkspace) => void }) {
  const { t } = useTranslation();
  return (
    <Card title={<Space><FolderOpenOutlined />{t('workspace.recent')}</Space>}>
      <List
        locale={{ emptyText: t('workspace.noRecent') }}
        dataSource={recent.filter((r) => r.exists)}
        renderItem={(r) => (
          <List.Item actions={[<Button key="o" size="small" onClick={() => onOpen(r)} data-testid={`open-${r.name}`}>{t('common.open')}</Button>]}>
            <List.Item.Meta style={{ minWidth: 0 }} title={<Space><span data-user-data>{r.name}</span>{r.encrypted && <LockOutlined />}</Space>} description={<Typography.Text type="secondary" ellipsis={{ tooltip: r.path }} style={{ display: 'block', maxWidth: '100%' }} data-user-data>{r.path}</Typography.Text>} />
          </List.Item>
        )}
      />
    </Card>
  );
}

function OpenWorkspace() {
  const { t } = useTranslation();
  const { workspace, refresh, fail } = useApp();
  const { modal, message } = AntApp.useApp();
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [pwOpen, setPwOpen] = useState(false);
  const load = useCallback(async () => {
    try {
      setAudit((await call('audit/list', { limit: 50 })).entries);
      setBackups((await call('backups/list', {})).backups);
    } catch (e) {
      fail(e);
    }
  }, [fail]);
  useEffect(() => void load(), [load, workspace?.path]);
  if (!workspace) return null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={<Space>{workspace.name}{workspace.encrypted && <Tag icon={<LockOutlined />} color="gold">{t('workspace.encrypted')}</Tag>}</Space>}
        extra={
          <Space wrap>
            <Button onClick={() => navigate('import')} type="primary">{t('nav.import')}</Button>
            <Button onClick={() => navigate('data')}>{t('nav.data')}</Button>
            <Button
              onClick={() => {
                let name = workspace.name;
                modal.confirm({
                  title: t('workspace.rename'),
                  content: <Input defaultValue={workspace.name} onChange={(e) => (name = e.target.value)} data-testid="rename-input" />,
                  onOk: () => call('workspace/rename', { path: workspace.path, name }).then(refresh).catch(fail),
                });
              }}
            >
              {t('workspace.rename')}
            </Button>
            <Button onClick={() => setPwOpen(true)} icon={<LockOutlined />}>{t('workspace.changePassphrase')}</Button>
            <Button onClick={() => call('backups/create', { reason: 'manual' }).then(() => { void message.success(t('workspace.backupDone')); void load(); }).catch(fail)}>{t('workspace.backup')}</Button>
            <Button onClick={() => call('workspace/close', {}).then(refresh).catch(fail)} data-testid="ws-close">{t('common.close')}</Button>
            <Button
              danger
              onClick={() => {
                let typed = '';
                modal.confirm({
                  title: t('workspace.deleteTitle'),
                  content: (
                    <Space direction="vertical">
                      <Typography.Text>{t('workspace.deleteConfirm', { name: workspace.name })}</Typography.Text>
                      <Input onChange={(e) => (typed = e.target.value)} data-testid="delete-confirm" />
                    </Space>
                  ),
                  okButtonProps: { danger: true },
                  onOk: () => call('workspace/delete', { path: workspace.path, confirmName: typed }).then(refresh).catch((e) => { fail(e); throw e; }),
                });
              }}
            >
              {t('common.delete')}
            </Button>
          </Space>
        }
      >
        <Descriptions column={2} size="small">
          <Descriptions.Item label={t('workspace.path')}><span data-user-data>{workspace.path}</span></Descriptions.Item>
          <Descriptions.Item label={t('workspace.size')}>{fmtBytes(workspace.sizeBytes)}</Descriptions.Item>
          <Descriptions.Item label={t('workspace.datasets')}>{workspace.datasets}</Descriptions.Item>
          <Descriptions.Item label={t('workspace.schema')}>{workspace.schemaVersion}</Descriptions.Item>
          <Descriptions.Item label={t('workspace.created')}>{workspace.createdAt?.replace('T', ' ').slice(0, 19)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card title={t('workspace.audit')} size="small">
            <Table<AuditEntry>
              size="small"
              rowKey="id"
              dataSource={audit}
              pagination={{ pageSize: 8 }}
              columns={[
                { title: t('audit.time'), dataIndex: 'at', width: 170, render: (v: string) => v.replace('T', ' ').slice(0, 19) },
                { title: t('audit.action'), dataIndex: 'action', render: (v: string) => t(`audit.actions.${v}`, { defaultValue: codeName(t, 'actions', v) }) },
                { title: t('audit.object'), dataIndex: 'objectId', render: (v: string | null) => <span data-user-data>{v}</span> },
                { title: t('audit.rows'), dataIndex: 'rows', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('workspace.backups')} size="small">
            <List
              size="small"
              locale={{ emptyText: t('workspace.noBackups') }}
              dataSource={backups}
              renderItem={(b) => (
                <List.Item
                  actions={[
                    <Popconfirm key="r" title={t('workspace.restoreConfirm')} onConfirm={() => call('backups/restore', { backup: b.path }).then(() => { void message.success(t('workspace.restored')); return refresh(); }).catch(fail)}>
                      <Button size="small">{t('workspace.restore')}</Button>
                    </Popconfirm>,
                  ]}
                >
                  <List.Item.Meta title={b.createdAt.replace(/T(\d\d)-(\d\d)-(\d\d).*/, ' $1:$2:$3')} description={`${backupReason(t, b.reason)} · ${fmtBytes(b.sizeBytes)}`} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      <PassphraseModal open={pwOpen} encrypted={workspace.encrypted} onClose={() => setPwOpen(false)} />
    </Space>
  );
}

function PassphraseModal({ open, encrypted, onClose }: { open: boolean; encrypted: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { refresh, fail } = useApp();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  return (
    <Modal
      open={open}
      title={t('workspace.changePassphrase')}
      onCancel={onClose}
      onOk={() =>
        form.validateFields().then((v: { current?: string; next?: string }) =>
          call('workspace/change-passphrase', { current: v.current || undefined, next: v.next ? v.next : null })
            .then((r) => {
              // Say what became of the backups: re-keyed, or deleted rather than left in plaintext.
              void message.info(t('workspace.passphraseBackups', { rekeyed: r.backups.rekeyed.length, removed: r.backups.removed.length, unchanged: r.backups.unchanged.length }), 8);
              form.resetFields();
              onClose();
              return refresh();
            })
            .catch(fail),
        )
      }
    >
      <Form form={form} layout="vertical">
        {encrypted && (
          <Form.Item name="current" label={t('workspace.currentPassphrase')} rules={[{ required: true }]}>
            <Input.Password />
          </Form.Item>
        )}
        <Form.Item name="next" label={t('workspace.newPassphrase')} extra={encrypted ? t('workspace.emptyDecrypts') : undefined} rules={encrypted ? [] : [{ required: true, min: 8, message: t('workspace.passphraseRule') }]}>
          <Input.Password />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function WorkspacePage() {
  const { t } = useTranslation();
  const { workspace, refresh, fail } = useApp();
  const [recent, setRecent] = useState<RecentWorkspace[]>([]);
  const [askPw, setAskPw] = useState<RecentWorkspace | null>(null);
  const [pw, setPw] = useState('');
  useEffect(() => {
    call('workspace/list', {}).then((r) => setRecent(r.recent)).catch(fail);
  }, [fail, workspace?.path]);
  const open = async (r: RecentWorkspace, passphrase?: string) => {
    if (r.encrypted && !passphrase) return setAskPw(r);
    try {
      await call('workspace/open', { path: r.path, passphrase });
      setAskPw(null);
      setPw('');
      await refresh();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div>
      <AreaTitle area="workspace" />
      {workspace ? (
        <OpenWorkspace />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Alert type="info" showIcon message={t('workspace.privacy')} />
          <Row gutter={16}>
            <Col xs={24} lg={8}><CreateCard onDone={() => void refresh()} /></Col>
            <Col xs={24} lg={8}><DemoCard /></Col>
            <Col xs={24} lg={8}><RecentCard recent={recent} onOpen={(r) => void open(r)} /></Col>
          </Row>
        </Space>
      )}
      <Modal open={!!askPw} title={t('workspace.enterPassphrase', { name: askPw?.name })} onCancel={() => setAskPw(null)} onOk={() => askPw && void open(askPw, pw)}>
        <Input.Password value={pw} onChange={(e) => setPw(e.target.value)} onPressEnter={() => askPw && void open(askPw, pw)} data-testid="unlock-passphrase" />
      </Modal>
    </div>
  );
}
