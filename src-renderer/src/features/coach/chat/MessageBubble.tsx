import { ActionIcon, Badge, Button, Group, Paper, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { Pencil } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '@shared/coaching/types';
import { when } from '../labels';
import { useCoachStore } from '../coach-store';

/** What the client or the salesperson said, with edit-and-resend. */
export function MessageBubble({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const editAndResend = useCoachStore((s) => s.editAndResend);
  const sending = useCoachStore((s) => s.sending);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(message.content);
  const isClient = message.role === 'client';

  const resend = async () => {
    if (!text.trim()) return;
    if (await editAndResend(message.id, text)) setEditing(false);
  };

  return (
    <Group justify={isClient ? 'flex-start' : 'flex-end'} data-testid="chat-message" data-role={message.role} data-message-id={message.id}>
      <Paper
        p="xs"
        px="sm"
        radius="lg"
        maw="85%"
        miw={editing ? '70%' : undefined}
        bg={isClient ? 'var(--mantine-color-default-hover)' : 'var(--mantine-primary-color-light)'}
        style={{ borderTopLeftRadius: isClient ? 4 : undefined, borderTopRightRadius: isClient ? undefined : 4 }}
      >
        <Group gap={6} justify="space-between" wrap="nowrap" mb={2}>
          <Group gap={6}>
            <Badge size="xs" variant="light" color={isClient ? 'grape' : 'indigo'}>
              {t(`coach.roles.${message.role}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {when(message.createdAt, i18n.language)}
            </Text>
          </Group>
          {!editing && (
            <Tooltip label={t('coach.chat.edit')}>
              <ActionIcon size="xs" variant="subtle" onClick={() => setEditing(true)} aria-label={t('coach.chat.edit')} data-testid="message-edit">
                <Pencil size={12} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
        {editing ? (
          <Stack gap={6}>
            <Textarea
              autosize
              minRows={2}
              maxRows={10}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void resend();
                }
              }}
              aria-label={t('coach.chat.edit')}
              data-autofocus
              autoFocus
              data-testid="message-edit-input"
            />
            <Text size="xs" c="dimmed">
              {t('coach.chat.editHint')}
            </Text>
            <Group justify="flex-end" gap="xs">
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => {
                  setText(message.content);
                  setEditing(false);
                }}
              >
                {t('common.cancel')}
              </Button>
              <Button size="compact-xs" onClick={() => void resend()} loading={sending} disabled={!text.trim()} data-testid="message-resend">
                {t('coach.chat.resend')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={message.content.length > 1500 ? 12 : undefined} data-testid="message-text">
            {message.content}
          </Text>
        )}
      </Paper>
    </Group>
  );
}
