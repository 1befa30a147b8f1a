import { Badge, Group, Loader, ScrollArea, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CANONICAL_FIELDS, type CanonicalField } from '@shared/pallets/fields';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { cellText, formatMoney, formatNumber } from '../format';
import { useImportStore, type ImportPreview } from './import-store';
import { categoryLabel, issueText } from '../labels';
import { StatusBadge } from '../StatusBadge';

const IGNORE = '__ignore';

export function confidenceColor(confidence: number, mapped: boolean): string {
  if (!mapped) return 'gray';
  return confidence >= 0.8 ? 'teal' : confidence >= 0.5 ? 'yellow' : 'red';
}

/** Each source column with its detected field, confidence and an override; then sample lines scored. */
export function MappingStep() {
  const { t } = useTranslation();
  const preview = useImportStore((s) => s.preview);
  const loading = useImportStore((s) => s.previewLoading);
  const error = useImportStore((s) => s.previewError);
  const overrides = useImportStore((s) => s.overrides);
  const setField = useImportStore((s) => s.setField);
  const options = useMemo(() => [{ value: IGNORE, label: t('pallets.import.ignore') }, ...CANONICAL_FIELDS.map((f) => ({ value: f, label: t(`pallets.fields.${f}`) }))], [t]);
  if (!preview) return error ? <ErrorAlert error={error} /> : <Loader />;

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('pallets.import.mappingHint')}
        </Text>
        {loading && <Loader size="xs" data-testid="mapping-loading" />}
      </Group>
      {error && <ErrorAlert error={error} />}
      <ScrollArea.Autosize mah={340} type="auto" offsetScrollbars>
        <Table verticalSpacing={4} striped stickyHeader data-testid="mapping-table" miw={800}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>#</Table.Th>
              <Table.Th>{t('pallets.import.column')}</Table.Th>
              <Table.Th>{t('pallets.import.samples')}</Table.Th>
              <Table.Th w={230}>{t('pallets.import.field')}</Table.Th>
              <Table.Th w={130}>{t('pallets.import.confidence')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.mapping.columns.map((col) => {
              const mapped = col.field !== null;
              const samples = preview.sample
                .map((line) => cellText(line.source[col.index] ?? null))
                .filter((v) => v.trim() !== '')
                .slice(0, 3);
              return (
                <Table.Tr key={col.index} data-testid="mapping-row" data-header={col.header} data-field={col.field ?? ''}>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {col.index + 1}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {col.header || t('pallets.import.noHeader', { n: col.index + 1 })}
                    </Text>
                    {col.total && (
                      <Text size="xs" c="dimmed">
                        {t('pallets.import.totalColumn')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" lineClamp={2} maw={300}>
                      {samples.join(' · ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      data={options}
                      value={col.field ?? IGNORE}
                      allowDeselect={false}
                      searchable
                      onChange={(value) => value && void setField(col.index, value === IGNORE ? null : (value as CanonicalField))}
                      aria-label={t('pallets.import.fieldFor', { column: col.header || col.index + 1 })}
                      data-testid={`map-field-${col.index}`}
                      comboboxProps={{ withinPortal: true }}
                      styles={col.index in overrides ? { input: { fontWeight: 600 } } : undefined}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={col.reason || t(`pallets.import.source.${col.source}`)} multiline w={280} withinPortal>
                      <Badge color={confidenceColor(col.confidence, mapped)} variant="light" data-testid="mapping-confidence">
                        {mapped ? `${Math.round(col.confidence * 100)} %` : t('pallets.import.unmapped')}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      <SampleLines preview={preview} />
    </Stack>
  );
}

function SampleLines({ preview }: { preview: ImportPreview }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (preview.sample.length === 0) return <Text size="sm">{t('pallets.import.noSample')}</Text>;
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {t('pallets.import.sample', { count: preview.sample.length, total: formatNumber(preview.dataRows, lang) })}
      </Text>
      <ScrollArea.Autosize mah={240} type="auto" offsetScrollbars>
        <Table verticalSpacing={2} fz="xs" data-testid="sample-lines" miw={800}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pallets.table.row')}</Table.Th>
              <Table.Th>{t('pallets.fields.name')}</Table.Th>
              <Table.Th>{t('pallets.fields.category')}</Table.Th>
              <Table.Th>{t('pallets.fields.ean')}</Table.Th>
              <Table.Th ta="right">{t('pallets.fields.quantity')}</Table.Th>
              <Table.Th ta="right">{t('pallets.fields.price_net')}</Table.Th>
              <Table.Th ta="right">{t('pallets.fields.retail_price')}</Table.Th>
              <Table.Th>{t('pallets.fields.condition')}</Table.Th>
              <Table.Th>{t('pallets.table.status')}</Table.Th>
              <Table.Th ta="right">{t('pallets.table.score')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.sample.map((line) => (
              <Table.Tr key={line.row} data-testid="sample-line">
                <Table.Td>{line.row}</Table.Td>
                <Table.Td maw={260}>
                  <Text size="xs" lineClamp={1}>
                    {line.values.name ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>{categoryLabel(t, line.values.category)}</Table.Td>
                <Table.Td>{line.values.ean ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.values.quantity, lang)}</Table.Td>
                <Table.Td ta="right">{formatMoney(line.values.price_net, line.values.currency, lang)}</Table.Td>
                <Table.Td ta="right">{formatMoney(line.values.retail_price, line.values.currency, lang)}</Table.Td>
                <Table.Td>{t(`pallets.conditions.${line.values.condition}`)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <StatusBadge status={line.status} size="xs" />
                    {line.issues.length > 0 && (
                      <Tooltip label={line.issues.map((i) => issueText(t, i)).join(' · ')} multiline w={320} withinPortal>
                        <Badge size="xs" variant="outline" color="orange">
                          {line.issues.length}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{Math.round(line.score)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
