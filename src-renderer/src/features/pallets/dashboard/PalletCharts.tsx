import { BarChart, DonutChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import type { PalletDashboard } from '@shared/contract/pallets';
import type { LineStatus } from '@shared/pallets/fields';
import { formatMoney, formatNumber, STATUS_CHART_COLOR, STATUS_COLOR } from '../format';
import { categoryLabel } from '../labels';
import type { LineFilter } from '../pallets-store';
import { ChartFrame } from '@renderer/components/ChartFrame';
import { PalletTooltip, type PalletBar } from './PalletTooltip';

/** Follows a chart item into the analysis table; null when the dashboard shows all analyses together. */
export type Follow = ((filter: LineFilter) => void) | null;

const cut = (text: string, max = 28) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function StatusChart({ data, follow }: { data: PalletDashboard['statusMix']; follow: Follow }) {
  const { t, i18n } = useTranslation();
  const cells = data.filter((d) => d.lines > 0).map((d) => ({ name: t(`pallets.status.${d.status}`), value: d.lines, color: STATUS_CHART_COLOR[d.status], status: d.status }));
  const open = (status: LineStatus) => follow?.({ status: [status] });
  return (
    <ChartFrame
      title={t('pallets.dashboard.statusMix')}
      empty={cells.length === 0}
      emptyText={t('pallets.dashboard.noLines')}
      testId="pallet-chart-status"
      links={cells.map((c) => ({ key: c.status, label: c.name, count: formatNumber(c.value, i18n.language), color: STATUS_COLOR[c.status], onClick: follow ? () => open(c.status) : undefined }))}
    >
      <DonutChart
        data={cells}
        h={220}
        size={180}
        thickness={28}
        mx="auto"
        withTooltip
        tooltipDataSource="segment"
        chartLabel={formatNumber(cells.reduce((s, c) => s + c.value, 0), i18n.language)}
        pieProps={follow ? { onClick: (_: unknown, index: number) => cells[index] && open(cells[index].status), style: { cursor: 'pointer' } } : undefined}
      />
    </ChartFrame>
  );
}

export function CategoryChart({ data, follow }: { data: PalletDashboard['categoryMix']; follow: Follow }) {
  const { t, i18n } = useTranslation();
  const rows = data.slice(0, 12).map((d) => ({ key: d.category, category: cut(categoryLabel(t, d.category)), lines: d.lines }));
  return (
    <ChartFrame
      title={t('pallets.dashboard.categoryMix')}
      empty={rows.length === 0}
      emptyText={t('pallets.dashboard.noLines')}
      testId="pallet-chart-categories"
      links={rows.map((r) => ({ key: r.key, label: r.category, count: formatNumber(r.lines, i18n.language), color: 'indigo', onClick: follow ? () => follow({ category: r.key }) : undefined }))}
    >
      <BarChart
        h={Math.max(180, rows.length * 26 + 40)}
        data={rows}
        dataKey="category"
        orientation="vertical"
        maxBarWidth={26}
        yAxisProps={{ width: 130 }}
        xAxisProps={{ allowDecimals: false }}
        withBarValueLabel
        series={[{ name: 'lines', label: t('pallets.dashboard.lines'), color: 'indigo.6' }]}
        barProps={follow ? { onClick: (_, index) => rows[index] && follow({ category: rows[index].key }), style: { cursor: 'pointer' } } : undefined}
      />
    </ChartFrame>
  );
}

export function PalletValueChart({ data, currency, follow }: { data: PalletDashboard['pallets']; currency: string | null; follow: Follow }) {
  const { t, i18n } = useTranslation();
  const rows: PalletBar[] = data.slice(0, 20).map((p) => ({ pallet: cut(p.palletId, 18), key: p.palletId, retail: p.retail, cost: p.cost, resaleLow: p.resaleLow, resaleHigh: p.resaleHigh, marginLow: p.marginLow, marginHigh: p.marginHigh, roiLow: p.roiLow, roiHigh: p.roiHigh }));
  const money = (v: number) => formatMoney(v, currency, i18n.language);
  return (
    <ChartFrame
      title={t('pallets.dashboard.perPallet')}
      empty={rows.length === 0}
      emptyText={t('pallets.dashboard.noPallets')}
      testId="pallet-chart-pallets"
      links={rows.map((r) => ({ key: r.key, label: r.pallet, count: money(r.retail), color: 'blue', onClick: follow ? () => follow({ palletId: r.key }) : undefined }))}
    >
      <BarChart
        h={260}
        data={rows}
        dataKey="pallet"
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 30 }}
        valueFormatter={money}
        tooltipProps={{
          content: ({ payload }) => {
            // The hovered bar group's row, found by identity (recharts hands it back untyped).
            const bar = rows.find((r) => r === payload?.[0]?.payload);
            return bar ? <PalletTooltip bar={bar} currency={currency} /> : null;
          },
        }}
        yAxisProps={{ width: 80, tickFormatter: (v: number) => formatNumber(v, i18n.language) }}
        series={[
          { name: 'retail', label: t('pallets.dashboard.retail'), color: 'blue.6' },
          { name: 'cost', label: t('pallets.dashboard.cost'), color: 'gray.6' },
          { name: 'marginLow', label: t('pallets.dashboard.marginLow'), color: 'teal.4' },
          { name: 'marginHigh', label: t('pallets.dashboard.marginHigh'), color: 'teal.7' },
        ]}
        barProps={follow ? { onClick: (_, index) => rows[index] && follow({ palletId: rows[index].key }), style: { cursor: 'pointer' } } : undefined}
      />
    </ChartFrame>
  );
}

export function BlockingRulesChart({ data, follow }: { data: PalletDashboard['topBlockingRules']; follow: Follow }) {
  const { t, i18n } = useTranslation();
  const rows = data.slice(0, 10).map((r) => ({ key: r.ruleId, rule: cut(r.name, 32), lines: r.lines }));
  return (
    <ChartFrame
      title={t('pallets.dashboard.blockingRules')}
      empty={rows.length === 0}
      emptyText={t('pallets.dashboard.noBlocking')}
      testId="pallet-chart-rules"
      links={rows.map((r) => ({ key: r.key, label: r.rule, count: formatNumber(r.lines, i18n.language), color: 'red', onClick: follow ? () => follow({ ruleId: r.key }) : undefined }))}
    >
      <BarChart
        h={Math.max(160, rows.length * 30 + 40)}
        data={rows}
        dataKey="rule"
        orientation="vertical"
        maxBarWidth={26}
        yAxisProps={{ width: 170 }}
        xAxisProps={{ allowDecimals: false }}
        withBarValueLabel
        series={[{ name: 'lines', label: t('pallets.dashboard.blockedLines'), color: 'red.6' }]}
        barProps={follow ? { onClick: (_, index) => rows[index] && follow({ ruleId: rows[index].key }), style: { cursor: 'pointer' } } : undefined}
      />
    </ChartFrame>
  );
}
