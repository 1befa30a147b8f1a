import { Anchor, Button, Center, Group, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { FileUp } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatDate, formatNumber } from '../format';
import { useImportStore } from '../import/import-store';
import { StatusCounts } from '../StatusBadge';
import { usePalletsStore, type AnalysisSummary } from '../pallets-store';
import { DeleteModal, RenameModal } from './AnalysisModals';
import { RowActions } from '@renderer/components/RowActions';

/** Every analysis, newest first: open, rename, delete. */
export function AnalysesList() {
  const { t, i18n } = useTranslation();
  const analyses = usePalletsStore((s) => s.analyses);
  const loaded = usePalletsStore((s) => s.analysesLoaded);
  const loading = usePalletsStore((s) => s.analysesLoading);
  const error = usePalletsStore((s) => s.analysesError);
  const load = usePalletsStore((s) => s.loadAnalyses);
  const open = usePalletsStore((s) => s.openAnalysis);
  const startImport = useImportStore((s) => s.start);
  const [renaming, setRenaming] = useState<AnalysisSummary | null>(null);
  const [deleting, setDeleting] = useState<AnalysisSummary | null>(null);

  if (error && !loaded) return <ErrorAlert error={error} onRetry={() => void load()} />;
  if (!loaded || (loading && analyses.length === 0)) {
    return (
      <Center h={200}>
        <Loader />
      </Center>
    );
  }
  if (analyses.length === 0) {
    return (
      <Paper withBorder p="xl" data-testid="analyses-empty">
        <Stack align="center" gap="sm">
          <Text fw={600}>{t('pallets.list.emptyTitle')}</Text>
          <Text size="sm" c="dimmed" ta="center" maw={520}>
            {t('pallets.list.empty')}
          </Text>
          <Button leftSection={<FileUp size={16} />} onClick={startImport}>
            {t('pallets.import.button')}
          </Button>
        </Stack>
      </Paper>
    );
  }

  return (
    <>
      {error && <ErrorAlert error={error} onRetry={() => void load()} />}
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover verticalSpacing="xs" data-testid="analyses-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pallets.list.name')}</Table.Th>
              <Table.Th>{t('pallets.list.supplier')}</Table.Th>
              <Table.Th ta="right">{t('pallets.list.lines')}</Table.Th>
              <Table.Th>{t('pallets.list.statuses')}</Table.Th>
              <Table.Th>{t('pallets.list.created')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {analyses.map((a) => (
              <Table.Tr key={a.id} data-testid="analysis-row" data-id={a.id}>
                <Table.Td>
                  <Anchor component="button" type="button" fw={600} onClick={() => void open(a.id)} data-testid="analysis-open">
                    {a.name}
                  </Anchor>
                  {a.sourceFile && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {a.sourceFile}
                      {a.sheetName ? ` · ${a.sheetName}` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{a.supplier ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatNumber(a.lineCount, i18n.language)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <StatusCounts statuses={a.statuses} />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDate(a.createdAt, i18n.language)}</Text>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    editLabel={t('pallets.list.rename')}
                    deleteLabel={t('pallets.list.delete')}
                    onEdit={() => setRenaming(a)}
                    onDelete={() => setDeleting(a)}
                    editTestId="analysis-rename"
                    deleteTestId="analysis-delete"
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <RenameModal analysis={renaming} onClose={() => setRenaming(null)} />
      <DeleteModal analysis={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
