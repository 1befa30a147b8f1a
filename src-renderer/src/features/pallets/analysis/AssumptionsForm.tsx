import { Button, Group, NumberInput, Paper, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { usePalletsStore, type AnalysisInfo } from '../pallets-store';

const percent = (share: number) => Math.round(share * 1000) / 10;

/**
 * The assumptions a user changes after import: the target the max bid is for, extra costs, waste. The
 * core stores them with the analysis and re-values it at once; the cards above show the new figures.
 */
export function AssumptionsForm({ info }: { info: AnalysisInfo }) {
  const { t } = useTranslation();
  const setAssumptions = usePalletsStore((s) => s.setAssumptions);
  const v = info.valuation;
  const [kind, setKind] = useState<'roi' | 'margin'>(v.maxBid?.target.kind ?? 'roi');
  const [target, setTarget] = useState<number>(percent(v.maxBid?.target.value ?? 0.3));
  const [extra, setExtra] = useState<number>(v.extraCosts);
  const [waste, setWaste] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      await setAssumptions(info.analysis.id, { target: { kind, value: target / 100 }, extraCosts: extra, ...(waste === null ? {} : { wasteFactor: waste / 100 }) });
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="xs" data-testid="assumptions">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        {t('pallets.assumptions.title')}
      </Text>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label={t('pallets.assumptions.target')}
          value={kind}
          onChange={(value) => setKind(value === 'margin' ? 'margin' : 'roi')}
          data={[
            { value: 'roi', label: t('pallets.summary.kindRoi') },
            { value: 'margin', label: t('pallets.summary.kindMargin') },
          ]}
        />
        <NumberInput size="xs" w={110} label={t('pallets.assumptions.targetValue')} min={kind === 'margin' ? 0 : -99} max={kind === 'margin' ? 99 : 10_000} value={target} onChange={(x) => setTarget(typeof x === 'number' ? x : 0)} data-testid="assumption-target" />
        <NumberInput size="xs" w={170} label={t('pallets.assumptions.extraCosts')} min={0} value={extra} onChange={(x) => setExtra(typeof x === 'number' ? x : 0)} data-testid="assumption-extra" />
        <NumberInput size="xs" w={150} label={t('pallets.assumptions.waste')} min={0} max={100} value={waste ?? ''} onChange={(x) => setWaste(typeof x === 'number' ? x : null)} data-testid="assumption-waste" />
        <Button size="xs" loading={busy} onClick={() => void apply()} data-testid="assumptions-apply">
          {t('pallets.assumptions.apply')}
        </Button>
      </Group>
      {error && <ErrorAlert error={error} />}
    </Paper>
  );
}
