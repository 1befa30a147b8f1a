import { Group, Paper, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatNumber, formatPercent, formatRange, moneyRangeParts, RANGE_SEPARATOR } from '../format';
import { MIN_VALUED_SHARE } from '@shared/pallets/valuation';
import { StatusCounts } from '../StatusBadge';
import { usePalletsStore, type AnalysisInfo } from '../pallets-store';

/** A range whose ends never break inside: a narrow card wraps it after the separator only. */
function RangeValue({ parts }: { parts: string[] }) {
  return parts.map((part, i) => (
    <span key={i}>
      {i > 0 && RANGE_SEPARATOR}
      <span style={{ whiteSpace: 'nowrap' }} data-testid="range-part">
        {part}
      </span>
    </span>
  ));
}

function Card({ label, value, hint, hint2, testId, children }: { label: string; value: ReactNode; hint?: string; hint2?: string; testId: string; children?: ReactNode }) {
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="lg" lh={1.3} data-testid="summary-value">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
      {hint2 && (
        <Text size="xs" c="dimmed">
          {hint2}
        </Text>
      )}
      {children}
    </Paper>
  );
}

/** Valuation of the whole analysis: retail, cost, expected resale, margin and ROI (ranges). */
export function SummaryCards({ info }: { info: AnalysisInfo }) {
  const { t, i18n } = useTranslation();
  const setFilter = usePalletsStore((s) => s.setFilter);
  const lang = i18n.language;
  const v = info.valuation;
  const money = (n: number) => formatMoney(n, v.currency, lang);
  const pct = (n: number) => formatPercent(n, lang);
  const target = v.maxBid?.target ?? null;
  // Unknown is not zero: with too few units valued, margin, ROI and max bid say so instead of a figure.
  const tooFew = v.maxBid === null && v.units > 0 ? t('pallets.summary.tooFewValued', { valued: formatNumber(v.unitsValued, lang), units: formatNumber(v.units, lang), share: pct(MIN_VALUED_SHARE) }) : undefined;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs" data-testid="summary-cards">
      <Card label={t('pallets.summary.lines')} value={formatNumber(info.analysis.lineCount, lang)} testId="summary-lines">
        <Group gap={4} mt={4}>
          <StatusCounts statuses={info.analysis.statuses} onPick={(status) => setFilter({ status: [status] })} />
        </Group>
      </Card>
      <Card
        label={t('pallets.summary.retail')}
        value={v.linesValued === 0 ? t('pallets.summary.unknown') : money(v.totalRetail)}
        hint={v.linesWithoutRetail > 0 ? t('pallets.summary.withoutRetail', { count: formatNumber(v.linesWithoutRetail, lang) }) : t('pallets.summary.units', { units: formatNumber(v.units, lang) })}
        hint2={v.linesWithoutRetail > 0 ? t('pallets.summary.valued', { valued: formatNumber(v.linesValued, lang), lines: formatNumber(v.lines, lang) }) : undefined}
        testId="summary-retail"
      />
      <Card label={t('pallets.summary.cost')} value={v.cost === null ? '—' : money(v.cost)} hint={t(`pallets.costSource.${v.costSource}`)} testId="summary-cost" />
      <Card
        label={t('pallets.summary.resale')}
        value={<RangeValue parts={moneyRangeParts(v.resale, v.currency, lang)} />}
        hint={v.blockedLines > 0 ? t('pallets.summary.blockedLines', { count: formatNumber(v.blockedLines, lang) }) : undefined}
        testId="summary-resale"
      />
      <Card
        label={t('pallets.summary.margin')}
        value={v.margin === null && tooFew ? t('pallets.summary.unknown') : <RangeValue parts={moneyRangeParts(v.margin, v.currency, lang)} />}
        hint={tooFew ?? `${t('pallets.summary.marginPct')}: ${formatRange(v.marginPct, pct)}`}
        hint2={tooFew ? undefined : `${t('pallets.summary.roi')}: ${formatRange(v.roi, pct)}`}
        testId="summary-margin"
      />
      <Card
        label={t('pallets.summary.maxBid')}
        value={v.maxBid === null ? t('pallets.summary.unknown') : <RangeValue parts={moneyRangeParts(v.maxBid, v.currency, lang)} />}
        hint={target ? t('pallets.summary.maxBidFor', { kind: t(target.kind === 'roi' ? 'pallets.summary.kindRoi' : 'pallets.summary.kindMargin'), value: pct(target.value) }) : tooFew}
        hint2={v.extraCosts > 0 ? t('pallets.summary.extraCosts', { amount: money(v.extraCosts) }) : undefined}
        testId="summary-maxbid"
      />
      {v.mixedCurrencies.length > 0 && (
        <Text size="xs" c="yellow.8" style={{ gridColumn: '1 / -1' }}>
          {t('pallets.summary.mixedCurrencies', { list: v.mixedCurrencies.join(', ') })}
        </Text>
      )}
    </SimpleGrid>
  );
}
