import { Alert, SimpleGrid, Paper, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSystemStore } from '../../stores/system-store';

export function DashboardPage() {
  const { t } = useTranslation();
  const info = useSystemStore((s) => s.info);
  const refresh = useSystemStore((s) => s.refresh);
  useEffect(() => void refresh(), [refresh]);
  return (
    <>
      <Title order={2} mb="md" data-testid="page-title">
        {t('dashboard.title')}
      </Title>
      <Alert variant="light" mb="md">
        {t('dashboard.placeholder')}
      </Alert>
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
