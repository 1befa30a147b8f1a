import { Badge, Button, Center, Group, Loader, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { MessagesSquare } from 'lucide-react';
import { Fragment, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, Suggestion } from '@shared/coaching/types';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useCoachStore } from '../coach-store';
import { Composer } from './Composer';
import { InstantBlock } from './InstantBlock';
import { MessageBubble } from './MessageBubble';
import { ModelReply, ReplyOutcomeNote, StreamingReply } from './ReplyBlock';

/** The open session: the conversation with instant suggestions and model replies, and the message box. */
export function ChatPanel() {
  const { t } = useTranslation();
  const sessionId = useCoachStore((s) => s.sessionId);
  const session = useCoachStore((s) => s.session);
  const messages = useCoachStore((s) => s.messages);
  const suggestions = useCoachStore((s) => s.suggestions);
  const instant = useCoachStore((s) => s.instant);
  const replies = useCoachStore((s) => s.replies);
  const outcomes = useCoachStore((s) => s.outcomes);
  const status = useCoachStore((s) => s.status);
  const loading = useCoachStore((s) => s.chatLoading);
  const error = useCoachStore((s) => s.chatError);
  const startSession = useCoachStore((s) => s.startSession);
  const selectSession = useCoachStore((s) => s.selectSession);
  // With a lead chosen the next step is a session with that lead, not "pick a lead".
  const lead = useCoachStore((s) => s.leads.find((l) => l.id === s.leadId) ?? null);
  const viewport = useRef<HTMLDivElement>(null);

  const bySource = useMemo(() => {
    const map = new Map<string, Suggestion[]>();
    for (const s of suggestions) if (s.messageId) map.set(s.messageId, [...(map.get(s.messageId) ?? []), s]);
    return map;
  }, [suggestions]);
  const streams = Object.values(replies).filter((r) => r.sessionId === sessionId);
  const streamedChars = streams.reduce((n, r) => n + r.text.length, 0);
  const lastClient = [...messages].reverse().find((m) => m.role === 'client');
  const modelReady = status?.modelReady ?? false;

  const lastMessage = messages.at(-1);
  // Whether a streaming reply is followed: yes, until the reader scrolls away from the end themselves.
  // Only the reader's own scrolling (wheel, touch, keys, scrollbar) decides; the panel's scrolls do not.
  const follow = useRef(true);
  const readerScrolledAt = useRef(0);
  const readerScrolls = () => {
    readerScrolledAt.current = Date.now();
  };

  // A new client message goes to the top of the view, so its instant suggestions are read from the top;
  // anything else (a reply, a salesperson line) scrolls to the end.
  useEffect(() => {
    const el = viewport.current;
    if (!el || !lastMessage) return;
    const node = el.querySelector(`[data-message-id="${lastMessage.id}"]`);
    const top = node && lastMessage.role === 'client' ? el.scrollTop + node.getBoundingClientRect().top - el.getBoundingClientRect().top - 8 : el.scrollHeight;
    el.scrollTo({ top });
    follow.current = true;
  }, [lastMessage]);

  // A growing reply stays in view (its end at the bottom) unless the reader scrolled up to read.
  useEffect(() => {
    const el = viewport.current;
    if (el && streamedChars > 0 && follow.current) el.scrollTo({ top: el.scrollHeight });
  }, [streamedChars]);

  if (!sessionId) {
    return (
      <Paper withBorder p="xl" h="100%" data-testid="chat-empty">
        <Center>
          <Stack align="center" gap="sm" maw={420}>
            <MessagesSquare size={40} strokeWidth={1.5} />
            <Text ta="center" fw={600} data-testid="chat-empty-title">
              {lead ? t('help.empty.leadTitle', { name: lead.name }) : t('coach.chat.emptyTitle')}
            </Text>
            <Text ta="center" size="sm" c="dimmed">
              {lead ? t('help.empty.leadHint') : t('coach.chat.emptyHint')}
            </Text>
            <Button onClick={() => void startSession()} data-testid="session-quick">
              {lead ? t('help.empty.leadStart', { name: lead.name }) : t('coach.sessions.quick')}
            </Button>
          </Stack>
        </Center>
      </Paper>
    );
  }

  const renderMessage = (message: Message) => {
    if (message.role === 'system') return null;
    if (message.role === 'assistant') {
      const later = lastClient ? message.seq > lastClient.seq : false;
      const elaboration = bySource.get(message.id)?.find((s) => s.kind === 'elaboration');
      return <ModelReply message={message} suggestion={elaboration} canRegenerate={later && modelReady && streams.length === 0} />;
    }
    const own = (bySource.get(message.id) ?? []).filter((s) => s.source === 'fallback');
    const answered = messages.some((m) => m.role === 'assistant' && m.seq > message.seq);
    const outcome = outcomes[message.id];
    return (
      <>
        <MessageBubble message={message} />
        {message.role === 'client' && (own.length > 0 || instant[message.id]) && (
          <InstantBlock message={message} suggestions={own} instant={instant[message.id]} noModel={instant[message.id]?.notices.some((n) => n.code === 'model_unavailable') ?? (!modelReady && !answered)} />
        )}
        {streams
          .filter((r) => r.forMessageId === message.id)
          .map((r) => (
            <StreamingReply key={r.requestId} stream={r} />
          ))}
        {outcome && <ReplyOutcomeNote outcome={outcome} canRegenerate={message.id === lastClient?.id && modelReady && streams.length === 0} />}
      </>
    );
  };

  return (
    <Paper withBorder p="sm" data-testid="chat-panel">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4} lineClamp={1} data-testid="session-title">
            {session?.title ?? '…'}
          </Title>
          {session && (
            <Group gap={4} wrap="nowrap">
              <Badge variant="outline">{session.language.toUpperCase()}</Badge>
              {session.archetype && <Badge variant="light">{t(`coach.archetypes.${session.archetype}`)}</Badge>}
            </Group>
          )}
        </Group>
        <ErrorAlert error={error} onRetry={() => void selectSession(sessionId)} />
        <ScrollArea
          h="calc(100dvh - 430px)"
          mih={260}
          viewportRef={viewport}
          type="auto"
          offsetScrollbars
          viewportProps={{ onWheel: readerScrolls, onTouchMove: readerScrolls, onKeyDown: readerScrolls, onPointerDown: readerScrolls }}
          onScrollPositionChange={({ y }) => {
            const el = viewport.current;
            if (!el || Date.now() - readerScrolledAt.current > 1500) return;
            follow.current = el.scrollHeight - el.clientHeight - y < 80;
          }}
        >
          <Stack gap="sm" pr="xs" data-testid="chat-log" aria-live="polite">
            {loading && <Loader size="sm" />}
            {!loading && messages.length === 0 && (
              <Text size="sm" c="dimmed" ta="center" py="xl">
                {t('coach.chat.firstMessage')}
              </Text>
            )}
            {messages.map((m) => (
              <Fragment key={m.id}>{renderMessage(m)}</Fragment>
            ))}
            {streams
              .filter((r) => r.forMessageId === null && r.text.length > 0)
              .map((r) => (
                <StreamingReply key={r.requestId} stream={r} />
              ))}
          </Stack>
        </ScrollArea>
        <Composer sessionId={sessionId} />
      </Stack>
    </Paper>
  );
}
