/** Customer insights: lifecycle stages, geography, cross-channel journeys, satisfaction (issue #11). */
import { lazy, Suspense, useState } from 'react';
import { Spin, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { AreaTitle } from '../../components/AreaTitle';
import { useApp } from '../../state/app';
import { NeedWorkspace } from '../../components/NeedWorkspace';

const LifecycleTab = lazy(() => import('./LifecycleTab'));
const GeoTab = lazy(() => import('./GeoTab'));
const JourneysTab = lazy(() => import('./JourneysTab'));
const SatisfactionTab = lazy(() => import('./SatisfactionTab'));

export default function InsightsPage() {
  const { t } = useTranslation();
  const { workspace, datasets } = useApp();
  const [tab, setTab] = useState('lifecycle');
  if (!workspace || !datasets.length) return <NeedWorkspace />;
  const wrap = (node: React.ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;
  return (
    <div>
      <AreaTitle area="insights" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden={false}
        items={[
          { key: 'lifecycle', label: <span data-testid="tab-lifecycle">{t('ins.tabLifecycle')}</span>, children: wrap(<LifecycleTab />) },
          { key: 'geo', label: <span data-testid="tab-geo">{t('ins.tabGeo')}</span>, children: wrap(<GeoTab />) },
          { key: 'journeys', label: <span data-testid="tab-journeys">{t('ins.tabJourneys')}</span>, children: wrap(<JourneysTab />) },
          { key: 'satisfaction', label: <span data-testid="tab-satisfaction">{t('ins.tabSatisfaction')}</span>, children: wrap(<SatisfactionTab />) },
        ]}
      />
    </div>
  );
}
