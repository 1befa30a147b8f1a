import { Button, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PALLET_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatNumber } from '../format';
import { useImportStore } from './import-store';

/** Name, supplier, pallet price and "remember this mapping"; Enter starts the import. */
export function DetailsStep() {
  const { t, i18n } = useTranslation();
  const details = useImportStore((s) => s.details);
  const preview = useImportStore((s) => s.preview);
  const open = useImportStore((s) => s.open);
  const runError = useImportStore((s) => s.runError);
  const setDetails = useImportStore((s) => s.setDetails);
  const goTo = useImportStore((s) => s.goTo);
  const run = useImportStore((s) => s.run);
  const replacing = open?.duplicates.find((d) => d.id === details.replaceId) ?? null;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (details.name.trim()) void run();
      }}
    >
      <Stack>
        {runError && <ErrorAlert error={runError.code === 'CANCELLED' ? { ...runError, message: t('pallets.import.cancelled') } : runError} testId="import-run-error" />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('pallets.import.name')}
            value={details.name}
            onChange={(e) => setDetails({ name: e.currentTarget.value })}
            maxLength={PALLET_LIMITS.analysisNameChars}
            required
            data-autofocus
            data-testid="import-name"
          />
          <TextInput
            label={t('pallets.import.supplier')}
            description={t('pallets.import.supplierHint')}
            value={details.supplier}
            onChange={(e) => setDetails({ supplier: e.currentTarget.value })}
            maxLength={PALLET_LIMITS.supplierChars}
            data-testid="import-supplier"
          />
          <NumberInput
            label={t('pallets.import.palletPrice')}
            description={t('pallets.import.palletPriceHint')}
            min={0}
            max={PALLET_LIMITS.palletPrice}
            decimalScale={2}
            thousandSeparator=" "
            value={details.palletPrice ?? ''}
            onChange={(value) => setDetails({ palletPrice: typeof value === 'number' && Number.isFinite(value) ? value : null })}
            data-testid="import-pallet-price"
          />
          <Checkbox
            mt="xl"
            label={t('pallets.import.remember')}
            description={t('pallets.import.rememberHint')}
            checked={details.rememberMapping}
            onChange={(e) => setDetails({ rememberMapping: e.currentTarget.checked })}
            data-testid="import-remember"
          />
        </SimpleGrid>
        {preview && (
          <Text size="sm" c="dimmed">
            {t('pallets.import.summary', { rows: formatNumber(preview.dataRows, i18n.language), sheet: preview.sheet, header: preview.headerRowNumber })}
            {replacing ? ` ${t('pallets.import.willReplace', { name: replacing.name })}` : ''}
          </Text>
        )}
        <Group justify="space-between">
          <Button variant="default" onClick={() => goTo('mapping')}>
            {t('pallets.import.back')}
          </Button>
          <Button type="submit" disabled={!details.name.trim() || !preview} data-testid="import-run">
            {t('pallets.import.run')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
