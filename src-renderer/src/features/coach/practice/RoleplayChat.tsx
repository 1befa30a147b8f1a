import { Badge, Button, Group, Loader, Paper, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { Flag, Send, Square } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '@shared/coaching/types';
import { TEXT_LIMITS } from '@shared/contract/limits';
import { usePracticeStore } from './practice-store';

function Line({ speaker, text, mine, testId }: { speaker: string; text: string; mine: boolean; testId: string }) {
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'} data-testid={testId}>
      <Paper p="xs" px="sm" radius="lg" maw="80%" bg={mine ? 'var(--mantine-primary-color-light)' : 'var(--mantine-color-default-hover)'}>
        <Badge size="xs" variant="light" color={mine ? 'indigo' : 'grape'} mb={2}>
          {speaker}
        </Badge>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {text}
        </Text>
      </Paper>
    </Group>
  );
}

/** The practice conversation: the model plays the customer (its opening streams while it starts); End asks for the scorecard. */
export function RoleplayChat() {
  const { t, i18n } = useTranslation();
  const session = usePracticeStore((s) => s.session);
  const messages = usePracticeStore((s) => s.messages);
  const pending = usePracticeStore((s) => s.pending);
  const draft = usePracticeStore((s) => s.draft);
  const ending = usePracticeStore((s) => s.ending);
  const scoring = usePracticeStore((s) => s.scoring);
  const stopScoring = usePracticeStore((s) => s.stopScoring);
  const setDraft = usePracticeStore((s) => s.setDraft);
  const reply = usePracticeStore((s) => s.reply);
  const stop = usePracticeStore((s) => s.stop);
  const end = usePracticeStore((s) => s.end);
  const viewport = useRef<HTMLDivElement>(null);
  const ended = session?.endedAt != null;

  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [messages.length, pending?.text]);

  const speaker = (m: Message) => (m.role === 'client' ? t('coach.practice.customer') : t('coach.practice.you'));
  const visible = messages.filter((m) => m.role === 'client' || m.role === 'salesperson');

  return (
    <Paper withBorder p="sm" data-testid="roleplay-chat">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{session?.title ?? t('coach.practice.starting')}</Text>
          <Button size="xs" color="grape" variant="light" leftSection={<Flag size={14} />} onClick={() => void end()} loading={ending} disabled={!session || ended || Boolean(pending)} data-testid="roleplay-end">
            {t('coach.practice.end')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah="calc(100dvh - 480px)" mih={120} viewportRef={viewport} type="auto">
          <Stack gap="xs" pr="xs">
            {visible.map((m) => (
              <Line key={m.id} speaker={speaker(m)} text={m.content} mine={m.role === 'salesperson'} testId="roleplay-line" />
            ))}
            {scoring && (
              <Group gap="xs" aria-live="polite" data-testid="roleplay-scoring">
                <Loader size="xs" type="dots" />
                <Text size="sm" c="dimmed">
                  {t('coach.practice.scoring', { chars: scoring.chars.toLocaleString(i18n.language) })}
                </Text>
                <Button size="compact-xs" color="red" variant="light" leftSection={<Square size={12} />} onClick={() => void stopScoring()} loading={scoring.stopping} data-testid="roleplay-scoring-stop">
                  {t('coach.chat.stop')}
                </Button>
              </Group>
            )}
            {pending && (
              <Group gap="xs">
                {pending.text ? <Line speaker={t('coach.practice.customer')} text={pending.text} mine={false} testId="roleplay-streaming" /> : <Loader size="xs" type="dots" />}
                <Button size="compact-xs" color="red" variant="light" leftSection={<Square size={12} />} onClick={() => void stop()} loading={pending.stopping} data-testid="roleplay-stop">
                  {t('coach.chat.stop')}
                </Button>
              </Group>
            )}
          </Stack>
        </ScrollArea.Autosize>
        {session && !ended && (
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <Textarea
              style={{ flex: 1 }}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={TEXT_LIMITS.pastedChars}
              placeholder={t('coach.practice.replyPlaceholder')}
              aria-label={t('coach.practice.replyPlaceholder')}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && pending) void stop();
                if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
                e.preventDefault();
                void reply();
              }}
              data-testid="roleplay-input"
            />
            <Button leftSection={<Send size={14} />} onClick={() => void reply()} disabled={!draft.trim() || Boolean(pending)} data-testid="roleplay-send">
              {t('coach.composer.sendButton')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
