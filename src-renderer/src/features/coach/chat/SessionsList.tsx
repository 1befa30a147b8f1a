import { Button, Group, Loader, NavLink, ScrollArea, Text } from '@mantine/core';
import { MessageSquare, MessageSquarePlus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { when } from '../labels';
import { useCoachStore } from '../coach-store';

/** The selected lead's coaching sessions, newest first, and a button to start one. */
export function SessionsList() {
  const { t, i18n } = useTranslation();
  const leadId = useCoachStore((s) => s.leadId);
  const sessions = useCoachStore((s) => s.sessions);
  const sessionId = useCoachStore((s) => s.sessionId);
  const loading = useCoachStore((s) => s.sessionsLoading);
  const error = useCoachStore((s) => s.sessionsError);
  const startSession = useCoachStore((s) => s.startSession);
  const selectSession = useCoachStore((s) => s.selectSession);

  return (
    <>
      <Button size="xs" variant="light" leftSection={<MessageSquarePlus size={14} />} onClick={() => void startSession()} data-testid="session-new">
        {leadId ? t('coach.sessions.new') : t('coach.sessions.quick')}
      </Button>
      <ErrorAlert error={error} />
      {loading && <Loader size="xs" />}
      {leadId && !loading && sessions.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('coach.sessions.empty')}
        </Text>
      )}
      <ScrollArea.Autosize mah="calc(50dvh - 160px)" type="auto">
        {sessions.map((session) => (
          <NavLink
            component="button"
            key={session.id}
            label={session.title}
            description={
              <Group gap={4} wrap="nowrap" component="span">
                {when(session.updatedAt, i18n.language)} · <MessageSquare size={11} aria-label={t('coach.sessions.messages')} /> {session.messageCount}
              </Group>
            }
            active={session.id === sessionId}
            aria-current={session.id === sessionId ? 'true' : undefined}
            onClick={() => void selectSession(session.id)}
            data-testid="session-item"
          />
        ))}
      </ScrollArea.Autosize>
    </>
  );
}
