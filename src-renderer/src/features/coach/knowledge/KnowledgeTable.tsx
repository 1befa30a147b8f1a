import { ActionIcon, Badge, Button, Group, Loader, Pagination, Popover, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeEntry } from '@shared/coaching/types';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { notifyError } from '@renderer/errors/notify-error';
import { PAGE_SIZE, useKnowledgeStore } from './knowledge-store';

function DeleteButton({ entry }: { entry: KnowledgeEntry }) {
  const { t } = useTranslation();
  const remove = useKnowledgeStore((s) => s.remove);
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await remove(entry.id);
      notifications.show({ message: t('coach.knowledge.deleted'), color: 'teal', autoClose: 1500 });
      setOpened(false);
    } catch (error) {
      notifyError(error, t);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="left" withArrow trapFocus>
      <Popover.Target>
        <ActionIcon variant="subtle" color="red" size="sm" onClick={() => setOpened((o) => !o)} aria-label={t('coach.actions.delete')}>
          <Trash2 size={14} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm">{t('coach.knowledge.confirmDelete', { title: entry.title })}</Text>
          <Group justify="flex-end" gap="xs">
            <Button size="compact-xs" variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button size="compact-xs" color="red" loading={busy} onClick={() => void confirm()}>
              {t('coach.actions.delete')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** One page of knowledge entries for the current filters. */
export function KnowledgeTable({ onEdit }: { onEdit(entry: KnowledgeEntry): void }) {
  const { t } = useTranslation();
  const entries = useKnowledgeStore((s) => s.entries);
  const total = useKnowledgeStore((s) => s.total);
  const page = useKnowledgeStore((s) => s.page);
  const loading = useKnowledgeStore((s) => s.loading);
  const error = useKnowledgeStore((s) => s.error);
  const setPage = useKnowledgeStore((s) => s.setPage);
  const load = useKnowledgeStore((s) => s.load);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="knowledge-total">
          {t('coach.knowledge.total', { n: total })}
        </Text>
        {loading && <Loader size="xs" />}
      </Group>
      <ErrorAlert error={error} onRetry={() => void load()} />
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover verticalSpacing={6} data-testid="knowledge-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('coach.knowledge.titleField')}</Table.Th>
              <Table.Th w={110}>{t('coach.knowledge.kind')}</Table.Th>
              <Table.Th w={60}>{t('coach.knowledge.lang')}</Table.Th>
              <Table.Th w={170}>{t('coach.knowledge.for')}</Table.Th>
              <Table.Th w={110}>{t('coach.knowledge.origin')}</Table.Th>
              <Table.Th w={70} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.length === 0 && !loading && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="sm" c="dimmed" ta="center" py="md">
                    {t('coach.knowledge.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid="knowledge-row">
                <Table.Td>
                  <Text size="sm" fw={500} lineClamp={1}>
                    {entry.title}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {entry.body}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light">
                    {t(`coach.kinds.${entry.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{entry.language.toUpperCase()}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {entry.category && (
                      <Badge size="xs" variant="outline" color="red">
                        {t(`coach.categories.${entry.category}`)}
                      </Badge>
                    )}
                    {entry.archetype && (
                      <Badge size="xs" variant="outline" color="grape">
                        {t(`coach.archetypes.${entry.archetype}`)}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {t(`coach.knowledge.origins.${entry.origin}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Tooltip label={t('coach.actions.edit')}>
                      <ActionIcon variant="subtle" size="sm" onClick={() => onEdit(entry)} aria-label={t('coach.actions.edit')} data-testid="knowledge-edit">
                        <Pencil size={14} />
                      </ActionIcon>
                    </Tooltip>
                    <DeleteButton entry={entry} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && <Pagination size="sm" total={pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
