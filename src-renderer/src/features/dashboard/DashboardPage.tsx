import { Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { StoreHealth } from '../help/health/StoreHealth';
import { CoachingDashboard } from '../coach/dashboard/CoachingDashboard';
import { PalletDashboard } from '../pallets/dashboard/PalletDashboard';

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
          <PalletDashboard />
        </Tabs.Panel>
        <Tabs.Panel value="coaching">
          <CoachingDashboard />
        </Tabs.Panel>
        <Tabs.Panel value="system">
          <StoreHealth />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
