import { Button, Group, Loader, Progress, SegmentedControl, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ArrowLeft, Download } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { SuggestionsPanel } from '../assist/SuggestionsPanel';
import { PalletDashboard } from '../dashboard/PalletDashboard';
import { usePalletsStore, type AnalysisView as View } from '../pallets-store';
import { LineDrawer } from '../lines/LineDrawer';
import { LineFilters } from '../lines/LineFilters';
import { LinesTable } from '../lines/LinesTable';
import { PalletValuationTable } from './PalletValuationTable';
import { SummaryCards } from './SummaryCards';
import { AssumptionsForm } from './AssumptionsForm';

/** One analysis: valuation, the lines (filtered, sorted, virtualised) or its charts, export, line detail. */
export function AnalysisView() {
  const { t } = useTranslation();
  const openId = usePalletsStore((s) => s.openId);
  const info = usePalletsStore((s) => s.analysis);
  const loading = usePalletsStore((s) => s.analysisLoading);
  const error = usePalletsStore((s) => s.analysisError);
  const view = usePalletsStore((s) => s.view);
  const setView = usePalletsStore((s) => s.setView);
  const close = usePalletsStore((s) => s.closeAnalysis);
  const reopen = usePalletsStore((s) => s.openAnalysis);
  const exporting = usePalletsStore((s) => s.exporting);
  const exportError = usePalletsStore((s) => s.exportError);
  const exportOpen = usePalletsStore((s) => s.exportOpen);
  if (!openId) return null;

  const onExport = async () => {
    const fileName = await exportOpen();
    if (fileName) notifications.show({ color: 'teal', message: t('pallets.analysis.exported', { file: fileName }) });
  };
  const analysis = info?.analysis;

  return (
    <Stack gap="sm" data-testid="analysis-view" data-id={openId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Tooltip label={t('pallets.analysis.back')}>
            <Button variant="subtle" px={8} onClick={close} aria-label={t('pallets.analysis.back')} data-testid="analysis-back">
              <ArrowLeft size={18} />
            </Button>
          </Tooltip>
          <div>
            <Title order={3} data-testid="analysis-name" lineClamp={1}>
              {analysis?.name ?? t('pallets.loading')}
            </Title>
            {analysis && (
              <Text size="xs" c="dimmed">
                {[analysis.supplier, analysis.sourceFile, analysis.sheetName].filter(Boolean).join(' · ')}
              </Text>
            )}
          </div>
          {loading && <Loader size="xs" mt={8} />}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(value) => setView(value as View)}
            data={[
              { value: 'lines', label: t('pallets.analysis.lines') },
              { value: 'pallets', label: t('pallets.analysis.pallets') },
              { value: 'charts', label: t('pallets.analysis.charts') },
              { value: 'suggestions', label: t('pallets.assist.view') },
            ]}
            data-testid="analysis-view-switch"
          />
          <Button size="xs" variant="default" leftSection={<Download size={14} />} onClick={() => void onExport()} loading={exporting !== null} data-testid="analysis-export">
            {t('pallets.analysis.export')}
          </Button>
        </Group>
      </Group>
      {exporting && (
        <Stack gap={2} data-testid="export-progress">
          <Text size="xs" c="dimmed">
            {t(exporting.phase === 'writing' ? 'pallets.analysis.exportWriting' : 'pallets.analysis.exportDownloading')}
          </Text>
          <Progress size="sm" value={exporting.total ? (exporting.done / exporting.total) * 100 : 100} animated striped={!exporting.total} />
        </Stack>
      )}
      {exportError && <ErrorAlert error={exportError} testId="export-error" />}
      {error && <ErrorAlert error={error} onRetry={() => void reopen(openId)} />}
      {info && <SummaryCards info={info} />}
      {view === 'lines' && (
        <>
          <LineFilters />
          <LinesTable />
        </>
      )}
      {view === 'pallets' && info && <AssumptionsForm key={info.analysis.id} info={info} />}
      {view === 'pallets' && info && <PalletValuationTable info={info} />}
      {view === 'charts' && <PalletDashboard analysisId={openId} />}
      {view === 'suggestions' && <SuggestionsPanel analysisId={openId} />}
      <LineDrawer />
    </Stack>
  );
}
