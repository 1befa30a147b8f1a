import { ActionIcon, Divider, Group, Loader, NavLink, Paper, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks';
import { Pencil, Search, UserPlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '../../../../../src-shared/coaching/types';
import { ErrorAlert } from '../ErrorAlert';
import { useCoachStore } from '../store';
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

  useEffect(() => void loadLeads(), [loadLeads]);

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
            <Text size="sm" c="dimmed" py="xs">
              {leadQuery.trim() ? t('coach.leads.noMatch') : t('coach.leads.empty')}
            </Text>
          )}
          {leads.map((lead) => (
            <NavLink
              key={lead.id}
              label={lead.name}
              description={lead.company ?? undefined}
              active={lead.id === leadId}
              onClick={() => void selectLead(lead.id)}
              data-testid="lead-item"
              rightSection={
                <ActionIcon
                  component="span"
                  role="button"
                  tabIndex={0}
                  size="sm"
                  variant="subtle"
                  aria-label={t('coach.leads.edit')}
                  onClick={(e) => {
                    e.stopPropagation();
                    openModal(lead);
                  }}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' && e.key !== ' ') return;
                    e.preventDefault();
                    e.stopPropagation();
                    openModal(lead);
                  }}
                >
                  <Pencil size={14} />
                </ActionIcon>
              }
            />
          ))}
        </ScrollArea.Autosize>
        <Divider label={t('coach.sessions.title')} labelPosition="left" />
        <SessionsList />
      </Stack>
      <LeadModal lead={editing} opened={opened} onClose={modal.close} />
    </Paper>
  );
}
