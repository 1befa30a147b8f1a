import { Anchor, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { Cpu, RefreshCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@renderer/components/EmptyState';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useSettingsStore } from '@renderer/stores/settings-store';
import { AddModelForm } from './AddModelForm';
import { DownloadPanel } from './DownloadPanel';
import { EndpointSettings } from './endpoint/EndpointSettings';
import { UsagePanel } from './endpoint/UsagePanel';
import { ModelDetails } from './ModelDetails';
import { ModelsTable } from './ModelsTable';
import { RecommendedModels } from './RecommendedModels';
import { useModelsStore } from './models-store';

/** Settings → Models: the GGUF catalog, details with fit and load / unload, add and download. */
export function ModelsSettings() {
  const { t } = useTranslation();
  const { models, listError, listing, loadList, requestSettingsTab } = useModelsStore();
  const threads = useSettingsStore((s) => s.settings?.llmThreads ?? null);
  const autoLoad = useSettingsStore((s) => s.settings?.autoLoadModel ?? true);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    void loadList();
    void useModelsStore.getState().loadStatus();
  }, [loadList]);

  // The first model is selected so its details (and Load) are one step away; a deleted one deselects.
  const current = models?.find((m) => m.path === selected) ?? models?.find((m) => m.loaded) ?? models?.[0] ?? null;

  return (
    <Stack gap="md" data-testid="models-settings">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{t('models.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('models.intro')}
          </Text>
          <Group gap={6} mt={4}>
            <Cpu size={14} aria-hidden />
            <Text size="sm" c="dimmed" data-testid="models-threads">
              {t('models.threadsHint', { threads: threads ?? t('models.threadsAuto') })}
            </Text>
            <Anchor component="button" type="button" size="sm" onClick={() => requestSettingsTab('general')} data-testid="models-threads-link">
              {t('models.threadsLink')}
            </Anchor>
          </Group>
        </div>
        <Button variant="default" leftSection={<RefreshCw size={14} />} onClick={() => void loadList()} loading={listing} data-testid="models-refresh">
          {t('models.refresh')}
        </Button>
      </Group>
      <Switch
        checked={autoLoad}
        onChange={(e) => void useSettingsStore.getState().update({ autoLoadModel: e.currentTarget.checked })}
        label={t('models.autoLoad.label')}
        description={t('models.autoLoad.hint')}
        data-testid="models-autoload"
      />
      <ErrorAlert error={listError} onRetry={() => void loadList()} testId="models-list-error" />
      {models === null && !listError ? (
        <Center py="lg">
          <Group gap="xs">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('models.loadingList')}
            </Text>
          </Group>
        </Center>
      ) : models && models.length === 0 ? (
        <EmptyState
          testId="models-empty"
          title={t('help.empty.modelsTitle')}
          hint={t('models.empty')}
          action={t('help.empty.modelsAction')}
          onAction={() => document.querySelector('[data-testid="recommended-models"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
        />
      ) : (
        models && (
          <Paper withBorder p="xs">
            <ModelsTable models={models} selected={current?.path ?? null} onSelect={setSelected} />
          </Paper>
        )
      )}
      {current && <ModelDetails key={current.path} model={current} />}
      <RecommendedModels />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DownloadPanel />
        <AddModelForm />
      </SimpleGrid>
      <EndpointSettings />
      <UsagePanel />
    </Stack>
  );
}
