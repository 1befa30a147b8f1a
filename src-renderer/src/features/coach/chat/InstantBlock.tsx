import { Badge, Group, Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { DatabaseZap, Zap } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ObjectionCategory } from '@shared/coaching/keys';
import type { InstantCoaching, Message, Suggestion } from '@shared/coaching/types';
import { CONFIDENCE_COLOR } from '../labels';
import { useCoachStore } from '../coach-store';
import { Notices } from './Notices';
import { SuggestionCard } from './SuggestionCard';

interface Props {
  message: Message;
  suggestions: readonly Suggestion[];
  instant: InstantCoaching | undefined;
  /** True when no model answered this message (the fallback coach's answer is all there is). */
  noModel: boolean;
}

/** The instant (knowledge-base) coaching for one client message: what was detected and what to say. */
export function InstantBlock({ message, suggestions, instant, noModel }: Props) {
  const { t } = useTranslation();
  const citations = useCoachStore((s) => s.citations);
  const responses = suggestions.filter((s) => s.kind === 'objection_response');
  const question = suggestions.find((s) => s.kind === 'next_question');
  const step = suggestions.find((s) => s.kind === 'playbook_step');
  // Messages from an earlier visit have no instant result: their categories come from the cited objections.
  const categories = instant
    ? instant.objections.map((o) => ({ category: o.category, quote: o.quote }))
    : [...new Set(responses.flatMap((s) => s.knowledgeIds.map((id) => citations[id]).filter((c) => c?.kind === 'objection').map((c) => c?.category)))]
        .filter((c): c is ObjectionCategory => typeof c === 'string')
        .map((category) => ({ category, quote: '' }));

  return (
    <Paper withBorder p="sm" radius="md" data-testid="instant-block" aria-label={t('coach.chat.instantTitle')}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Group gap={6}>
            <Zap size={16} />
            <Text fw={600} size="sm">
              {t('coach.chat.instantTitle')}
            </Text>
          </Group>
          <Badge variant="light" color={noModel ? 'orange' : 'gray'} leftSection={<DatabaseZap size={12} />} data-testid="fallback-badge">
            {noModel ? t('coach.chat.fallbackNoModel') : t('coach.chat.fallback')}
          </Badge>
        </Group>
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            {t('coach.chat.detected')}
          </Text>
          {instant?.buyingSignals.map((quote) => (
            <Tooltip key={quote} label={t('coach.rating.quoted', { text: quote })}>
              <Badge variant="filled" color="teal" data-testid="detected-buying-signal">
                {t('coach.chat.buyingSignal')}
              </Badge>
            </Tooltip>
          ))}
          {categories.length === 0 ? (
            <Badge variant="outline" color="gray" data-testid="detected-none">
              {t('coach.chat.noObjection')}
            </Badge>
          ) : (
            categories.map((o) => (
              <Tooltip key={o.category} label={o.quote ? t('coach.rating.quoted', { text: o.quote }) : t(`coach.categories.${o.category}`)} disabled={!o.quote}>
                <Badge variant="filled" color="red" data-testid="detected-objection" data-category={o.category}>
                  {t(`coach.categories.${o.category}`)}
                </Badge>
              </Tooltip>
            ))
          )}
          {instant && (
            <Badge variant="light" color={CONFIDENCE_COLOR[instant.archetypeConfidence]} data-testid="detected-archetype" data-archetype={instant.archetype}>
              {t(`coach.archetypes.${instant.archetype}`)} · {t(`coach.confidence.${instant.archetypeConfidence}`)}
            </Badge>
          )}
        </Group>
        {instant && <Notices notices={instant.notices} usedChars={message.content.length} />}
        {responses.length > 0 && (
          <Stack gap={6}>
            <Text size="xs" fw={600} tt="uppercase" c="dimmed">
              {t('coach.suggestionKinds.objection_response')}
            </Text>
            {responses.map((s, i) => (
              <SuggestionCard key={s.id} suggestion={s} emphasis={i === 0} />
            ))}
          </Stack>
        )}
        {(question || step) && (
          <SimpleGrid cols={{ base: 1, md: question && step ? 2 : 1 }} spacing="xs">
            {[question, step].map(
              (s) =>
                s && (
                  <Stack key={s.id} gap={4}>
                    <Text size="xs" fw={600} tt="uppercase" c="dimmed">
                      {t(`coach.suggestionKinds.${s.kind}`)}
                    </Text>
                    <SuggestionCard suggestion={s} />
                  </Stack>
                ),
            )}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
