import { Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatMoneyRange, formatPercent, formatRange } from '../format';

export interface PalletBar {
  pallet: string;
  key: string;
  retail: number;
  /** Null when the pallet's cost is unknown (no price of its own, no line prices): so are the margins. */
  cost: number | null;
  resaleLow: number;
  resaleHigh: number;
  marginLow: number | null;
  marginHigh: number | null;
  roiLow: number | null;
  roiHigh: number | null;
}

const range = (low: number | null, high: number | null) => (low === null || high === null ? null : { low, high });

/** The per-pallet chart's tooltip: retail and cost, then expected resale, margin and ROI as ranges. */
export function PalletTooltip({ bar, currency }: { bar: PalletBar; currency: string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rows: [string, string, string][] = [
    ['retail', t('pallets.dashboard.retail'), formatMoney(bar.retail, currency, lang)],
    ['cost', t('pallets.dashboard.cost'), formatMoney(bar.cost, currency, lang)],
    ['resale', t('pallets.dashboard.resale'), formatMoneyRange({ low: bar.resaleLow, high: bar.resaleHigh }, currency, lang)],
    ['margin', t('pallets.dashboard.margin'), formatMoneyRange(range(bar.marginLow, bar.marginHigh), currency, lang)],
    ['roi', t('pallets.dashboard.roi'), formatRange(range(bar.roiLow, bar.roiHigh), (n) => formatPercent(n, lang))],
  ];
  return (
    <Paper withBorder shadow="md" p="xs" data-testid="pallet-tooltip" data-pallet={bar.key}>
      <Text fw={600} size="sm" mb={4}>
        {bar.key || '—'}
      </Text>
      <Table fz="xs" verticalSpacing={1} horizontalSpacing={6} withRowBorders={false}>
        <Table.Tbody>
          {rows.map(([key, label, value]) => (
            <Table.Tr key={key} data-row={key}>
              <Table.Td c="dimmed">{label}</Table.Td>
              <Table.Td ta="right" fw={500} style={{ whiteSpace: 'nowrap' }}>
                {value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
