import { ActionIcon, Group, Loader, SegmentedControl, SimpleGrid, Stack, Title, Tooltip } from '@mantine/core';
import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoachingDashboardStore } from './coaching-dashboard-store';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { ArchetypeChart, ObjectionChart, RatingsOverTimeChart, ResponseRatingsChart, SessionsChart } from './Charts';
import { EffectiveTable } from './EffectiveTable';
import { KpiCards } from './KpiCards';
import { WinRates } from './WinRates';

const RANGES = [7, 30, 90, 365] as const;

/**
 * Coaching KPIs with real charts (from `coaching:dashboard`): sessions over time, archetype
 * distribution, objection frequency, ratings per response and over time, the most effective responses.
 * Self-contained, so the Dashboard page can place it as it is.
 */
export function CoachingDashboard({ withTitle = true }: { withTitle?: boolean }) {
  const { t } = useTranslation();
  const data = useCoachingDashboardStore((s) => s.data);
  const days = useCoachingDashboardStore((s) => s.days);
  const loading = useCoachingDashboardStore((s) => s.loading);
  const error = useCoachingDashboardStore((s) => s.error);
  const load = useCoachingDashboardStore((s) => s.load);
  useEffect(() => void load(), [load]);

  return (
    <Stack gap="sm" data-testid="coaching-dashboard">
      <Group justify="space-between">
        {withTitle ? <Title order={3}>{t('coach.dashboard.title')}</Title> : <span />}
        <Group gap="xs">
          {loading && <Loader size="xs" />}
          <SegmentedControl
            size="xs"
            value={String(days)}
            onChange={(v) => void load(Number(v))}
            data={RANGES.map((d) => ({ value: String(d), label: t('coach.dashboard.days', { n: d }) }))}
            aria-label={t('coach.dashboard.range')}
          />
          <Tooltip label={t('coach.dashboard.refresh')}>
            <ActionIcon variant="light" onClick={() => void load()} aria-label={t('coach.dashboard.refresh')} data-testid="coach-dashboard-refresh">
              <RefreshCw size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <ErrorAlert error={error} onRetry={() => void load()} />
      {data && (
        <>
          <KpiCards totals={data.totals} />
          <WinRates data={data.winRates} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <SessionsChart data={data.sessionsOverTime} />
            <ArchetypeChart data={data.archetypeDistribution} />
            <ObjectionChart data={data.objectionFrequency} />
            <RatingsOverTimeChart data={data.ratingsOverTime} />
          </SimpleGrid>
          <ResponseRatingsChart data={data.responseRatings} />
          <EffectiveTable rows={data.mostEffective} />
        </>
      )}
    </Stack>
  );
}
