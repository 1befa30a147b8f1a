import { Button, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Plus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeEntry } from '@shared/coaching/types';
import { useKnowledgeStore } from './knowledge-store';
import { ImportExport, TransferNotes, type TransferResult } from './ImportExport';
import { KnowledgeFilters } from './KnowledgeFilters';
import { KnowledgeModal } from './KnowledgeModal';
import { KnowledgeSearch } from './KnowledgeSearch';
import { KnowledgeTable } from './KnowledgeTable';

/** The knowledge base: filters, search, the list, create/edit, import/export. */
export function KnowledgeTab() {
  const { t } = useTranslation();
  const load = useKnowledgeStore((s) => s.load);
  const [editing, setEditing] = useState<KnowledgeEntry | null>(null);
  const [opened, modal] = useDisclosure(false);
  const [transfer, setTransfer] = useState<TransferResult | null>(null);
  useEffect(() => void load(), [load]);

  const open = (entry: KnowledgeEntry | null) => {
    setEditing(entry);
    modal.open();
  };

  return (
    <Stack gap="sm" data-testid="knowledge-tab">
      <Group justify="space-between" align="flex-end">
        <KnowledgeFilters />
        <Group gap="xs">
          <ImportExport onResult={setTransfer} />
          <Button size="xs" leftSection={<Plus size={14} />} onClick={() => open(null)} data-testid="knowledge-new">
            {t('coach.knowledge.newEntry')}
          </Button>
        </Group>
      </Group>
      <TransferNotes result={transfer} onClose={() => setTransfer(null)} />
      <KnowledgeSearch onOpen={open} />
      <KnowledgeTable onEdit={open} />
      <KnowledgeModal entry={editing} opened={opened} onClose={modal.close} />
    </Stack>
  );
}
