import { Button, Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { DatabaseBackup, FolderOpen, ShieldCheck } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoreHealth as Health } from '@shared/contract/system';
import { call } from '@renderer/api/client';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { notifyError } from '@renderer/errors/notify-error';
import { useModelsStore } from '@renderer/features/models/models-store';
import { useSyncStore } from '@renderer/features/sync/sync-store';
import { formatBytes, timeAgo } from '../format';
import { useHealthStore } from './health-store';

function Item({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" mb={4}>
        {label}
      </Text>
      {children}
    </Paper>
  );
}

function syncText(health: Health, t: ReturnType<typeof useTranslation>['t']): string {
  const { pendingCount, lastSuccessAt, running } = health.sync;
  const queue = pendingCount === 0 ? t('help.health.syncPendingNone') : pendingCount === 1 ? t('help.health.syncPendingOne') : t('help.health.syncPendingMany', { count: pendingCount });
  const last = lastSuccessAt ? t('help.health.syncLast', { when: timeAgo(lastSuccessAt, t) }) : t('help.health.syncNever');
  return `${queue}${last}${running ? t('help.health.syncRunning') : ''}`;
}

/** The store in words: size and growth, backups (and "back up now"), integrity, the sync queue, the model. */
export function StoreHealth() {
  const { t, i18n } = useTranslation();
  const health = useHealthStore((s) => s.health);
  const error = useHealthStore((s) => s.error);
  const busy = useHealthStore((s) => s.busy);
  const lastBackupFile = useHealthStore((s) => s.lastBackupFile);
  useEffect(() => void useHealthStore.getState().refresh(), []);
  if (!health) return <ErrorAlert error={error} />;
  const bytes = (n: number) => formatBytes(n, i18n.language);
  const when = (iso: string) => timeAgo(Date.parse(iso), t);
  const integrity = health.integrity;
  return (
    <>
      <Title order={4} mb="xs">
        {t('help.health.title')}
      </Title>
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="store-health">
        <Item label={t('help.health.size')} testId="health-size">
          <Text fw={600}>
            {t('help.health.sizeText', { size: bytes(health.dbBytes) })}
            {health.walBytes > 0 ? t('help.health.walText', { size: bytes(health.walBytes) }) : ''}
          </Text>
          <Text size="sm" c="dimmed" data-testid="health-growth">
            {health.growth ? t('help.health.growthText', { sign: health.growth.bytes >= 0 ? '+' : '−', size: bytes(health.growth.bytes), when: when(health.growth.since) }) : t('help.health.growthNone')}
          </Text>
        </Item>
        <Item label={t('help.health.backup')} testId="health-backup">
          <Text fw={600} data-testid="health-backup-text">
            {health.lastBackup ? t('help.health.backupText', { when: when(health.lastBackup.at), size: bytes(health.lastBackup.bytes), count: health.backupCount }) : t('help.health.backupNone')}
          </Text>
          {lastBackupFile && (
            <Text size="xs" c="dimmed" data-testid="health-backup-done">
              {t('help.health.backupDone', { file: lastBackupFile })}
            </Text>
          )}
          <Group mt="xs" gap="xs">
            <Button size="xs" leftSection={<DatabaseBackup size={14} />} loading={busy === 'backup'} onClick={() => void useHealthStore.getState().backupNow()} data-testid="health-backup-now">
              {t('help.health.backupNow')}
            </Button>
            {health.lastBackup && (
              <Button size="xs" variant="subtle" leftSection={<FolderOpen size={14} />} onClick={() => void call('system:openPath', { target: 'backups' }).catch((e: unknown) => notifyError(e, t))}>
                {t('help.health.openBackups')}
              </Button>
            )}
          </Group>
        </Item>
        <Item label={t('help.health.integrity')} testId="health-integrity">
          <Text fw={600} c={integrity && !integrity.ok ? 'red' : undefined} data-testid="health-integrity-text">
            {!integrity
              ? t('help.health.integrityNone')
              : integrity.ok
                ? t('help.health.integrityOk', { when: timeAgo(integrity.at, t) })
                : t('help.health.integrityBad', { when: timeAgo(integrity.at, t), problems: integrity.problems.slice(0, 3).join('; ') })}
          </Text>
          <Button mt="xs" size="xs" variant="light" leftSection={<ShieldCheck size={14} />} loading={busy === 'check'} onClick={() => void useHealthStore.getState().checkNow()} data-testid="health-check-now">
            {t('help.health.checkNow')}
          </Button>
        </Item>
        <Item label={t('help.health.sync')} testId="health-sync">
          <Text fw={600} data-testid="health-sync-text">
            {health.sync.configured ? syncText(health, t) : t('help.health.syncNotConfigured')}
          </Text>
          {!health.sync.configured && (
            <Button mt="xs" size="xs" variant="light" onClick={() => useSyncStore.getState().openSyncSettings()} data-testid="health-sync-setup">
              {t('help.health.syncSetUp')}
            </Button>
          )}
        </Item>
        <Item label={t('help.health.model')} testId="health-model">
          <Text fw={600} data-testid="health-model-text">
            {!health.model
              ? t('help.health.modelNone')
              : health.model.memoryBytes !== null
                ? t('help.health.modelText', { name: health.model.name ?? health.model.fileName, memory: bytes(health.model.memoryBytes) })
                : t('help.health.modelTextFile', { name: health.model.name ?? health.model.fileName, size: bytes(health.model.fileBytes ?? 0) })}
          </Text>
          {!health.model && (
            <Button mt="xs" size="xs" variant="light" onClick={() => useModelsStore.getState().openModelsSettings()} data-testid="health-model-load">
              {t('help.health.modelLoad')}
            </Button>
          )}
        </Item>
        <Item label={t('help.health.records')} testId="health-records">
          <Text size="sm">{t('help.health.recordsText', health.records)}</Text>
        </Item>
      </SimpleGrid>
    </>
  );
}
