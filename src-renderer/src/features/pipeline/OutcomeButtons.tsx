import { Button, Group, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutcomeKind } from '@shared/coaching/pipeline';
import { call } from '@renderer/api/client';
import { toUiError } from '@renderer/errors/ui-error';
import { usePipelineStore } from './pipeline-store';

/** Record how the lead ended: won, lost (the reason is required) or a next meeting. */
export function OutcomeButtons({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const record = async (outcome: OutcomeKind) => {
    try {
      await call('leads:recordOutcome', { target: leadId, outcome, reason: reason.trim() || null });
      setReason('');
      const store = usePipelineStore.getState();
      await Promise.all([store.refreshBrief(leadId), store.loadLeads()]);
    } catch (error) {
      notifications.show({ color: 'red', message: toUiError(error).message });
    }
  };
  return (
    <Group align="flex-end" gap="xs" data-testid="outcome-buttons">
      <TextInput label={t('pipeline.outcome.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} size="xs" data-testid="outcome-reason" />
      {(['won', 'lost', 'next_meeting'] as const).map((o) => (
        <Button key={o} size="xs" variant="light" onClick={() => void record(o)} data-testid={`outcome-${o}`}>
          {t(`pipeline.outcome.${o}`)}
        </Button>
      ))}
    </Group>
  );
}
