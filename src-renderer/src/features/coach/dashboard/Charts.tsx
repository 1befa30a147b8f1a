import { BarChart, DonutChart, LineChart } from '@mantine/charts';
import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Archetype } from '@shared/coaching/keys';
import type { CoachingDashboard } from '@shared/coaching/types';
import { ChartFrame } from '@renderer/components/ChartFrame';

const ARCHETYPE_COLOR: Record<Archetype, string> = {
  analytical: 'blue.6',
  driver: 'red.6',
  amiable: 'teal.6',
  expressive: 'orange.6',
  skeptic: 'gray.6',
  bargain_hunter: 'yellow.6',
};

const shortDay = (day: string, language: string) => new Date(`${day}T12:00:00`).toLocaleDateString(language, { day: 'numeric', month: 'short' });
const cut = (text: string, max = 34) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function SessionsChart({ data }: { data: CoachingDashboard['sessionsOverTime'] }) {
  const { t, i18n } = useTranslation();
  const rows = data.map((d) => ({ day: shortDay(d.day, i18n.language), coach: d.coach, roleplay: d.roleplay }));
  return (
    <ChartFrame title={t('coach.dashboard.sessionsOverTime')} empty={data.every((d) => d.coach + d.roleplay === 0)} emptyText={t('coach.dashboard.noSessions')} testId="coach-chart-sessions">
      <BarChart
        h={220}
        data={rows}
        dataKey="day"
        type="stacked"
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 30 }}
        yAxisProps={{ allowDecimals: false }}
        series={[
          { name: 'coach', label: t('coach.dashboard.coachSessions'), color: 'indigo.6' },
          { name: 'roleplay', label: t('coach.dashboard.roleplaySessions'), color: 'grape.5' },
        ]}
      />
    </ChartFrame>
  );
}

export function ArchetypeChart({ data }: { data: CoachingDashboard['archetypeDistribution'] }) {
  const { t } = useTranslation();
  const cells = data.map((d) => ({ name: t(`coach.archetypes.${d.archetype}`), value: d.sessions, color: ARCHETYPE_COLOR[d.archetype] }));
  return (
    <ChartFrame title={t('coach.dashboard.archetypes')} empty={cells.length === 0} emptyText={t('coach.dashboard.noArchetypes')} testId="coach-chart-archetypes">
      <Group justify="center" gap="lg" wrap="nowrap" h={220}>
        <DonutChart data={cells} size={170} thickness={26} withTooltip tooltipDataSource="segment" chartLabel={cells.reduce((s, c) => s + c.value, 0)} />
        <Stack gap={4}>
          {cells.map((c) => (
            <Group key={c.name} gap={6} wrap="nowrap">
              <span style={{ width: 10, height: 10, borderRadius: 2, background: `var(--mantine-color-${c.color.replace('.', '-')})` }} />
              <Text size="xs">
                {c.name}: {c.value}
              </Text>
            </Group>
          ))}
        </Stack>
      </Group>
    </ChartFrame>
  );
}

export function ObjectionChart({ data }: { data: CoachingDashboard['objectionFrequency'] }) {
  const { t } = useTranslation();
  const rows = data.map((d) => ({ category: t(`coach.categories.${d.category}`), messages: d.messages }));
  return (
    <ChartFrame title={t('coach.dashboard.objections')} empty={rows.length === 0} emptyText={t('coach.dashboard.noObjections')} testId="coach-chart-objections">
      <BarChart
        h={220}
        data={rows}
        dataKey="category"
        orientation="vertical"
        yAxisProps={{ width: 110 }}
        xAxisProps={{ allowDecimals: false }}
        withBarValueLabel
        series={[{ name: 'messages', label: t('coach.dashboard.messages'), color: 'red.6' }]}
      />
    </ChartFrame>
  );
}

export function ResponseRatingsChart({ data }: { data: CoachingDashboard['responseRatings'] }) {
  const { t, i18n } = useTranslation();
  const rows = data.slice(0, 8).map((d) => ({ response: cut(d.title), average: d.average, count: d.count }));
  return (
    <ChartFrame title={t('coach.dashboard.responseRatings')} empty={rows.length === 0} emptyText={t('coach.dashboard.noRatings')} testId="coach-chart-response-ratings">
      <BarChart
        h={Math.max(160, rows.length * 34 + 40)}
        data={rows}
        dataKey="response"
        orientation="vertical"
        yAxisProps={{ width: 200 }}
        xAxisProps={{ domain: [0, 5], ticks: [1, 2, 3, 4, 5] }}
        withBarValueLabel
        valueFormatter={(v) => v.toLocaleString(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
        series={[{ name: 'average', label: t('coach.dashboard.averageRating'), color: 'teal.6' }]}
      />
    </ChartFrame>
  );
}

export function RatingsOverTimeChart({ data }: { data: CoachingDashboard['ratingsOverTime'] }) {
  const { t, i18n } = useTranslation();
  const rows = data.map((d) => ({ day: shortDay(d.day, i18n.language), average: d.average }));
  return (
    <ChartFrame title={t('coach.dashboard.ratingsOverTime')} empty={rows.length === 0} emptyText={t('coach.dashboard.noRatings')} testId="coach-chart-ratings">
      <LineChart h={220} data={rows} dataKey="day" yAxisProps={{ domain: [1, 5], ticks: [1, 2, 3, 4, 5] }} curveType="monotone" series={[{ name: 'average', label: t('coach.dashboard.averageRating'), color: 'teal.6' }]} />
    </ChartFrame>
  );
}
