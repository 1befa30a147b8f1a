import { ActionIcon, AppShell, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { CalendarCheck, CircleHelp, Gauge, KanbanSquare, MessagesSquare, Package, Settings as SettingsIcon } from 'lucide-react';
import { RemindersBadge } from '../features/pipeline/RemindersBadge';
import { useShortcutsStore } from '../features/help/shortcuts/shortcuts-store';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PAGES, useNavStore, type Page } from '../stores/nav-store';
import { StatusBar } from './StatusBar';

const ICONS: Record<Page, ReactNode> = {
  coach: <MessagesSquare size={18} />,
  pallets: <Package size={18} />,
  dashboard: <Gauge size={18} />,
  settings: <SettingsIcon size={18} />,
  today: <CalendarCheck size={18} />,
  pipeline: <KanbanSquare size={18} />,
};

/** Navigation (Ctrl/⌘+1…4), header and status bar around the current page. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const page = useNavStore((s) => s.page);
  const go = useNavStore((s) => s.go);
  useHotkeys(PAGES.map((p, i) => [`mod+${i + 1}`, () => go(p)] as [string, () => void]), []);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 0 }} footer={{ height: 36 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={4}>{t('app.name')}</Title>
          <Group gap="xs">
            <RemindersBadge />
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
            <Tooltip label={t('help.shortcuts.open')}>
              <ActionIcon variant="subtle" aria-label={t('help.shortcuts.open')} onClick={() => useShortcutsStore.getState().setOpen(true)} data-testid="shortcuts-open">
                <CircleHelp size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="main">
        {PAGES.map((p, i) => (
          <NavLink
            key={p}
            // A button, not an <a> without href: reachable with Tab and activated with Enter or Space.
            component="button"
            label={t(`nav.${p}`)}
            description={t('nav.shortcut', { n: i + 1 })}
            leftSection={ICONS[p]}
            active={page === p}
            onClick={() => go(p)}
            data-testid={`nav-${p}`}
            aria-current={page === p ? 'page' : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <AppShell.Footer px="md">
        <Group h="100%">
          <StatusBar />
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
