import { Button, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Download, Pause, Play, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DownloadInput, DownloadProgress, PartialDownload } from '@shared/contract/models';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { formatBytes } from './format';
import { useModelsStore, type ActiveDownload } from './models-store';

const FILE_NAME = /^[^/\\]+\.gguf$/i;
const SHA256 = /^[0-9a-fA-F]{64}$/;

function percent(received: number, total: number | null): number | null {
  return total && total > 0 ? Math.min(100, (received / total) * 100) : null;
}

function ProgressRow({ download }: { download: ActiveDownload }) {
  const { t, i18n } = useTranslation();
  const { pause, cancel } = useModelsStore();
  const p: DownloadProgress | null = download.progress;
  const received = p?.receivedBytes ?? 0;
  const total = p?.totalBytes ?? null;
  const pct = percent(received, total);
  const b = (n: number) => formatBytes(n, i18n.language);
  const state = p?.state ?? 'starting';
  return (
    <Paper withBorder p="sm" data-testid="download-active" data-state={state} data-received={received}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={500} truncate="end">
            {download.fileName ?? download.url}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {t(`models.download.state.${state}`)}
          </Text>
        </Group>
        <Progress value={pct ?? 100} animated={pct === null || state === 'downloading'} striped={pct === null} aria-label={t('models.download.title')} data-testid="download-progress" />
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="download-bytes">
            {total ? t('models.download.progress', { received: b(received), total: b(total) }) : t('models.download.progressUnknown', { received: b(received) })}
            {p && p.bytesPerSecond > 0 ? ` · ${t('models.download.speed', { speed: b(p.bytesPerSecond) })}` : ''}
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Button size="compact-sm" variant="light" leftSection={<Pause size={12} />} onClick={() => void pause(download.requestId)} loading={download.pausing} disabled={download.cancelling} data-testid="download-pause">
              {t('models.download.pause')}
            </Button>
            <Button size="compact-sm" variant="light" color="red" leftSection={<X size={12} />} onClick={() => void cancel(download.requestId)} loading={download.cancelling} disabled={download.pausing} data-testid="download-cancel">
              {t('models.download.cancel')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}

function PartialRow({ partial, onResume, onDiscard }: { partial: PartialDownload; onResume(): void; onDiscard(): void }) {
  const { t, i18n } = useTranslation();
  const b = (n: number) => formatBytes(n, i18n.language);
  const pct = percent(partial.receivedBytes, partial.totalBytes);
  return (
    <Paper withBorder p="sm" data-testid="download-partial" data-file={partial.fileName} data-state={partial.state}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Text size="sm" fw={500} truncate="end">
              {partial.fileName}
            </Text>
            <Text size="xs" c="dimmed" truncate="end" title={partial.url}>
              {t('models.download.from', { url: partial.url })}
            </Text>
          </div>
          <Group gap={6} wrap="nowrap">
            <Button size="compact-sm" variant="light" leftSection={<Play size={12} />} onClick={onResume} data-testid="download-resume">
              {t('models.download.resume')}
            </Button>
            <Button size="compact-sm" variant="subtle" color="red" onClick={onDiscard} data-testid="download-discard">
              {t('models.download.discard')}
            </Button>
          </Group>
        </Group>
        {pct !== null && <Progress value={pct} color={partial.state === 'failed' ? 'red' : 'yellow'} aria-label={partial.fileName} />}
        <Text size="xs" c="dimmed">
          {t(`models.download.state.${partial.state}`)} ·{' '}
          {partial.totalBytes ? t('models.download.progress', { received: b(partial.receivedBytes), total: b(partial.totalBytes) }) : b(partial.receivedBytes)}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Download by URL with live progress, and the unfinished downloads found on disk (resumable). */
export function DownloadPanel() {
  const { t } = useTranslation();
  const store = useModelsStore();
  const active = Object.values(store.active);
  const activeNames = new Set(active.map((a) => a.fileName));
  const partials = store.partials.filter((p) => !activeNames.has(p.fileName));
  const [url, setUrl] = useState('');
  const [fileName, setFileName] = useState('');
  const [sha256, setSha256] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'url' | 'fileName' | 'sha256', string>>>({});
  const [failure, setFailure] = useState<UiError | null>(null);

  const run = async (input: Omit<DownloadInput, 'requestId'>) => {
    setFailure(null);
    try {
      const result = await store.download(input);
      if (result.state === 'completed') notifications.show({ color: 'teal', message: t('models.download.completed', { name: result.fileName }) });
    } catch (error) {
      setFailure(toUiError(error));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!url.trim()) next.url = t('models.download.urlRequired');
    if (fileName.trim() && !FILE_NAME.test(fileName.trim())) next.fileName = t('models.download.fileNameInvalid');
    if (sha256.trim() && !SHA256.test(sha256.trim())) next.sha256 = t('models.download.sha256Invalid');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    void run({ url: url.trim(), fileName: fileName.trim() || undefined, sha256: sha256.trim() || undefined });
  };

  // Resuming is the same download again: the backend continues from the partial file.
  const resume = (partial: PartialDownload) => void run({ url: partial.url, fileName: partial.fileName, sha256: partial.sha256 ?? undefined });
  const discard = async (fileName: string) => {
    try {
      await useModelsStore.getState().discard(fileName);
    } catch (error) {
      setFailure(toUiError(error));
    }
  };

  return (
    <Paper withBorder p="md" data-testid="models-download">
      <Stack gap="sm">
        <div>
          <Title order={4}>{t('models.download.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('models.download.intro')}
          </Text>
        </div>
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <TextInput label={t('models.download.url')} placeholder="https://…/model.gguf" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={errors.url} data-testid="download-url" />
            <Group grow align="flex-start">
              <TextInput label={t('models.download.fileName')} description={t('models.download.fileNameHint')} value={fileName} onChange={(e) => setFileName(e.currentTarget.value)} error={errors.fileName} data-testid="download-file-name" />
              <TextInput label={t('models.download.sha256')} description={t('models.download.sha256Hint')} value={sha256} onChange={(e) => setSha256(e.currentTarget.value)} error={errors.sha256} data-testid="download-sha256" />
            </Group>
            <Group justify="flex-end">
              <Button type="submit" leftSection={<Download size={14} />} data-testid="download-start">
                {t('models.download.start')}
              </Button>
            </Group>
          </Stack>
        </form>
        <ErrorAlert error={failure} title={t('models.download.failed')} onClose={() => setFailure(null)} testId="download-error" />
        {active.map((a) => (
          <ProgressRow key={a.requestId} download={a} />
        ))}
        {partials.length > 0 && (
          <Stack gap="xs" data-testid="download-partials">
            <div>
              <Text size="sm" fw={500}>
                {t('models.download.partialTitle')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('models.download.partialHint')}
              </Text>
            </div>
            {partials.map((p) => (
              <PartialRow key={p.fileName} partial={p} onResume={() => resume(p)} onDiscard={() => void discard(p.fileName)} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
