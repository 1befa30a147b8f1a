import { Paper, SimpleGrid, Tabs, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSystemStore } from '../../stores/system-store';
import { CoachingDashboard } from '../coach/dashboard/CoachingDashboard';
import { PalletDashboard } from '../pallets/dashboard/PalletDashboard';

/** Row counts of the local store: the "system health" view until sync and model health join it. */
function StoreHealth() {
  const { t } = useTranslation();
  const info = useSystemStore((s) => s.info);
  const refresh = useSystemStore((s) => s.refresh);
  useEffect(() => void refresh(), [refresh]);
  return (
    <>
      <Title order={4} mb="xs">
        {t('dashboard.rows')}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {Object.entries(info?.rowCounts ?? {}).map(([table, count]) => (
          <Paper key={table} withBorder p="sm">
            <Text size="xs" c="dimmed">
              {table}
            </Text>
            <Text fw={700}>{count}</Text>
          </Paper>
        ))}
      </SimpleGrid>
    </>
  );
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
