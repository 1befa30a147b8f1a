import { Badge, Group, Loader, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { Search } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeEntry } from '@shared/coaching/types';
import { TEXT_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useKnowledgeStore } from './knowledge-store';

/** Full-text search over the knowledge base (Polish-aware), with the time it took. */
export function KnowledgeSearch({ onOpen }: { onOpen(entry: KnowledgeEntry): void }) {
  const { t, i18n } = useTranslation();
  const stored = useKnowledgeStore((s) => s.query);
  const hits = useKnowledgeStore((s) => s.hits);
  const elapsedMs = useKnowledgeStore((s) => s.elapsedMs);
  const searching = useKnowledgeStore((s) => s.searching);
  const error = useKnowledgeStore((s) => s.searchError);
  const search = useKnowledgeStore((s) => s.search);
  const [query, setQuery] = useState(stored);
  const debounced = useDebouncedCallback((q: string) => void search(q), 150);

  return (
    <Stack gap="xs">
      <TextInput
        placeholder={t('coach.knowledge.searchPlaceholder')}
        aria-label={t('coach.knowledge.search')}
        leftSection={<Search size={16} />}
        rightSection={searching ? <Loader size={14} /> : null}
        value={query}
        maxLength={TEXT_LIMITS.searchChars}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          debounced(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void search(query);
          if (e.key === 'Escape') {
            setQuery('');
            void search('');
          }
        }}
        data-testid="knowledge-search"
      />
      <ErrorAlert error={error} />
      {hits && (
        <Paper withBorder p="xs" data-testid="knowledge-search-results">
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={600}>
              {t('coach.knowledge.results', { n: hits.length })}
            </Text>
            {elapsedMs !== null && (
              <Text size="xs" c="dimmed" data-testid="knowledge-search-elapsed">
                {t('coach.knowledge.elapsed', { ms: elapsedMs })}
              </Text>
            )}
          </Group>
          {hits.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('coach.knowledge.noHits')}
            </Text>
          )}
          <Stack gap={4}>
            {hits.map((hit) => (
              <Paper
                key={hit.entry.id}
                p={6}
                component="button"
                type="button"
                onClick={() => onOpen(hit.entry)}
                style={{ textAlign: 'left', cursor: 'pointer', border: 'none', background: 'transparent' }}
                data-testid="knowledge-hit"
              >
                <Group gap={6} wrap="nowrap">
                  <Badge size="xs" variant="light">
                    {t(`coach.kinds.${hit.entry.kind}`)}
                  </Badge>
                  {hit.entry.category && (
                    <Badge size="xs" variant="outline" color="red">
                      {t(`coach.categories.${hit.entry.category}`)}
                    </Badge>
                  )}
                  <Text size="sm" fw={500} lineClamp={1}>
                    {hit.entry.title}
                  </Text>
                  <Text size="xs" c="dimmed" ml="auto" style={{ whiteSpace: 'nowrap' }}>
                    {hit.entry.language.toUpperCase()} · {hit.score.toLocaleString(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}
                    {hit.feedback ? ` · ★ ${hit.feedback.average.toLocaleString(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} (${hit.feedback.count})` : ''}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {hit.entry.body}
                </Text>
              </Paper>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
