import { Tabs, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@renderer/components/EmptyState';
import { useNavStore } from '@renderer/stores/nav-store';
import { CoachingDashboard } from '../coach/dashboard/CoachingDashboard';
import { useCoachStore } from '../coach/coach-store';
import { useHealthStore } from '../help/health/health-store';
import { StoreHealth } from '../help/health/StoreHealth';
import { useImportStore } from '../pallets/import/import-store';
import { PalletDashboard } from '../pallets/dashboard/PalletDashboard';
import { usePalletsStore } from '../pallets/pallets-store';

/** Pallets: the charts, or what to do first when there is no analysis yet. */
function PalletsTab() {
  const { t } = useTranslation();
  const analyses = usePalletsStore((s) => s.analyses);
  const loaded = usePalletsStore((s) => s.analysesLoaded);
  useEffect(() => {
    if (!usePalletsStore.getState().analysesLoaded) void usePalletsStore.getState().loadAnalyses();
  }, []);
  if (loaded && analyses.length === 0) {
    const importNow = () => {
      useNavStore.getState().go('pallets');
      useImportStore.getState().start();
    };
    return <EmptyState testId="dashboard-pallets-empty" title={t('help.empty.palletsTitle')} hint={t('help.empty.palletsHint')} action={t('help.empty.palletsAction')} onAction={importNow} />;
  }
  return <PalletDashboard />;
}

/** Coaching: the KPIs, or a button to the coach when no session exists yet. */
function CoachingTab() {
  const { t } = useTranslation();
  const health = useHealthStore((s) => s.health);
  useEffect(() => void useHealthStore.getState().refresh(), []);
  if (health && health.records.sessions === 0) {
    const start = () => {
      useNavStore.getState().go('coach');
      useCoachStore.getState().setTab('coach');
      void useCoachStore.getState().startSession();
    };
    return <EmptyState testId="dashboard-coaching-empty" title={t('help.empty.coachingTitle')} hint={t('help.empty.coachingHint')} action={t('help.empty.coachingAction')} onAction={start} />;
  }
  return <CoachingDashboard />;
}

export function DashboardPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2} mb="md" data-testid="page-title">
        {t('dashboard.title')}
      </Title>
      <Tabs defaultValue="pallets" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="pallets" data-testid="dashboard-tab-pallets">
            {t('dashboard.pallets')}
          </Tabs.Tab>
          <Tabs.Tab value="coaching" data-testid="dashboard-tab-coaching">
            {t('dashboard.coaching')}
          </Tabs.Tab>
          <Tabs.Tab value="system" data-testid="dashboard-tab-system">
            {t('dashboard.system')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pallets">
          <PalletsTab />
        </Tabs.Panel>
        <Tabs.Panel value="coaching">
          <CoachingTab />
        </Tabs.Panel>
        <Tabs.Panel value="system">
          <StoreHealth />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
