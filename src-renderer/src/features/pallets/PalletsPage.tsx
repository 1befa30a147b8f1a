import { Button, Group, Tabs, Title } from '@mantine/core';
import { FileUp, ListChecks, Table2 } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AnalysisView } from './analysis/AnalysisView';
import { ImportWizard } from './import/ImportWizard';
import { useImportStore } from './import/import-store';
import { AnalysesList } from './list/AnalysesList';
import { RulesTab } from './rules/RulesTab';
import { usePalletsStore, type PalletsTab } from './pallets-store';

/** Pallet analysis: the analyses (or the one that is open), the rules, and the import wizard. */
export function PalletsPage() {
  const { t } = useTranslation();
  const tab = usePalletsStore((s) => s.tab);
  const setTab = usePalletsStore((s) => s.setTab);
  const openId = usePalletsStore((s) => s.openId);
  const startImport = useImportStore((s) => s.start);

  useEffect(() => {
    const s = usePalletsStore.getState();
    if (!s.analysesLoaded) void s.loadAnalyses();
  }, []);

  return (
    <>
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Title order={2} data-testid="page-title">
          {t('pallets.title')}
        </Title>
        <Button leftSection={<FileUp size={16} />} onClick={startImport} data-testid="pallets-import">
          {t('pallets.import.button')}
        </Button>
      </Group>
      <Tabs value={tab} onChange={(value) => value && setTab(value as PalletsTab)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="analyses" leftSection={<Table2 size={16} />} data-testid="pallets-tab-analyses">
            {t('pallets.tabs.analyses')}
          </Tabs.Tab>
          <Tabs.Tab value="rules" leftSection={<ListChecks size={16} />} data-testid="pallets-tab-rules">
            {t('pallets.tabs.rules')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="analyses">{openId ? <AnalysisView /> : <AnalysesList />}</Tabs.Panel>
        <Tabs.Panel value="rules">
          <RulesTab />
        </Tabs.Panel>
      </Tabs>
      <ImportWizard />
    </>
  );
}
