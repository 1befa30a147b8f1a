import { Badge, Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CoachingDashboard } from '@shared/coaching/types';

/** The responses that work best: average rating shrunk towards 3, so one lucky 5 does not lead. */
export function EffectiveTable({ rows }: { rows: CoachingDashboard['mostEffective'] }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="coach-most-effective">
      <Text fw={600} size="sm" mb="xs">
        {t('coach.dashboard.mostEffective')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('coach.dashboard.noRatings')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={30}>#</Table.Th>
                <Table.Th>{t('coach.dashboard.response')}</Table.Th>
                <Table.Th w={140}>{t('coach.knowledge.category')}</Table.Th>
                <Table.Th w={90}>{t('coach.dashboard.averageRating')}</Table.Th>
                <Table.Th w={70}>{t('coach.dashboard.kpi.ratings')}</Table.Th>
                <Table.Th w={70}>{t('coach.dashboard.score')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => (
                <Table.Tr key={r.knowledgeId} data-testid="effective-row">
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {r.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.category && (
                      <Badge size="xs" variant="outline" color="red">
                        {t(`coach.categories.${r.category}`)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{r.average.toLocaleString(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ★</Table.Td>
                  <Table.Td>{r.count}</Table.Td>
                  <Table.Td>{r.score.toLocaleString(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
