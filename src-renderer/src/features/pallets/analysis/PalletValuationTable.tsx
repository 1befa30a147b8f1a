import { ScrollArea, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatMoneyRange, formatNumber, formatPercent, formatRange } from '../format';
import { usePalletsStore, type AnalysisInfo } from '../pallets-store';

type PalletValuation = AnalysisInfo['valuation']['pallets'][number];

/**
 * The valuation of each pallet as the core computed it: retail, cost, expected resale, margin and ROI
 * as low–high ranges. A row opens that pallet's lines.
 */
export function PalletValuationTable({ info }: { info: AnalysisInfo }) {
  const { t, i18n } = useTranslation();
  const openAnalysis = usePalletsStore((s) => s.openAnalysis);
  const lang = i18n.language;
  const pallets = info.valuation.pallets;
  const omitted = info.omitted?.valuationPallets ?? 0;
  const pct = (n: number) => formatPercent(n, lang);
  const open = (p: PalletValuation) => void openAnalysis(info.analysis.id, { palletId: p.palletId ?? '' });

  if (pallets.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="pallet-valuation-empty">
        {t('pallets.dashboard.noLines')}
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah={560} type="auto" offsetScrollbars>
      <Table verticalSpacing={6} striped highlightOnHover stickyHeader fz="sm" miw={960} data-testid="pallet-valuation">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pallets.valuation.pallet')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.lines')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.retail')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.cost')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.resale')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.margin')}</Table.Th>
            <Table.Th ta="right">{t('pallets.valuation.roi')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pallets.map((p) => (
            <Table.Tr
              key={p.palletId ?? ''}
              data-testid="pallet-valuation-row"
              data-pallet={p.palletId ?? ''}
              tabIndex={0}
              style={{ cursor: 'pointer' }}
              onClick={() => open(p)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') open(p);
              }}
              aria-label={t('pallets.valuation.openLines', { pallet: p.palletId ?? t('pallets.valuation.noPallet') })}
            >
              <Table.Td fw={600}>{p.palletId ?? t('pallets.valuation.noPallet')}</Table.Td>
              <Table.Td ta="right">{formatNumber(p.lines, lang)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(p.totalRetail, p.currency, lang)}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} title={t(`pallets.costSource.${p.costSource}`)}>
                {p.cost === null ? '—' : formatMoney(p.cost, p.currency, lang)}
              </Table.Td>
              <Table.Td ta="right" data-col="resale">
                {formatMoneyRange(p.resale, p.currency, lang)}
              </Table.Td>
              <Table.Td ta="right" data-col="margin" c={p.margin && p.margin.high < 0 ? 'red' : undefined}>
                {formatMoneyRange(p.margin, p.currency, lang)}
              </Table.Td>
              <Table.Td ta="right" data-col="roi" c={p.roi && p.roi.high < 0 ? 'red' : undefined}>
                {formatRange(p.roi, pct)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {omitted > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('pallets.valuation.omitted', { count: omitted })}
        </Text>
      )}
    </ScrollArea.Autosize>
  );
}
