import { ActionIcon, Button, CopyButton, Group, Paper, Rating, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Check, Copy, MessageSquareText } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '@shared/coaching/types';
import { TEXT_LIMITS } from '@shared/contract/limits';
import { notifyError } from '@renderer/errors/notify-error';
import { useCoachStore } from '../coach-store';
import { Citations } from './Citations';

/** One suggestion: its text, the entries it cites, copy, and a 1–5 rating with an optional comment. */
export function SuggestionCard({ suggestion, emphasis = false }: { suggestion: Suggestion; emphasis?: boolean }) {
  const { t } = useTranslation();
  const rate = useCoachStore((s) => s.rate);
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState(suggestion.comment ?? '');
  const [saving, setSaving] = useState(false);

  const save = async (rating: number, withComment: string | null) => {
    setSaving(true);
    try {
      await rate(suggestion.id, rating, withComment);
      notifications.show({ message: t('coach.rating.saved'), color: 'teal', autoClose: 1500 });
      setCommenting(false);
    } catch (error) {
      notifyError(error, t);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="xs" radius="md" bg={emphasis ? 'var(--mantine-primary-color-light)' : undefined} data-testid="suggestion-card" data-kind={suggestion.kind}>
      <Stack gap={6}>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {suggestion.text}
        </Text>
        <Citations ids={suggestion.knowledgeIds} />
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <Rating
              size="sm"
              value={suggestion.rating ?? 0}
              onChange={(value) => void save(value, comment.trim() || null)}
              readOnly={saving}
              aria-label={t('coach.rating.label')}
              getSymbolLabel={(index) => t('coach.rating.rateOf', { n: index })}
              name={`rating-${suggestion.id}`}
              data-testid="suggestion-rating"
            />
            {suggestion.rating !== null && (
              <Text size="xs" c="dimmed" data-testid="suggestion-rated">
                {t('coach.rating.value', { rating: suggestion.rating })}
              </Text>
            )}
          </Group>
          <Group gap={2} wrap="nowrap">
            <Tooltip label={t('coach.rating.comment')}>
              <ActionIcon variant="subtle" size="sm" onClick={() => setCommenting((v) => !v)} aria-label={t('coach.rating.comment')} aria-expanded={commenting}>
                <MessageSquareText size={14} />
              </ActionIcon>
            </Tooltip>
            <CopyButton value={suggestion.text}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('coach.chat.copied') : t('coach.chat.copy')}>
                  <ActionIcon variant="subtle" size="sm" color={copied ? 'teal' : undefined} onClick={copy} aria-label={t('coach.chat.copy')}>
                    {copied ? <Check size={14} /> : <Copy size={14} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </Group>
        {suggestion.comment && !commenting && (
          <Text size="xs" c="dimmed" fs="italic">
            {t('coach.rating.quoted', { text: suggestion.comment })}
          </Text>
        )}
        {commenting && (
          <Stack gap={4}>
            <Textarea
              size="xs"
              autosize
              minRows={1}
              maxRows={4}
              maxLength={TEXT_LIMITS.commentChars}
              placeholder={t('coach.rating.commentPlaceholder')}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setCommenting(false);
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && suggestion.rating) void save(suggestion.rating, comment.trim() || null);
              }}
              data-autofocus
            />
            <Group justify="flex-end" gap="xs">
              {!suggestion.rating && (
                <Text size="xs" c="dimmed">
                  {t('coach.rating.rateFirst')}
                </Text>
              )}
              <Button size="compact-xs" disabled={!suggestion.rating} loading={saving} onClick={() => suggestion.rating && void save(suggestion.rating, comment.trim() || null)}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
