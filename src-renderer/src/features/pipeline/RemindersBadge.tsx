import { Badge, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavStore } from '@renderer/stores/nav-store';
import { usePipelineStore } from './pipeline-store';

/** The header's reminders badge: how many follow-ups are due now, the list on click, Today one click away. */
export function RemindersBadge() {
  const { t } = useTranslation();
  const due = usePipelineStore((s) => s.due);
  useEffect(() => {
    void usePipelineStore.getState().loadDue();
    // Reminders are local data: a minute's polling keeps the badge right with no network.
    const timer = setInterval(() => void usePipelineStore.getState().loadDue(), 60_000);
    return () => clearInterval(timer);
  }, []);
  if (due.length === 0) return null;
  return (
    <Popover width={320} position="bottom-end" withArrow>
      <Popover.Target>
        <UnstyledButton aria-label={t('pipeline.reminders.title')} data-testid="reminders-badge">
          <Badge color={due.some((d) => d.overdue) ? 'red' : 'blue'}>{t('pipeline.reminders.badge', { count: due.length })}</Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" data-testid="reminders-list">
          {due.slice(0, 10).map((d) => (
            <UnstyledButton key={`${d.kind}:${d.id}`} onClick={() => useNavStore.getState().go('today')}>
              <Text size="sm">
                {d.leadName}: {d.text}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
