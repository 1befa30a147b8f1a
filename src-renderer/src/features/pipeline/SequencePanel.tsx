import { Alert, Anchor, Badge, Button, Card, CopyButton, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FollowupStep } from '@shared/coaching/pipeline';
import type { Lead } from '@shared/coaching/types';
import { useSequenceStore } from './sequence-store';

function StepCard({ step, email }: { step: FollowupStep; email: string | null }) {
  const { t, i18n } = useTranslation();
  const [body, setBody] = useState(step.body);
  useEffect(() => setBody(step.body), [step.body]);
  const { draft, edit, markSent } = useSequenceStore.getState();
  const mailto = `mailto:${encodeURIComponent(email ?? '')}?subject=${encodeURIComponent(step.subject)}&body=${encodeURIComponent(body)}`;
  return (
    <Card withBorder padding="xs" data-testid="sequence-step" data-kind={step.kind} data-sent={step.sentAt !== null}>
      <Group justify="space-between">
        <Text fw={500} size="sm">
          {step.subject}
        </Text>
        <Text size="xs" c="dimmed">
          {t('pipeline.sequence.due', { date: new Date(step.dueAt).toLocaleDateString(i18n.language) })}
        </Text>
      </Group>
      <Textarea
        aria-label={step.subject}
        value={body}
        autosize
        minRows={3}
        onChange={(e) => setBody(e.currentTarget.value)}
        onBlur={() => body !== step.body && void edit(step.id, body)}
        data-testid="sequence-step-body"
      />
      <Group gap="xs" mt="xs">
        {step.sentAt !== null ? (
          <Badge color="green" data-testid="sequence-step-sent">
            {t('pipeline.sequence.sentAt')} {new Date(step.sentAt).toLocaleDateString(i18n.language)}
          </Badge>
        ) : (
          <>
            <Button size="xs" variant="light" onClick={() => void draft(step.id)} data-testid="sequence-step-draft">
              {t('pipeline.sequence.draft')}
            </Button>
            <CopyButton value={body}>
              {({ copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {t('pipeline.sequence.copy')}
                </Button>
              )}
            </CopyButton>
            <Anchor href={mailto} size="sm">
              {t('pipeline.sequence.mail')}
            </Anchor>
            <Button size="xs" onClick={() => void markSent(step.id)} data-testid="sequence-step-mark-sent">
              {t('pipeline.sequence.sent')}
            </Button>
          </>
        )}
      </Group>
    </Card>
  );
}

/** Follow-ups of one lead inside its brief: start the sequence, then draft, edit, copy or mail and mark each step sent. */
export function SequencePanel({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const sequences = useSequenceStore((s) => s.sequences);
  useEffect(() => {
    void useSequenceStore.getState().load(lead.id);
  }, [lead.id]);
  const current = sequences[0];
  return (
    <Stack gap="xs" data-testid="sequence-panel">
      <Title order={5}>{t('pipeline.sequence.title')}</Title>
      {!current || current.status === 'done' || current.status === 'stopped' ? (
        <Button size="xs" variant="light" onClick={() => void useSequenceStore.getState().start()} data-testid="sequence-start">
          {t('pipeline.board.sequence')}
        </Button>
      ) : (
        <>
          {current.status === 'paused' ? (
            <Alert color="yellow" data-testid="sequence-paused">
              {t('pipeline.sequence.paused')}
            </Alert>
          ) : (
            <Button size="xs" variant="default" onClick={() => void useSequenceStore.getState().reply(current.id)} data-testid="sequence-reply">
              {t('pipeline.sequence.reply')}
            </Button>
          )}
          {current.steps.map((s) => (
            <StepCard key={s.id} step={s} email={lead.email} />
          ))}
        </>
      )}
    </Stack>
  );
}
