import { Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageRow } from '@shared/contract/endpoint';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useEndpointStore } from './endpoint-store';

const PERIODS = ['1', '7', '30'] as const;

/** Models → Usage: tokens in and out, speed and time per task (local model and endpoint), per day. */
export function UsagePanel() {
  const { t, i18n } = useTranslation();
  const { usage, usageError, loadUsage } = useEndpointStore();
  const [days, setDays] = useState<(typeof PERIODS)[number]>('7');
  useEffect(() => {
    void loadUsage(Number(days));
  }, [days, loadUsage]);
  const number = (n: number) => n.toLocaleString(i18n.language);
  const seconds = (ms: number) => `${(ms / 1000).toLocaleString(i18n.language, { maximumFractionDigits: 1 })} s`;
  const speed = (x: UsageRow) => (x.generationMs > 0 ? `${(x.completionTokens / (x.generationMs / 1000)).toLocaleString(i18n.language, { maximumFractionDigits: 1 })} tok/s` : '—');
  const rows = usage ?? [];

  return (
    <Paper withBorder p="md" data-testid="usage-panel">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>{t('models.usage.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('models.usage.intro')}
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            aria-label={t('models.usage.period')}
            value={days}
            onChange={(value) => setDays(PERIODS.find((p) => p === value) ?? '7')}
            data={PERIODS.map((p) => ({ value: p, label: t(`models.usage.days.${p}`) }))}
            data-testid="usage-period"
          />
        </Group>
        <ErrorAlert error={usageError} onRetry={() => void loadUsage(Number(days))} testId="usage-error" />
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="usage-empty">
            {t('models.usage.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover data-testid="usage-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('models.usage.col.day')}</Table.Th>
                  <Table.Th>{t('models.usage.col.task')}</Table.Th>
                  <Table.Th>{t('models.usage.col.source')}</Table.Th>
                  <Table.Th ta="right">{t('models.usage.col.requests')}</Table.Th>
                  <Table.Th ta="right">{t('models.usage.col.tokensIn')}</Table.Th>
                  <Table.Th ta="right">{t('models.usage.col.tokensOut')}</Table.Th>
                  <Table.Th ta="right">{t('models.usage.col.speed')}</Table.Th>
                  <Table.Th ta="right">{t('models.usage.col.time')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={`${row.day}|${row.task}|${row.source}`} data-testid="usage-row" data-task={row.task} data-source={row.source}>
                    <Table.Td>{row.day}</Table.Td>
                    <Table.Td>{t(`models.endpoint.task.${row.task}`)}</Table.Td>
                    <Table.Td>{t(`models.usage.source.${row.source}`)}</Table.Td>
                    <Table.Td ta="right">
                      {number(row.requests)}
                      {row.failures > 0 ? ` (${t('models.usage.failures', { count: row.failures })})` : ''}
                    </Table.Td>
                    <Table.Td ta="right">{number(row.promptTokens)}</Table.Td>
                    <Table.Td ta="right" data-testid="usage-tokens-out">
                      {number(row.completionTokens)}
                    </Table.Td>
                    <Table.Td ta="right">{speed(row)}</Table.Td>
                    <Table.Td ta="right">{seconds(row.totalMs)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
