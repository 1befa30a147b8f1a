import { Text } from '@mantine/core';
import { BookOpen } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useCoachStore } from '../coach-store';

/** The knowledge entries a suggestion was built from, by title. */
export function Citations({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  const citations = useCoachStore((s) => s.citations);
  if (ids.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="citations" aria-label={t('coach.chat.sources')}>
      <BookOpen size={12} style={{ verticalAlign: -2, marginRight: 4 }} aria-hidden />
      {ids.map((id, i) => {
        const cited = citations[id];
        return (
          <span key={id} data-testid="citation">
            {cited ? `${cited.title} (${t(`coach.kinds.${cited.kind}`)})` : t('coach.chat.unknownSource', { id: id.slice(0, 8) })}
            {i < ids.length - 1 ? ' · ' : ''}
          </span>
        );
      })}
    </Text>
  );
}
