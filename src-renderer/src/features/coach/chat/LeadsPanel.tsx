import { ActionIcon, Button, Divider, Group, Loader, NavLink, Paper, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks';
import { Pencil, Search, UserPlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@shared/coaching/types';
import { RecordSyncState } from '@renderer/features/sync/RecordSyncState';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useCoachStore } from '../coach-store';
import { LeadModal } from './LeadModal';
import { SessionsList } from './SessionsList';

/** Leads (search, create, edit) and the selected lead's sessions. */
export function LeadsPanel() {
  const { t } = useTranslation();
  const leads = useCoachStore((s) => s.leads);
  const leadId = useCoachStore((s) => s.leadId);
  const leadQuery = useCoachStore((s) => s.leadQuery);
  const loading = useCoachStore((s) => s.leadsLoading);
  const error = useCoachStore((s) => s.leadsError);
  const loadLeads = useCoachStore((s) => s.loadLeads);
  const selectLead = useCoachStore((s) => s.selectLead);
  const [query, setQuery] = useState(leadQuery);
  const [editing, setEditing] = useState<Lead | null>(null);
  const [opened, modal] = useDisclosure(false);
  const search = useDebouncedCallback((q: string) => void loadLeads(q), 200);

  useEffect(() => {
    void loadLeads();
    void useCoachStore.getState().restore();
  }, [loadLeads]);

  const openModal = (lead: Lead | null) => {
    setEditing(lead);
    modal.open();
  };

  return (
    <Paper withBorder p="sm" data-testid="leads-panel">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{t('coach.leads.title')}</Text>
          <Tooltip label={t('coach.leads.new')}>
            <ActionIcon variant="light" onClick={() => openModal(null)} aria-label={t('coach.leads.new')} data-testid="lead-new">
              <UserPlus size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <TextInput
          size="xs"
          placeholder={t('coach.leads.search')}
          aria-label={t('coach.leads.search')}
          leftSection={<Search size={14} />}
          rightSection={loading ? <Loader size={12} /> : null}
          value={query}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            search(e.currentTarget.value);
          }}
          data-testid="lead-search"
        />
        <ErrorAlert error={error} onRetry={() => void loadLeads()} />
        <ScrollArea.Autosize mah="calc(50dvh - 140px)" type="auto">
          {leads.length === 0 && !loading && (
            <Stack gap={6} py="xs" align="flex-start" data-testid="leads-empty">
              <Text size="sm" c="dimmed">
                {leadQuery.trim() ? t('coach.leads.noMatch') : t('coach.leads.empty')}
              </Text>
              {!leadQuery.trim() && (
                <Button size="xs" variant="light" onClick={() => openModal(null)} data-testid="leads-empty-action">
                  {t('coach.leads.new')}
                </Button>
              )}
            </Stack>
          )}
          {leads.map((lead) => (
            <Group key={lead.id} gap={2} wrap="nowrap">
              <NavLink
                component="button"
                label={lead.name}
                description={lead.company ?? undefined}
                rightSection={<RecordSyncState table="leads" id={lead.id} compact />}
                active={lead.id === leadId}
                aria-current={lead.id === leadId ? 'true' : undefined}
                onClick={() => void selectLead(lead.id)}
                data-testid="lead-item"
                style={{ flex: 1, minWidth: 0 }}
              />
              <Tooltip label={t('coach.leads.edit')}>
                <ActionIcon size="sm" variant="subtle" aria-label={`${t('coach.leads.edit')}: ${lead.name}`} onClick={() => openModal(lead)} data-testid="lead-edit">
                  <Pencil size={14} />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        </ScrollArea.Autosize>
        <Divider label={t('coach.sessions.title')} labelPosition="left" />
        <SessionsList />
      </Stack>
      <LeadModal lead={editing} opened={opened} onClose={modal.close} />
    </Paper>
  );
}
