import { SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CoachingDashboard } from '@shared/coaching/types';
import { KpiCard } from '@renderer/components/KpiCard';

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
        <KpiCard key={key} label={t(`coach.dashboard.kpi.${key}`)} value={value} testId={`coach-kpi-${key}`} size="xl" padding="sm" />
      ))}
    </SimpleGrid>
  );
}
