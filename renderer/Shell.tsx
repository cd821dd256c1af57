/** The app frame: navigation for every product area, header with workspace, language and jobs. */
import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Badge, Button, Layout, Menu, Segmented, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import {
  AimOutlined, EyeInvisibleOutlined, EyeOutlined,
  AppstoreOutlined, BarChartOutlined, CloudUploadOutlined, DatabaseOutlined, DollarOutlined, FileTextOutlined,
  MessageOutlined, SafetyCertificateOutlined, DashboardOutlined, SettingOutlined, TeamOutlined, ThunderboltOutlined, UnorderedListOutlined, FolderOpenOutlined, LockOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApp } from './state/app';
import { call } from './api/client';
import { JobsDrawer } from './features/jobs/JobsDrawer';
import { areaFromHash, navigate, type Area } from './routes';


// One lazily loaded bundle per screen.
const screens: Record<Area, ComponentType> = {
  workspace: lazy(() => import('./features/workspace/WorkspacePage')),
  import: lazy(() => import('./features/import/ImportWizard')),
  data: lazy(() => import('./features/data/DataPage')),
  dashboard: lazy(() => import('./features/dashboard/DashboardPage')),
  quality: lazy(() => import('./features/quality/QualityPage')),
  customers: lazy(() => import('./features/customers/CustomersPage')),
  segments: lazy(() => import('./features/segments/SegmentsPage')),
  campaigns: lazy(() => import('./features/campaigns/CampaignsPage')),
  text: lazy(() => import('./features/text/TextPage')),
  value: lazy(() => import('./features/value/ValuePage')),
  insights: lazy(() => import('./features/insights/InsightsPage')),
  reports: lazy(() => import('./features/reports/ReportsPage')),
  settings: lazy(() => import('./features/settings/SettingsPage')),
};

export const AREAS: { key: Area; icon: ReactNode; shortcut: string }[] = [
  { key: 'workspace', icon: <FolderOpenOutlined />, shortcut: 'W' },
  { key: 'import', icon: <CloudUploadOutlined />, shortcut: 'I' },
  { key: 'data', icon: <DatabaseOutlined />, shortcut: 'D' },
  { key: 'dashboard', icon: <DashboardOutlined />, shortcut: 'B' },
  { key: 'quality', icon: <SafetyCertificateOutlined />, shortcut: 'Q' },
  { key: 'customers', icon: <TeamOutlined />, shortcut: 'C' },
  { key: 'segments', icon: <AppstoreOutlined />, shortcut: 'S' },
  { key: 'campaigns', icon: <MessageOutlined />, shortcut: 'M' },
  { key: 'text', icon: <FileTextOutlined />, shortcut: 'T' },
  { key: 'value', icon: <DollarOutlined />, shortcut: 'V' },
  { key: 'insights', icon: <AimOutlined />, shortcut: 'L' },
  { key: 'reports', icon: <BarChartOutlined />, shortcut: 'R' },
  { key: 'settings', icon: <SettingOutlined />, shortcut: ',' },
];

export function Shell() {
  const { t } = useTranslation();
  const { ready, workspace, jobs, lang, setLang, settings, fail } = useApp();
  const presenting = !!settings?.presentationMode;
  // Turning presentation mode on or off reloads the screens so everything on them is fetched
  // again, masked (or not) by the services.
  const togglePresentation = () => {
    call('settings/get', {})
      .then((s) => call('settings/set', { presentationMode: !s.presentationMode }))
      .then(() => location.reload())
      .catch(fail);
  };
  const [area, setArea] = useState<Area>(areaFromHash());
  const [jobsOpen, setJobsOpen] = useState(false);
  const running = jobs.filter((j) => j.status === 'running' || j.status === 'queued').length;

  useEffect(() => {
    const onHash = () => setArea(areaFromHash());
    window.addEventListener('hashchange', onHash);
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const k = e.key.toUpperCase();
      if (k === 'P' || e.code === 'KeyP') {
        togglePresentation();
        e.preventDefault();
        return;
      }
      if (k === 'J') {
        setJobsOpen((o) => !o);
        e.preventDefault();
        return;
      }
      const hit = AREAS.find((a) => a.shortcut === k || (e.code === `Key${a.shortcut}`));
      if (hit) {
        navigate(hit.key);
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const Screen = screens[area];
  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Sider width={212} theme="dark" breakpoint="lg" collapsedWidth={64}>
        <div className="seg-brand">
          <span className="dot" />
          <span>Segmint</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[area]}
          onClick={(e) => navigate(e.key as Area)}
          items={AREAS.map((a) => ({
            key: a.key,
            icon: a.icon,
            label: (
              <span data-testid={`nav-${a.key}`}>
                {t(`nav.${a.key}`)}
                <span className="seg-kbd">Alt+{a.shortcut}</span>
              </span>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="seg-header">
          <Space>
            {workspace ? (
              <Tag color="blue" icon={workspace.encrypted ? <LockOutlined /> : <DatabaseOutlined />} data-testid="current-workspace">
                {workspace.name}
              </Tag>
            ) : (
              <Typography.Text type="secondary">{t('workspace.none')}</Typography.Text>
            )}
          </Space>
          <Space size="middle">
            <Tooltip title={`${t('presentation.tip')} (Alt+P)`}>
              <Button type={presenting ? 'primary' : 'default'} danger={presenting} icon={presenting ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={togglePresentation} data-testid="presentation-toggle">
                {presenting ? t('presentation.on') : t('presentation.off')}
              </Button>
            </Tooltip>
            <Segmented
              data-testid="lang-switch"
              value={lang}
              onChange={(v) => void setLang(v as 'zh-CN' | 'en')}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en' },
              ]}
            />
            <Tooltip title={`${t('jobs.title')} (Alt+J)`}>
              <Badge count={running} size="small">
                <Button icon={running ? <ThunderboltOutlined spin /> : <UnorderedListOutlined />} onClick={() => setJobsOpen(true)} data-testid="jobs-button">
                  {t('jobs.title')}
                </Button>
              </Badge>
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content className="seg-content">
          {ready ? (
            <Suspense fallback={<Spin style={{ margin: 80 }} />}>
              <Screen />
            </Suspense>
          ) : (
            <Spin style={{ margin: 80 }} />
          )}
        </Layout.Content>
      </Layout>
      <JobsDrawer open={jobsOpen} onClose={() => setJobsOpen(false)} />
    </Layout>
  );
}
