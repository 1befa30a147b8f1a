import { Group, Paper, Rating, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Trophy } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { SKILLS, type Scorecard } from '@shared/coaching/scorecard';

/** The roleplay scorecard: four skills, 1–5 each, with the reason. */
export function ScorecardView({ scorecard }: { scorecard: Scorecard }) {
  const { t } = useTranslation();
  const average = SKILLS.reduce((sum, skill) => sum + scorecard[skill].score, 0) / SKILLS.length;
  return (
    <Paper withBorder p="md" data-testid="scorecard">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap={6}>
            <Trophy size={18} />
            <Title order={4}>{t('coach.practice.scorecard')}</Title>
          </Group>
          <Text fw={700}>{t('coach.practice.average', { score: average.toFixed(1) })}</Text>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {SKILLS.map((skill) => (
            <Paper key={skill} withBorder p="sm" radius="md" data-testid={`score-${skill}`}>
              <Group justify="space-between" mb={4}>
                <Text fw={600}>{t(`coach.skills.${skill}`)}</Text>
                <Group gap={6}>
                  <Rating value={scorecard[skill].score} readOnly size="sm" aria-label={t(`coach.skills.${skill}`)} />
                  <Text size="sm" fw={600}>
                    {scorecard[skill].score}/5
                  </Text>
                </Group>
              </Group>
              <Text size="sm" c="dimmed">
                {scorecard[skill].reason}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
