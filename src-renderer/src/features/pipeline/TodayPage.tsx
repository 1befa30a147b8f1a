import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { DueFollowup } from '@shared/coaching/pipeline';
import { call } from '@renderer/api/client';
import { toUiError } from '@renderer/errors/ui-error';
import { useNavStore } from '@renderer/stores/nav-store';
import { SNOOZE_DAY_MS, usePipelineStore } from './pipeline-store';

function FollowupRow({ item }: { item: DueFollowup }) {
  const { t, i18n } = useTranslation();
  const { complete, snooze } = usePipelineStore.getState();
  return (
    <Group justify="space-between" wrap="nowrap" data-testid="today-followup" data-kind={item.kind}>
      <Stack gap={0}>
        <Text fw={500}>
          {item.leadName}: {item.text}
        </Text>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {t(`pipeline.kind.${item.kind}`)} · {new Date(item.due).toLocaleString(i18n.language)}
          </Text>
          {item.overdue && (
            <Badge color="red" size="xs" data-testid="today-overdue">
              {t('pipeline.today.overdue')}
            </Badge>
          )}
        </Group>
      </Stack>
      <Group gap="xs" wrap="nowrap">
        <Button size="xs" variant="light" onClick={() => void snooze(item, SNOOZE_DAY_MS)}>
          {t('pipeline.today.snooze')}
        </Button>
        <Button size="xs" onClick={() => void complete(item)}>
          {t('pipeline.today.done')}
        </Button>
      </Group>
    </Group>
  );
}

/** The screen the app opens on: what to do today, what comes this week, who went quiet, one-click fixes. */
export function TodayPage() {
  const { t, i18n } = useTranslation();
  const today = usePipelineStore((s) => s.today);
  const go = useNavStore((s) => s.go);
  useEffect(() => {
    void usePipelineStore.getState().loadToday();
    const timer = setInterval(() => void usePipelineStore.getState().loadToday(), 60_000);
    return () => clearInterval(timer);
  }, []);

  const syncNow = async () => {
    try {
      await call('sync:now', {});
      notifications.show({ message: t('pipeline.today.synced') });
      await usePipelineStore.getState().loadToday();
    } catch (error) {
      notifications.show({ color: 'red', message: toUiError(error).message });
    }
  };

  return (
    <Stack data-testid="today-page">
      <Group justify="space-between">
        <Title order={2}>{t('pipeline.today.title')}</Title>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => void syncNow()} data-testid="today-sync-now">
            {t('pipeline.today.syncNow')}
          </Button>
          <Button variant="default" size="xs" onClick={() => go('settings')}>
            {t('pipeline.today.openModels')}
          </Button>
        </Group>
      </Group>
      <Card withBorder>
        <Title order={4} mb="xs">
          {t('pipeline.today.due')}
        </Title>
        <Stack gap="sm" data-testid="today-due">
          {today && today.followups.length === 0 && <Text c="dimmed">{t('pipeline.today.nothingDue')}</Text>}
          {today?.followups.map((f) => <FollowupRow key={`${f.kind}:${f.id}`} item={f} />)}
        </Stack>
      </Card>
      {today && today.upcoming.length > 0 && (
        <Card withBorder>
          <Title order={4} mb="xs">
            {t('pipeline.today.upcoming')}
          </Title>
          <Stack gap="sm">
            {today.upcoming.map((f) => (
              <FollowupRow key={`${f.kind}:${f.id}`} item={f} />
            ))}
          </Stack>
        </Card>
      )}
      {today && today.quietLeads.length > 0 && (
        <Card withBorder>
          <Title order={4} mb="xs">
            {t('pipeline.today.quiet')}
          </Title>
          {today.quietLeads.map((l) => (
            <Text key={l.id}>
              {l.name} · {new Date(l.lastActivity).toLocaleDateString(i18n.language)}
            </Text>
          ))}
        </Card>
      )}
      {today && today.undecidedAnalyses.length > 0 && (
        <Card withBorder>
          <Title order={4} mb="xs">
            {t('pipeline.today.analyses')}
          </Title>
          {today.undecidedAnalyses.map((a) => (
            <Group key={a.id} justify="space-between">
              <Text>{a.name}</Text>
              <Button size="xs" variant="subtle" onClick={() => go('pallets')}>
                {t('pipeline.today.openAnalysis')}
              </Button>
            </Group>
          ))}
        </Card>
      )}
    </Stack>
  );
}
