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
}

/** ROI as the core computes it for a pallet: (resale − cost) / cost, none without a cost. */
export function palletRoi(bar: Pick<PalletBar, 'cost' | 'resaleLow' | 'resaleHigh'>): { low: number; high: number } | null {
  if (bar.cost === null || !(bar.cost > 0)) return null;
  return { low: (bar.resaleLow - bar.cost) / bar.cost, high: (bar.resaleHigh - bar.cost) / bar.cost };
}

/** The per-pallet chart's tooltip: retail and cost, then expected resale, margin and ROI as ranges. */
export function PalletTooltip({ bar, currency }: { bar: PalletBar; currency: string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rows: [string, string, string][] = [
    ['retail', t('pallets.dashboard.retail'), formatMoney(bar.retail, currency, lang)],
    ['cost', t('pallets.dashboard.cost'), formatMoney(bar.cost, currency, lang)],
    ['resale', t('pallets.dashboard.resale'), formatMoneyRange({ low: bar.resaleLow, high: bar.resaleHigh }, currency, lang)],
    ['margin', t('pallets.dashboard.margin'), formatMoneyRange(bar.marginLow === null || bar.marginHigh === null ? null : { low: bar.marginLow, high: bar.marginHigh }, currency, lang)],
    ['roi', t('pallets.dashboard.roi'), formatRange(palletRoi(bar), (n) => formatPercent(n, lang))],
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
