import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WinRates as WinRatesData } from '@shared/coaching/pipeline';
import { KpiCard } from '@renderer/components/KpiCard';

function percent(rate: number | null, language: string): string {
  return rate === null ? '—' : rate.toLocaleString(language, { style: 'percent', maximumFractionDigits: 0 });
}

/** Win rate of decided outcomes (issue 16), next to the ratings: overall, by objection category, response, archetype. */
export function WinRates({ data }: { data: WinRatesData }) {
  const { t, i18n } = useTranslation();
  const rows = (items: { key: string; label: string; won: number; lost: number; rate: number | null }[]) =>
    items.length === 0 ? (
      <Text c="dimmed" size="sm">
        {t('pipeline.winRates.none')}
      </Text>
    ) : (
      <Table>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>{percent(r.rate, i18n.language)}</Table.Td>
              <Table.Td c="dimmed">
                {r.won}/{r.won + r.lost}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  return (
    <Stack gap="sm" data-testid="win-rates">
      <KpiCard label={t('pipeline.winRates.overall')} value={`${percent(data.overall.rate, i18n.language)} (${data.overall.won}/${data.overall.won + data.overall.lost})`} testId="coach-kpi-winRate" size="xl" padding="sm" />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <Card withBorder>
          <Title order={5}>{t('pipeline.winRates.byCategory')}</Title>
          {rows(data.byCategory.map((r) => ({ key: r.category, label: t(`coach.objection.${r.category}`, { defaultValue: r.category }), won: r.won, lost: r.lost, rate: r.rate })))}
        </Card>
        <Card withBorder>
          <Title order={5}>{t('pipeline.winRates.byResponse')}</Title>
          {rows(data.byResponse.map((r) => ({ key: r.knowledgeId, label: r.title, won: r.won, lost: r.lost, rate: r.rate })))}
        </Card>
        <Card withBorder>
          <Title order={5}>{t('pipeline.winRates.byArchetype')}</Title>
          {rows(data.byArchetype.map((r) => ({ key: r.archetype, label: t(`coach.archetype.${r.archetype}`, { defaultValue: r.archetype }), won: r.won, lost: r.lost, rate: r.rate })))}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
