/** Reports & privacy: protected exports, the audit log, backups and self-contained reports. */
import { lazy, Suspense, useState } from 'react';
import { Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../state/app';
import { NeedWorkspace } from '../../components/NeedWorkspace';

const ExportTab = lazy(() => import('../export/ExportDialog').then((m) => ({ default: () => <m.ExportForm /> })));
const AuditTab = lazy(() => import('./AuditTab'));
const BackupsTab = lazy(() => import('./BackupsTab'));
const ReportTab = lazy(() => import('./ReportTab'));

export default function ReportsPage() {
  const { t } = useTranslation();
  const { workspace } = useApp();
  const [tab, setTab] = useState('export');
  if (!workspace) return <NeedWorkspace />;
  const lazyTab = (node: React.ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;
  return (
    <div>
      <Typography.Title level={3} className="seg-page-title">{t('priv.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('priv.subtitle')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'export', label: <span data-testid="tab-export">{t('priv.tabExport')}</span>, children: lazyTab(<ExportTab />) },
          { key: 'audit', label: <span data-testid="tab-audit">{t('priv.tabAudit')}</span>, children: lazyTab(<AuditTab />) },
          { key: 'backups', label: <span data-testid="tab-backups">{t('priv.tabBackups')}</span>, children: lazyTab(<BackupsTab />) },
          { key: 'reports', label: <span data-testid="tab-reports">{t('priv.tabReports')}</span>, children: lazyTab(<ReportTab />) },
        ]}
      />
    </div>
  );
}
