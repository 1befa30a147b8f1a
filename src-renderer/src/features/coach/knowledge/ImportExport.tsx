import { Alert, Button, FileButton, Group, List, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWLEDGE_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useKnowledgeStore, type ImportReport } from './knowledge-store';
import { base64ToBytes, bytesToBase64, downloadBlob, XLSX_MIME } from '@renderer/lib/files';

/** What `knowledge:import` accepts in one call (the contract's bound on `data`). */

export interface TransferResult {
  report: ImportReport | null;
  error: UiError | null;
}

/** Import entries from JSON or .xlsx; export the current kind/language filter as JSON or .xlsx. */
export function ImportExport({ onResult }: { onResult(result: TransferResult): void }) {
  const { t } = useTranslation();
  const importData = useKnowledgeStore((s) => s.importData);
  const exportData = useKnowledgeStore((s) => s.exportData);
  const [busy, setBusy] = useState<'import' | 'export' | null>(null);
  const setReport = (report: ImportReport | null) => onResult({ report, error: null });
  const setError = (error: UiError | null) => onResult({ report: null, error });

  const onFile = async (file: File | null) => {
    if (!file) return;
    const name = file.name.toLowerCase();
    const format = name.endsWith('.xlsx') ? 'xlsx' : name.endsWith('.json') ? 'json' : null;
    setReport(null);
    if (!format) return setError({ code: 'IMPORT_ERROR', message: t('coach.knowledge.importWrongType', { name: file.name }) });
    setBusy('import');
    setError(null);
    try {
      const data = format === 'xlsx' ? bytesToBase64(new Uint8Array(await file.arrayBuffer())) : await file.text();
      if (data.length > KNOWLEDGE_LIMITS.importChars) {
        setError({ code: 'IMPORT_ERROR', message: t('coach.knowledge.importTooBig', { name: file.name }) });
        return;
      }
      if (!data.trim()) {
        setError({ code: 'IMPORT_ERROR', message: t('coach.knowledge.importEmpty', { name: file.name }) });
        return;
      }
      const result = await importData(format, data, file.name);
      setReport(result);
      notifications.show({ color: 'teal', message: t('coach.knowledge.imported', { created: result.created, updated: result.updated, unchanged: result.unchanged }) });
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(null);
    }
  };

  const onExport = async (format: 'json' | 'xlsx') => {
    setBusy('export');
    setError(null);
    try {
      const file = await exportData(format);
      const blob = file.format === 'xlsx' ? new Blob([base64ToBytes(file.data)], { type: XLSX_MIME }) : new Blob([file.data], { type: 'application/json' });
      downloadBlob(file.fileName, blob);
      notifications.show({ color: 'teal', message: t('coach.knowledge.exported', { n: file.entries, file: file.fileName }) });
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs">
      <FileButton onChange={(f) => void onFile(f)} accept=".json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
        {(props) => (
          <Button {...props} size="xs" variant="default" leftSection={<Upload size={14} />} loading={busy === 'import'} data-testid="knowledge-import">
            {t('coach.knowledge.import')}
          </Button>
        )}
      </FileButton>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button size="xs" variant="default" leftSection={<Download size={14} />} loading={busy === 'export'} data-testid="knowledge-export">
            {t('coach.knowledge.export')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('coach.knowledge.exportHint')}</Menu.Label>
          <Menu.Item onClick={() => void onExport('json')} data-testid="knowledge-export-json">
            JSON
          </Menu.Item>
          <Menu.Item onClick={() => void onExport('xlsx')} data-testid="knowledge-export-xlsx">
            Excel (.xlsx)
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

/** The outcome of the last import or export, below the toolbar. */
export function TransferNotes({ result, onClose }: { result: TransferResult | null; onClose(): void }) {
  const { t } = useTranslation();
  const report = result?.report ?? null;
  return (
    <>
      <ErrorAlert error={result?.error ?? null} onClose={onClose} testId="knowledge-import-error" />
      {report && (
        <Alert variant="light" color={report.errors.length ? 'yellow' : 'teal'} withCloseButton onClose={onClose} data-testid="knowledge-import-report">
          <Text size="sm">{t('coach.knowledge.imported', { created: report.created, updated: report.updated, unchanged: report.unchanged })}</Text>
          {report.errors.length > 0 && (
            <>
              <Text size="sm" mt={4}>
                {t('coach.knowledge.importErrors', { n: report.errors.length })}
              </Text>
              <List size="xs">
                {report.errors.slice(0, 8).map((e) => (
                  <List.Item key={`${e.row}-${e.message}`}>{t('coach.knowledge.importRow', { row: e.row, message: e.message })}</List.Item>
                ))}
              </List>
            </>
          )}
        </Alert>
      )}
    </>
  );
}
