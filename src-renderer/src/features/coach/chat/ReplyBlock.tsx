import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { Bot, RefreshCw, Square } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, Suggestion } from '@shared/coaching/types';
import { useCoachStore, type ReplyOutcome, type ReplyStream } from '../coach-store';
import { SuggestionCard } from './SuggestionCard';

const Header = ({ children }: { children?: ReactNode }) => {
  const { t } = useTranslation();
  return (
    <Group gap={6} justify="space-between">
      <Group gap={6}>
        <Bot size={16} />
        <Text fw={600} size="sm">
          {t('coach.chat.modelReply')}
        </Text>
      </Group>
      {children}
    </Group>
  );
};

/** A model reply arriving piece by piece, with Stop (also Esc in the message box). */
export function StreamingReply({ stream }: { stream: ReplyStream }) {
  const { t } = useTranslation();
  const stop = useCoachStore((s) => s.stop);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="reply-streaming" aria-live="polite" aria-busy="true">
      <Stack gap={6}>
        <Header>
          {/* Stop belongs to text that is arriving (Esc in the message box stops earlier too). */}
          {stream.text && (
            <Button size="compact-xs" color="red" variant="light" leftSection={<Square size={12} />} onClick={() => void stop(stream.requestId)} loading={stream.stopping} data-testid="reply-stop">
              {t('coach.chat.stop')}
            </Button>
          )}
        </Header>
        {stream.text ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="reply-text">
            {stream.text}
            <span aria-hidden style={{ opacity: 0.5 }}>
              ▍
            </span>
          </Text>
        ) : (
          <Group gap="xs">
            <Loader size="xs" type="dots" />
            <Text size="sm" c="dimmed">
              {t('coach.chat.thinking')}
            </Text>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** A stored model reply: its text, the entries it cites, rating, and Regenerate when it is the latest. */
export function ModelReply({ message, suggestion, canRegenerate }: { message: Message; suggestion: Suggestion | undefined; canRegenerate: boolean }) {
  const { t } = useTranslation();
  const regenerate = useCoachStore((s) => s.regenerate);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="reply-done">
      <Stack gap={6}>
        <Header>
          <Group gap={6}>
            <Badge size="xs" variant="light" color="teal">
              {t('coach.chat.fromModel')}
            </Badge>
            {canRegenerate && (
              <Button size="compact-xs" variant="subtle" leftSection={<RefreshCw size={12} />} onClick={() => void regenerate()} data-testid="reply-regenerate">
                {t('coach.chat.regenerate')}
              </Button>
            )}
          </Group>
        </Header>
        {suggestion ? (
          <SuggestionCard suggestion={suggestion} />
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {message.content}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** A reply that left no text: stopped at once, or the model failed (the instant suggestions still stand). */
export function ReplyOutcomeNote({ outcome, canRegenerate }: { outcome: ReplyOutcome; canRegenerate: boolean }) {
  const { t } = useTranslation();
  const regenerate = useCoachStore((s) => s.regenerate);
  return (
    <Alert variant="light" color={outcome.error ? 'red' : 'gray'} py={6} data-testid="reply-outcome">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{outcome.error ?? t('coach.chat.stoppedEmpty')}</Text>
        {canRegenerate && (
          <Button size="compact-xs" variant="light" leftSection={<RefreshCw size={12} />} onClick={() => void regenerate()} data-testid="reply-regenerate">
            {t('coach.chat.regenerate')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
