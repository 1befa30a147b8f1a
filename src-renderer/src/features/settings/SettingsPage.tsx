import { Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AboutPanel } from './AboutPanel';
import { GeneralSettings } from './GeneralSettings';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2} mb="md">
        {t('settings.title')}
      </Title>
      <Tabs defaultValue="general" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="general" data-testid="settings-tab-general">
            {t('settings.general')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="general">
          <GeneralSettings />
          <AboutPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
