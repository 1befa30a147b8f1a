import { Flex, Tabs, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModelsSettings } from '../models/ModelsSettings';
import { useModelsStore } from '../models/models-store';
import { SyncPanel } from '../sync/SyncPanel';
import { SyncSettings } from '../sync/SyncSettings';
import { useSyncStore } from '../sync/sync-store';
import { AboutPanel } from '../help/about/AboutPanel';
import { SampleDataPanel } from '../help/first-run/SampleDataPanel';
import { GeneralSettings } from './GeneralSettings';

export function SettingsPage() {
  const { t } = useTranslation();
  // The sync badge in the status bar asks for its tab; the request is consumed once.
  const requested = useSyncStore((s) => s.settingsTabRequest);
  const [tab, setTab] = useState<string | null>(() => requested ?? useModelsStore.getState().settingsTabRequest ?? 'general');
  useEffect(() => {
    if (!requested) return;
    setTab(requested);
    useSyncStore.getState().clearSettingsTabRequest();
  }, [requested]);
  // The model badge asks for `models`, the models page's threads hint for `general`.
  const modelsRequested = useModelsStore((s) => s.settingsTabRequest);
  useEffect(() => {
    if (!modelsRequested) return;
    setTab(modelsRequested);
    useModelsStore.getState().clearSettingsTabRequest();
  }, [modelsRequested]);

  return (
    <>
      <Title order={2} mb="md">
        {t('settings.title')}
      </Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="general" data-testid="settings-tab-general">
            {t('settings.general')}
          </Tabs.Tab>
          <Tabs.Tab value="sync" data-testid="settings-tab-sync">
            {t('sync.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="models" data-testid="settings-tab-models">
            {t('models.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="about" data-testid="settings-tab-about">
            {t('help.about.title')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="general">
          <GeneralSettings />
          <SampleDataPanel />
        </Tabs.Panel>
        <Tabs.Panel value="about">
          <AboutPanel />
        </Tabs.Panel>
        <Tabs.Panel value="sync">
          <Flex gap="md" align="flex-start" wrap="wrap">
            <SyncSettings />
            <SyncPanel />
          </Flex>
        </Tabs.Panel>
        <Tabs.Panel value="models">
          <ModelsSettings />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
