import { Group, Text, Tooltip } from '@mantine/core';
import { BookOpen } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useCoachStore } from '../store';

/** The knowledge entries a suggestion was built from, by title. */
export function Citations({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  const citations = useCoachStore((s) => s.citations);
  if (ids.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap" data-testid="citations">
      <Tooltip label={t('coach.chat.sources')}>
        <BookOpen size={12} aria-label={t('coach.chat.sources')} />
      </Tooltip>
      {ids.map((id, i) => {
        const cited = citations[id];
        return (
          <Text key={id} size="xs" c="dimmed" span data-testid="citation">
            {cited ? `${cited.title} (${t(`coach.kinds.${cited.kind}`)})` : t('coach.chat.unknownSource', { id: id.slice(0, 8) })}
            {i < ids.length - 1 ? ' ·' : ''}
          </Text>
        );
      })}
    </Group>
  );
}
