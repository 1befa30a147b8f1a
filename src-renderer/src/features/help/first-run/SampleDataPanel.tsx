import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Compass, Trash2 } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useSettingsStore } from '@renderer/stores/settings-store';
import { useFirstRunStore } from './first-run-store';

/** Settings → General: load or remove the sample data in one click, and reopen the welcome guide. */
export function SampleDataPanel() {
  const { t } = useTranslation();
  const sample = useFirstRunStore((s) => s.sample);
  const busy = useFirstRunStore((s) => s.sampleBusy);
  const error = useFirstRunStore((s) => s.sampleError);
  const language = useSettingsStore((s) => s.settings?.language ?? 'en');
  useEffect(() => void useFirstRunStore.getState().loadSampleStatus(), []);

  const remove = async () => {
    const removed = await useFirstRunStore.getState().removeSample();
    if (removed !== null) notifications.show({ color: 'teal', message: t('help.sample.removed', { count: removed }) });
  };

  return (
    <Paper withBorder p="md" mt="xl" maw={640} data-testid="sample-panel">
      <Title order={5} mb="xs">
        {t('help.sample.title')}
      </Title>
      <Text size="sm" mb="sm" data-testid="sample-state">
        {sample?.loaded ? t('help.sample.loadedText') : t('help.sample.noneText')}
      </Text>
      <ErrorAlert error={error} />
      <Group>
        {sample?.loaded ? (
          <Button color="red" variant="light" leftSection={<Trash2 size={16} />} loading={busy} onClick={() => void remove()} data-testid="sample-remove">
            {t('help.sample.remove')}
          </Button>
        ) : (
          <Button variant="light" loading={busy} onClick={() => void useFirstRunStore.getState().loadSample(language)} data-testid="sample-load">
            {t('help.sample.load')}
          </Button>
        )}
        <Button variant="subtle" leftSection={<Compass size={16} />} onClick={() => useFirstRunStore.getState().show()} data-testid="first-run-reopen">
          {t('help.firstRun.reopen')}
        </Button>
      </Group>
    </Paper>
  );
}
