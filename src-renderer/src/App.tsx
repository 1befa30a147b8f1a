import { Center, Loader, MantineProvider } from '@mantine/core';
import { useColorScheme } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { useEffect, type ReactNode } from 'react';
import { CoachPage } from './features/coach/CoachPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { FirstRunGuide } from './features/help/first-run/FirstRunGuide';
import { ShortcutsDialog } from './features/help/shortcuts/ShortcutsDialog';
import { PalletsPage } from './features/pallets/PalletsPage';
import { PipelinePage } from './features/pipeline/PipelinePage';
import { TodayPage } from './features/pipeline/TodayPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { setLanguage } from './i18n';
import { Shell } from './shell/Shell';
import { useNavStore, type Page } from './stores/nav-store';
import { useSettingsStore } from './stores/settings-store';
import { useSystemStore } from './stores/system-store';
import { theme } from './theme';

const PAGES: Record<Page, () => ReactNode> = {
  coach: () => <CoachPage />,
  pallets: () => <PalletsPage />,
  dashboard: () => <DashboardPage />,
  settings: () => <SettingsPage />,
  today: () => <TodayPage />,
  pipeline: () => <PipelinePage />,
};

export function App() {
  const settings = useSettingsStore((s) => s.settings);
  const page = useNavStore((s) => s.page);
  const systemScheme = useColorScheme();

  useEffect(() => {
    void useSettingsStore.getState().load();
    void useSystemStore.getState().refresh();
    const timer = setInterval(() => void useSystemStore.getState().refresh(), 15_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (settings) setLanguage(settings.language);
  }, [settings]);

  const scheme = settings?.theme === 'dark' || (settings?.theme === 'system' && systemScheme === 'dark') ? 'dark' : 'light';
  return (
    <MantineProvider theme={theme} forceColorScheme={scheme}>
      <Notifications position="bottom-right" />
      {settings ? (
        <div data-theme={scheme} data-testid="app-root">
          <Shell>{PAGES[page]()}</Shell>
          <FirstRunGuide />
          <ShortcutsDialog />
        </div>
      ) : (
        <Center h="100vh">
          <Loader />
        </Center>
      )}
    </MantineProvider>
  );
}
