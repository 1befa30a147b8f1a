import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CoachingDashboard } from '../../../../../src-shared/coaching/types';

/** Totals: sessions, messages, suggestions, ratings and the average rating. */
export function KpiCards({ totals }: { totals: CoachingDashboard['totals'] }) {
  const { t, i18n } = useTranslation();
  const items: [string, string][] = [
    ['sessions', totals.sessions.toLocaleString(i18n.language)],
    ['messages', totals.messages.toLocaleString(i18n.language)],
    ['suggestions', totals.suggestions.toLocaleString(i18n.language)],
    ['ratings', totals.ratings.toLocaleString(i18n.language)],
    ['averageRating', totals.averageRating === null ? '—' : `${totals.averageRating.toLocaleString(i18n.language, { maximumFractionDigits: 2 })} ★`],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
      {items.map(([key, value]) => (
        <Paper key={key} withBorder p="sm" data-testid={`coach-kpi-${key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t(`coach.dashboard.kpi.${key}`)}
          </Text>
          <Text fw={700} size="xl" data-testid="kpi-value">
            {value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
