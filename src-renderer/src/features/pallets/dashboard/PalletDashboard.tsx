import { Center, Group, Loader, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { KpiCard } from '@renderer/components/KpiCard';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useNavStore } from '@renderer/stores/nav-store';
import { formatMoney, formatNumber } from '../format';
import { openAnalysisWithFilter, usePalletsStore, type LineFilter } from '../pallets-store';
import { BlockingRulesChart, CategoryChart, PalletValueChart, StatusChart, type Follow } from './PalletCharts';
import { usePalletDashboardStore } from './pallets-dashboard-store';

/**
 * Pallet KPIs with real charts: status mix, category mix, value and margin per pallet, the rules that
 * blocked most. Without `analysisId` it has its own selector (the Dashboard page); clicking a status,
 * category, pallet or rule opens that analysis's lines filtered by it on the pallet page.
 */
export function PalletDashboard({ analysisId }: { analysisId?: string | null }) {
  const { t, i18n } = useTranslation();
  const fixed = analysisId ?? null;
  const analyses = usePalletsStore((s) => s.analyses);
  const analysesLoaded = usePalletsStore((s) => s.analysesLoaded);
  const storeScope = usePalletDashboardStore((s) => s.scope);
  const data = usePalletDashboardStore((s) => s.data);
  const dataScope = usePalletDashboardStore((s) => s.dataScope);
  const loading = usePalletDashboardStore((s) => s.loading);
  const error = usePalletDashboardStore((s) => s.error);
  const setScope = usePalletDashboardStore((s) => s.setScope);
  const scope = fixed ?? storeScope ?? analyses[0]?.id ?? (analysesLoaded ? 'all' : null);

  useEffect(() => {
    if (!usePalletsStore.getState().analysesLoaded) void usePalletsStore.getState().loadAnalyses();
  }, []);
  useEffect(() => {
    if (scope && (scope !== usePalletDashboardStore.getState().scope || usePalletDashboardStore.getState().dataScope !== scope)) setScope(scope);
  }, [scope, setScope]);

  const follow: Follow =
    scope && scope !== 'all'
      ? (filter: LineFilter) => {
          openAnalysisWithFilter(scope, filter);
          useNavStore.getState().go('pallets');
        }
      : null;
  const shown = data && dataScope === scope ? data : null;
  const lang = i18n.language;
  const currency = scope && scope !== 'all' ? (analyses.find((a) => a.id === scope)?.currency ?? null) : null;

  return (
    <Stack gap="sm" data-testid="pallet-dashboard" data-scope={scope ?? ''}>
      {!fixed && (
        <Group justify="space-between" align="flex-end">
          <Title order={4}>{t('pallets.dashboard.title')}</Title>
          <Select
            size="xs"
            w={300}
            label={t('pallets.dashboard.analysis')}
            data={[{ value: 'all', label: t('pallets.dashboard.all') }, ...analyses.map((a) => ({ value: a.id, label: a.name }))]}
            value={scope}
            allowDeselect={false}
            onChange={(value) => value && setScope(value)}
            data-testid="pallet-dashboard-analysis"
          />
        </Group>
      )}
      {error && <ErrorAlert error={error} onRetry={() => scope && setScope(scope)} />}
      {!shown ? (
        <Center h={200}>{loading || !analysesLoaded ? <Loader /> : <Text c="dimmed">{t('pallets.dashboard.noLines')}</Text>}</Center>
      ) : (
        <>
          {!fixed && (
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" data-testid="pallet-dashboard-totals">
            {[
              ['analyses', formatNumber(shown.totals.analyses, lang)],
              ['lines', formatNumber(shown.totals.lines, lang)],
              ['retail', formatMoney(shown.totals.retail, currency, lang)],
              ['cost', formatMoney(shown.totals.cost, currency, lang)],
            ].map(([key, value]) => (
              <KpiCard key={key} label={t(`pallets.dashboard.kpi.${key}`)} value={value} testId={`pallet-kpi-${key}`} />
            ))}
          </SimpleGrid>
          )}
          {!follow && (
            <Text size="xs" c="dimmed">
              {t('pallets.dashboard.pickToFollow')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <StatusChart data={shown.statusMix} follow={follow} />
            <CategoryChart data={shown.categoryMix} follow={follow} />
            <PalletValueChart data={shown.pallets} currency={currency} follow={follow} />
            <BlockingRulesChart data={shown.topBlockingRules} follow={follow} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
