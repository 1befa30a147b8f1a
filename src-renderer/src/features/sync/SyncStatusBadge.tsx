import { Stack, Text, type MantineColor } from '@mantine/core';
import { CloudCheck, CloudExclamationPoint, CloudOff, CloudSync, CloudUpload } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '@shared/contract/sync';
import { StatusBarBadge } from '@renderer/components/StatusBarBadge';
import { useSyncStore } from './sync-store';
import { absoluteTime, ago, useNow } from './time';

export type BadgeState = 'off' | 'syncing' | 'error' | 'retrying' | 'offline' | 'pending' | 'synced' | 'never';

/** The one word the status bar has room for; the tooltip and the Sync tab say the rest. */
export function badgeState(status: SyncStatus): BadgeState {
  if (!status.configured) return 'off';
  if (status.running) return 'syncing';
  if (status.lastError) return status.lastError.code === 'UNAVAILABLE' ? 'retrying' : 'error';
  if (!status.enabled) return 'off';
  if (!status.online) return 'offline';
  if (status.pendingCount > 0) return 'pending';
  return status.lastSuccessAt ? 'synced' : 'never';
}

const LOOK: Record<BadgeState, { color: MantineColor; icon: ReactNode }> = {
  off: { color: 'gray', icon: <CloudOff size={12} /> },
  syncing: { color: 'blue', icon: <CloudSync size={12} /> },
  error: { color: 'red', icon: <CloudExclamationPoint size={12} /> },
  retrying: { color: 'orange', icon: <CloudExclamationPoint size={12} /> },
  offline: { color: 'gray', icon: <CloudOff size={12} /> },
  pending: { color: 'yellow', icon: <CloudUpload size={12} /> },
  synced: { color: 'teal', icon: <CloudCheck size={12} /> },
  never: { color: 'gray', icon: <CloudUpload size={12} /> },
};

/** Status-bar item: live from `sync:status`; a click opens Settings → Sync. */
export function SyncStatusBadge() {
  const { t, i18n } = useTranslation();
  const status = useSyncStore((s) => s.status);
  const openSyncSettings = useSyncStore((s) => s.openSyncSettings);
  const now = useNow(30_000);

  useEffect(() => {
    void useSyncStore.getState().loadStatus();
  }, []);

  if (!status) return null;
  const state = badgeState(status);
  const lang = i18n.language;
  const labels: Record<BadgeState, string> = {
    off: status.configured ? t('sync.badge.off') : t('sync.badge.notSetUp'),
    syncing: t('sync.badge.syncing'),
    error: t('sync.badge.error'),
    retrying: t('sync.badge.retrying'),
    offline: t('sync.badge.offline', { n: status.pendingCount }),
    pending: t('sync.badge.pending', { n: status.pendingCount }),
    synced: status.lastSuccessAt ? t('sync.badge.synced', { when: ago(status.lastSuccessAt, now, lang, t, 'short') }) : '',
    never: t('sync.badge.never'),
  };
  const refused = status.rejectedCount > 0 && (state === 'synced' || state === 'pending') ? ` · ${t('sync.badge.rejected', { n: status.rejectedCount })}` : '';
  const label = labels[state] + refused;
  const look = LOOK[state];

  const details = (
    <Stack gap={2}>
      <Text size="xs">
        {t('sync.panel.pending')}: {status.pendingCount}
      </Text>
      {status.rejectedCount > 0 && (
        <Text size="xs">
          {t('sync.panel.rejected')}: {status.rejectedCount}
        </Text>
      )}
      <Text size="xs">
        {t('sync.panel.lastSuccess')}: {status.lastSuccessAt ? absoluteTime(status.lastSuccessAt, lang) : t('sync.panel.never')}
      </Text>
      {status.lastError && (
        <Text size="xs" maw={360} style={{ whiteSpace: 'normal' }}>
          {status.lastError.message}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('sync.badge.open')}
      </Text>
    </Stack>
  );

  return (
    <StatusBarBadge
      label={label}
      actionHint={t('sync.badge.open')}
      color={refused && state === 'synced' ? 'orange' : look.color}
      icon={look.icon}
      details={details}
      onClick={openSyncSettings}
      testId="sync-status-badge"
      state={state}
    />
  );
}
