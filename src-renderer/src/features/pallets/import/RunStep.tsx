import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../format';
import { useImportStore } from './import-store';

/** The import running: phase, lines done of total, and Cancel (ops:cancel with the request id). */
export function RunStep() {
  const { t, i18n } = useTranslation();
  const running = useImportStore((s) => s.running);
  const cancel = useImportStore((s) => s.cancel);
  const result = useImportStore((s) => s.result);
  const progress = running?.progress ?? null;
  const percent = result ? 100 : progress?.total ? Math.min(100, (progress.done / progress.total) * 100) : null;

  return (
    <Stack data-testid="import-running" py="md">
      <Text size="sm">
        {result
          ? t('pallets.import.done', { lines: formatNumber(result.stats.lines, i18n.language) })
          : progress
          ? t('pallets.import.progress', {
              phase: t(`pallets.phase.${progress.phase}`),
              done: formatNumber(progress.done, i18n.language),
              total: progress.total === null ? '…' : formatNumber(progress.total, i18n.language),
            })
          : t('pallets.import.starting')}
      </Text>
      <Progress value={percent ?? 100} animated striped={percent === null} size="lg" data-testid="import-progress" />
      <Group justify="flex-end">
        <Button color="red" variant="light" onClick={() => void cancel()} loading={running?.cancelling} disabled={!running} data-testid="import-cancel">
          {t('pallets.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
