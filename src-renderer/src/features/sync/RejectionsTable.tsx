import { Code, Group, ScrollArea, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useSyncStore } from './sync-store';
import { absoluteTime, ago, useNow } from './time';

/** Changes the server refused, newest first, each with the server's reason. */
export function RejectionsTable() {
  const { t, i18n } = useTranslation();
  const rejections = useSyncStore((s) => s.rejections);
  const error = useSyncStore((s) => s.rejectionsError);
  // "The server accepted every change" is only true once something was sent.
  const everSynced = useSyncStore((s) => Boolean(s.status?.lastSuccessAt ?? s.status?.lastRun));
  const now = useNow(30_000);

  return (
    <div data-testid="sync-rejections">
      <Group justify="space-between" mb={4}>
        <Title order={5}>{t('sync.rejections.title')}</Title>
        {rejections && rejections.total > rejections.items.length && (
          <Text size="xs" c="dimmed">
            {t('sync.rejections.more', { shown: rejections.items.length, total: rejections.total })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={error} scope="sync.panel" testId="sync-rejections-error" />
      {rejections && rejections.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="sync-rejections-empty">
          {everSynced ? t('sync.rejections.empty') : t('sync.rejections.emptyNeverSynced')}
        </Text>
      )}
      {rejections && rejections.items.length > 0 && (
        <ScrollArea.Autosize mah={320} type="auto">
          <Table striped highlightOnHover verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sync.rejections.table')}</Table.Th>
                <Table.Th>{t('sync.rejections.record')}</Table.Th>
                <Table.Th>{t('sync.rejections.reason')}</Table.Th>
                <Table.Th>{t('sync.rejections.when')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rejections.items.map((item) => (
                <Table.Tr key={`${item.table}:${item.id}`} data-testid="sync-rejection">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`sync.rejections.tables.${item.table}`, { defaultValue: item.table })}</Table.Td>
                  <Table.Td>
                    <Tooltip label={item.id}>
                      <Code>{item.id.slice(-8)}</Code>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'normal' }}>{item.reason}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {item.at > 0 && (
                      <Tooltip label={absoluteTime(item.at, i18n.language)}>
                        <span>{ago(item.at, now, i18n.language, t, 'short')}</span>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </div>
  );
}
