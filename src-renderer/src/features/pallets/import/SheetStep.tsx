import { Alert, Badge, Button, Group, Loader, NumberInput, Paper, Radio, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { Copy, FileSpreadsheet } from 'lucide-react';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PALLET_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatBytes, formatDate, formatNumber } from '../format';
import { useImportStore } from './import-store';

/** The opened file: re-import choice, the sheet, and the header row (detected, changeable). */
export function SheetStep() {
  const { t, i18n } = useTranslation();
  const open = useImportStore((s) => s.open);
  const sheet = useImportStore((s) => s.sheet);
  const headerRow = useImportStore((s) => s.headerRow);
  const preview = useImportStore((s) => s.preview);
  const loading = useImportStore((s) => s.previewLoading);
  const error = useImportStore((s) => s.previewError);
  const details = useImportStore((s) => s.details);
  const setSheet = useImportStore((s) => s.setSheet);
  const setHeaderRow = useImportStore((s) => s.setHeaderRow);
  const setDetails = useImportStore((s) => s.setDetails);
  if (!open) return null;
  const lang = i18n.language;
  const sheets = open.file.sheets.map((s) => ({
    value: s.name,
    label: t('pallets.import.sheetOption', { name: s.name, rows: formatNumber(s.rows, lang), columns: formatNumber(s.columns, lang) }) + (s.hidden ? ` (${t('pallets.import.hidden')})` : ''),
  }));
  const duplicates = open.duplicates;

  return (
    <Stack>
      <Paper withBorder p="sm">
        <Group gap="sm" wrap="nowrap">
          <FileSpreadsheet size={28} strokeWidth={1.5} />
          <div>
            <Text fw={600} data-testid="import-file-name">
              {open.file.fileName}
            </Text>
            <Text size="xs" c="dimmed">
              {open.file.format.toUpperCase()} · {formatBytes(open.file.fileSize, lang)} · {t('pallets.import.sheets', { count: open.file.sheets.length })}
            </Text>
          </div>
        </Group>
      </Paper>

      {duplicates.length > 0 && (
        <Alert color="yellow" variant="light" icon={<Copy size={18} />} title={t('pallets.import.duplicateTitle')} data-testid="import-duplicates">
          <Stack gap="xs">
            <Text size="sm">
              {t('pallets.import.duplicateText', { names: duplicates.map((d) => `„${d.name}” (${formatDate(d.createdAt, lang)})`).join(', ') })}
            </Text>
            <Radio.Group value={details.replaceId ?? 'new'} onChange={(value) => setDetails({ replaceId: value === 'new' ? null : value })}>
              <Stack gap={6}>
                <Radio value="new" label={t('pallets.import.duplicateNew')} data-testid="duplicate-new" />
                {duplicates.map((d) => (
                  <Radio key={d.id} value={d.id} label={t('pallets.import.duplicateReplace', { name: d.name })} data-testid="duplicate-replace" />
                ))}
              </Stack>
            </Radio.Group>
          </Stack>
        </Alert>
      )}
      {open.rememberedMappingFor && (
        <Alert variant="light" color="indigo" data-testid="import-remembered">
          {t('pallets.import.remembered', { name: open.rememberedMappingFor })}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('pallets.import.sheet')}
          data={sheets}
          value={sheet}
          allowDeselect={false}
          onChange={(value) => value && void setSheet(value)}
          data-testid="import-sheet"
          comboboxProps={{ withinPortal: true }}
        />
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <HeaderRowInput chosen={headerRow !== null} detected={preview?.headerRowNumber ?? null} confidence={preview?.header.confidence ?? null} onCommit={(row) => void setHeaderRow(row)} />
          {headerRow !== null && (
            <Button variant="subtle" onClick={() => void setHeaderRow(null)} data-testid="import-header-auto">
              {t('pallets.import.headerAuto')}
            </Button>
          )}
        </Group>
      </SimpleGrid>

      {error && <ErrorAlert error={error} testId="import-preview-error" />}
      {loading && !preview && (
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm">{t('pallets.import.previewing')}</Text>
        </Group>
      )}
      {preview && (
        <Stack gap={6} data-testid="import-header-preview" opacity={loading ? 0.6 : 1}>
          <Text size="sm" c="dimmed">
            {preview.header.reason} · {t('pallets.import.dataRows', { count: preview.dataRows })}
          </Text>
          <Group gap={6}>
            {preview.header.headers.map((h, i) => (
              <Badge key={`${i}-${h}`} variant="outline" color="gray" tt="none">
                {h || t('pallets.import.noHeader', { n: i + 1 })}
              </Badge>
            ))}
          </Group>
          {preview.warnings.map((w) => (
            <Text key={w} size="sm" c="yellow.8">
              {w}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The header row as the spreadsheet numbers it (1-based); typing settles for a moment before a new preview. */
function HeaderRowInput({ chosen, detected, confidence, onCommit }: { chosen: boolean; detected: number | null; confidence: number | null; onCommit(row: number): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number | string>(detected ?? '');
  useEffect(() => setValue(detected ?? ''), [detected]);
  const commit = useDebouncedCallback((n: number) => {
    if (n !== detected) onCommit(n - 1);
  }, 450);
  return (
    <NumberInput
      label={t('pallets.import.headerRow')}
      description={chosen ? t('pallets.import.headerChosen') : detected !== null && confidence !== null ? t('pallets.import.headerDetected', { row: detected, confidence: Math.round(confidence * 100) }) : undefined}
      min={1}
      max={PALLET_LIMITS.headerRow + 1}
      allowDecimal={false}
      value={value}
      onChange={(next) => {
        setValue(next);
        const n = typeof next === 'number' ? next : Number(next);
        if (Number.isInteger(n) && n >= 1) commit(n);
      }}
      style={{ flex: 1 }}
      data-testid="import-header-row"
    />
  );
}
