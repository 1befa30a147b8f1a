import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { CircleCheck, CloudExclamationPoint, CloudOff, Info, RefreshCw } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '@shared/contract/sync';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { knownCode } from '@renderer/errors/ui-error';
import { RejectionsTable } from './RejectionsTable';
import { useSyncStore, type ManualRun } from './sync-store';
import { absoluteTime, ago, relativeTime, useNow } from './time';

function Stat({ label, value, hint, testId, color }: { label: string; value: ReactNode; hint?: string; testId: string; color?: string }) {
  const body = (
    <Paper withBorder p="xs" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" lh={1.3}>
        {label}
      </Text>
      <Text fw={600} size="lg" c={color} lh={1.4} data-testid={`${testId}-value`}>
        {value}
      </Text>
    </Paper>
  );
  return hint ? <Tooltip label={hint}>{body}</Tooltip> : body;
}

/** Progress of this window's "Sync now" (ops:progress), or an indeterminate bar for a background run. */
function RunProgress({ manual, status }: { manual: ManualRun | null; status: SyncStatus }) {
  const { t } = useTranslation();
  if (!manual && !status.running) return null;
  const phase = manual?.phase ?? status.phase;
  const label = phase === 'push' || phase === 'pull' ? t(`sync.panel.progress.${phase}`) : t('sync.panel.progress.start');
  const total = manual?.total ?? null;
  const done = manual?.done ?? 0;
  const known = total !== null && total > 0;
  const count = known ? t('sync.panel.progressCount', { done, total }) : done > 0 ? t('sync.panel.progressDone', { done }) : '';
  return (
    <Stack gap={4} data-testid="sync-progress" aria-live="polite">
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="xs" c="dimmed">
          {count}
        </Text>
      </Group>
      <Progress value={known ? Math.min(100, (done / total) * 100) : 100} animated={!known} striped={!known} aria-label={label} />
    </Stack>
  );
}

function LastError({ error, lang }: { error: NonNullable<SyncStatus['lastError']>; lang: string }) {
  const { t } = useTranslation();
  return (
    <ErrorAlert
      error={{ code: knownCode(error.code), message: error.message }}
      scope="sync.panel"
      icon={<CloudExclamationPoint size={18} />}
      footer={t('sync.panel.errorAt', { time: absoluteTime(error.at, lang) })}
      testId="sync-last-error"
    />
  );
}

/** Sync status, "Sync now" with progress, the last error in plain words and the refused changes. */
export function SyncPanel() {
  const { t, i18n } = useTranslation();
  const status = useSyncStore((s) => s.status);
  const manual = useSyncStore((s) => s.manual);
  const manualResult = useSyncStore((s) => s.manualResult);
  const manualError = useSyncStore((s) => s.manualError);
  const syncNow = useSyncStore((s) => s.syncNow);
  const clearManualOutcome = useSyncStore((s) => s.clearManualOutcome);
  const now = useNow(15_000);
  const lang = i18n.language;

  useEffect(() => {
    const store = useSyncStore.getState();
    void store.loadStatus();
    void store.loadRejections();
  }, []);

  if (!status) return null;
  const busy = manual !== null || status.running;
  const phaseText = t(`sync.panel.phase.${status.phase}`);
  const lastRun = status.lastRun;
  // The status's last error already says what went wrong; a manual failure is shown only when it differs.
  const manualOnly = manualError && manualError.message !== status.lastError?.message ? manualError : null;

  return (
    <Paper withBorder p="md" style={{ flex: '1 1 420px', minWidth: 0 }} data-testid="sync-panel">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Title order={4}>{t('sync.panel.title')}</Title>
            <Tooltip label={t('sync.panel.phaseLabel')}>
              <Badge variant={status.running ? 'filled' : 'light'} color={status.running ? 'blue' : 'gray'} data-testid="sync-phase" data-phase={status.phase}>
                {phaseText}
              </Badge>
            </Tooltip>
          </Group>
          <Button
            leftSection={<RefreshCw size={16} />}
            onClick={() => void syncNow()}
            loading={busy}
            disabled={!status.configured}
            data-testid="sync-now"
          >
            {t('sync.panel.syncNow')}
          </Button>
        </Group>

        {!status.configured && (
          <Alert color="blue" variant="light" icon={<Info size={18} />} data-testid="sync-not-configured">
            {t('sync.panel.notConfigured')}
          </Alert>
        )}
        {status.configured && !status.enabled && (
          <Text size="sm" c="dimmed" data-testid="sync-disabled">
            {t('sync.panel.disabled')}
          </Text>
        )}
        {status.configured && !status.online && (
          <Alert color="gray" variant="light" icon={<CloudOff size={18} />}>
            {t('sync.panel.offline')}
          </Alert>
        )}

        <RunProgress manual={manual} status={status} />

        <SimpleGrid type="container" cols={{ base: 2, '640px': 4 }} spacing="xs">
          <Stat testId="sync-pending" label={t('sync.panel.pending')} value={status.pendingCount} color={status.pendingCount > 0 ? 'yellow.8' : undefined} />
          <Stat testId="sync-rejected" label={t('sync.panel.rejected')} value={status.rejectedCount} color={status.rejectedCount > 0 ? 'red' : undefined} />
          <Stat
            testId="sync-last-success"
            label={t('sync.panel.lastSuccess')}
            value={status.lastSuccessAt ? ago(status.lastSuccessAt, now, lang, t) : t('sync.panel.never')}
            hint={status.lastSuccessAt ? absoluteTime(status.lastSuccessAt, lang) : undefined}
          />
          <Stat
            testId="sync-next-run"
            label={t('sync.panel.nextRun')}
            value={status.running ? t('sync.panel.now') : status.nextRunAt ? relativeTime(Math.max(status.nextRunAt, now), now, lang, t) : t('sync.panel.notScheduled')}
            hint={status.nextRunAt ? absoluteTime(status.nextRunAt, lang) : undefined}
          />
        </SimpleGrid>

        {lastRun?.ok && (
          <Text size="xs" c="dimmed" data-testid="sync-last-run">
            {t('sync.panel.lastRun', { pushed: lastRun.pushed, pulled: lastRun.pulled, rejected: lastRun.rejected, kb: (lastRun.bytesSent / 1024).toLocaleString(lang, { maximumFractionDigits: 1 }), ms: Math.round(lastRun.ms) })}
          </Text>
        )}

        {manualResult && !busy && (
          <Alert
            color={manualResult.rejected > 0 ? 'orange' : 'teal'}
            variant="light"
            icon={<CircleCheck size={18} />}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={clearManualOutcome}
            role="status"
            data-testid="sync-now-result"
          >
            {t(manualResult.rejected > 0 ? 'sync.panel.finishedRejected' : 'sync.panel.finished', { pushed: manualResult.pushed, pulled: manualResult.pulled, rejected: manualResult.rejected })}
            {manualResult.message && !manualResult.ok ? ` ${manualResult.message}` : ''}
          </Alert>
        )}
        {status.lastError && <LastError error={status.lastError} lang={lang} />}
        <ErrorAlert error={manualOnly} scope="sync.panel" onClose={clearManualOutcome} testId="sync-now-error" />

        <RejectionsTable />
      </Stack>
    </Paper>
  );
}
