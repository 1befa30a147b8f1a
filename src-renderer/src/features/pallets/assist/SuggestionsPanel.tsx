import { Badge, Button, Group, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Check, Sparkles, Square, X } from 'lucide-react';
import { useEffect, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineSuggestion } from '@shared/contract/pallets';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useAssistStore } from './assist-store';

function Change({ from, to, label }: { from: string | null; to: string | null; label?: (v: string) => string }) {
  const show = (v: string | null) => (v === null ? '—' : label ? label(v) : v);
  if (to === null || to === from) return <Text size="sm">{show(from)}</Text>;
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" td="line-through">
        {show(from)}
      </Text>
      <Text size="sm" fw={500}>
        {show(to)}
      </Text>
    </Stack>
  );
}

function SuggestionRow({ suggestion, onDecide }: { suggestion: LineSuggestion; onDecide(decision: 'accept' | 'reject'): void }) {
  const { t } = useTranslation();
  const busy = useAssistStore((s) => s.deciding.includes(suggestion.id));
  const category = (key: string) => t(`pallets.categories.${key}`, { defaultValue: key });
  // Keyboard-first review: Tab through rows, A accepts, R rejects.
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget || busy) return;
    const key = event.key.toLowerCase();
    if (key === 'a' || key === 'r') {
      event.preventDefault();
      onDecide(key === 'a' ? 'accept' : 'reject');
    }
  };
  const { current, proposed } = suggestion;
  return (
    <Table.Tr tabIndex={0} onKeyDown={onKeyDown} data-testid="suggestion-row" data-line={suggestion.lineId}>
      <Table.Td>{suggestion.row}</Table.Td>
      <Table.Td maw={320}>
        <Change from={current.name} to={proposed.name} />
      </Table.Td>
      <Table.Td>
        <Change from={current.category} to={proposed.category} label={category} />
      </Table.Td>
      <Table.Td>
        <Change from={current.brand} to={proposed.brand} />
      </Table.Td>
      <Table.Td>{proposed.model ?? '—'}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {suggestion.reasons.map((r) => (
            <Badge key={r} size="xs" variant="light" color="gray">
              {t(`pallets.assist.reason.${r}`)}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" color="teal" variant="light" leftSection={<Check size={12} />} loading={busy} onClick={() => onDecide('accept')} aria-label={t('pallets.assist.acceptLine', { row: suggestion.row })} data-testid="suggestion-accept">
            {t('pallets.assist.accept')}
          </Button>
          <Button size="compact-xs" color="red" variant="subtle" leftSection={<X size={12} />} disabled={busy} onClick={() => onDecide('reject')} aria-label={t('pallets.assist.rejectLine', { row: suggestion.row })} data-testid="suggestion-reject">
            {t('pallets.assist.reject')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The analysis's model suggestions: run the model on the lines the rules could not place, then decide. */
export function SuggestionsPanel({ analysisId }: { analysisId: string }) {
  const { t } = useTranslation();
  const { suggestions, pending, truncated, error, running, lastResult, load, run, stop, decide } = useAssistStore();

  useEffect(() => {
    void load(analysisId);
  }, [analysisId, load]);

  const onDecide = async (decision: 'accept' | 'reject', ids?: string[]) => {
    const accepted = await decide(decision, ids);
    if (accepted > 0) notifications.show({ color: 'teal', message: t('pallets.assist.accepted', { count: accepted }) });
  };
  const progress = running?.progress;

  return (
    <Stack gap="sm" data-testid="suggestions-panel">
      <Paper withBorder p="sm">
        <Stack gap={6}>
          <Text size="sm" c="dimmed">
            {t('pallets.assist.intro')}
          </Text>
          <Group gap="xs">
            {running ? (
              <Button size="xs" color="red" variant="light" leftSection={<Square size={12} />} onClick={() => void stop()} loading={running.stopping} data-testid="assist-stop">
                {t('pallets.assist.stop')}
              </Button>
            ) : (
              <Button size="xs" leftSection={<Sparkles size={14} />} onClick={() => void run(analysisId)} data-testid="assist-run">
                {t('pallets.assist.run')}
              </Button>
            )}
            {lastResult && (
              <Text size="xs" c="dimmed" data-testid="assist-result">
                {t('pallets.assist.result', lastResult)}
                {lastResult.failedBatches > 0 ? ` ${t('pallets.assist.failed', { count: lastResult.failedBatches })}` : ''}
                {lastResult.cancelled ? ` ${t('pallets.assist.stopped')}` : ''}
              </Text>
            )}
          </Group>
          {running && (
            <Stack gap={2} data-testid="assist-progress">
              <Text size="xs" c="dimmed">
                {t('pallets.assist.progress', { done: progress?.done ?? 0, total: progress?.total ?? 0, suggested: progress?.suggested ?? 0 })}
              </Text>
              <Progress size="sm" value={progress?.total ? (progress.done / progress.total) * 100 : 100} animated striped={!progress?.total} />
            </Stack>
          )}
          <ErrorAlert error={error} testId="assist-error" />
        </Stack>
      </Paper>
      {suggestions.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="md" data-testid="suggestions-empty">
          {t('pallets.assist.none')}
        </Text>
      ) : (
        <Paper withBorder p="xs">
          <Group justify="space-between" mb="xs">
            <Text size="sm" data-testid="suggestions-pending" data-count={pending}>
              {t('pallets.assist.pending', { count: pending })}
              {truncated ? ` ${t('pallets.assist.truncated', { count: suggestions.length })}` : ''}
            </Text>
            <Group gap="xs">
              <Text size="xs" c="dimmed">
                {t('pallets.assist.keys')}
              </Text>
              <Button size="compact-sm" color="teal" variant="light" onClick={() => void onDecide('accept')} data-testid="assist-accept-all">
                {t('pallets.assist.acceptAll')}
              </Button>
              <Button size="compact-sm" color="red" variant="subtle" onClick={() => void onDecide('reject')} data-testid="assist-reject-all">
                {t('pallets.assist.rejectAll')}
              </Button>
            </Group>
          </Group>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('pallets.assist.col.row')}</Table.Th>
                  <Table.Th>{t('pallets.assist.col.name')}</Table.Th>
                  <Table.Th>{t('pallets.assist.col.category')}</Table.Th>
                  <Table.Th>{t('pallets.assist.col.brand')}</Table.Th>
                  <Table.Th>{t('pallets.assist.col.model')}</Table.Th>
                  <Table.Th>{t('pallets.assist.col.why')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {suggestions.map((s) => (
                  <SuggestionRow key={s.id} suggestion={s} onDecide={(d) => void onDecide(d, [s.id])} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
