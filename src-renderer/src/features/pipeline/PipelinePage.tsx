import { Badge, Button, Card, Group, Modal, ScrollArea, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LEAD_STAGES, type LeadStage } from '@shared/coaching/pipeline';
import type { Lead } from '@shared/coaching/types';
import { usePipelineStore, type LeadSort } from './pipeline-store';
import { OutcomeButtons } from './OutcomeButtons';
import { SequencePanel } from './SequencePanel';

function LeadCard({ lead }: { lead: Lead }) {
  const { t, i18n } = useTranslation();
  const [announce, setAnnounce] = useState('');
  const move = (delta: number) => {
    const index = LEAD_STAGES.indexOf(lead.stage) + delta;
    const stage = LEAD_STAGES[index];
    if (!stage) return;
    void usePipelineStore.getState().moveLead(lead.id, stage).then(() => {
      setAnnounce(t('pipeline.board.moved', { name: lead.name, stage: t(`pipeline.stage.${stage}`) }));
      // The card re-renders in its new column: keep the keyboard on it.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-lead-card="${lead.id}"]`)?.focus());
    });
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowRight') move(1);
    else if (e.key === 'ArrowLeft') move(-1);
    else if (e.key === 'Enter') void usePipelineStore.getState().openBrief(lead.id);
    else return;
    e.preventDefault();
  };
  return (
    <Card
      withBorder
      padding="xs"
      tabIndex={0}
      role="button"
      aria-label={`${lead.name}, ${t(`pipeline.stage.${lead.stage}`)}`}
      aria-describedby="pipeline-move-hint"
      draggable
      onDragStart={(e: DragEvent<HTMLDivElement>) => e.dataTransfer.setData('text/lead-id', lead.id)}
      onKeyDown={onKey}
      data-testid="lead-card"
      data-lead-card={lead.id}
      data-stage={lead.stage}
    >
      <Text fw={500} size="sm">
        {lead.name}
      </Text>
      {lead.dealValue !== null && (
        <Text size="xs">
          {lead.dealValue.toLocaleString(i18n.language)} {lead.currency ?? ''}
        </Text>
      )}
      {lead.nextStep && (
        <Text size="xs" c="dimmed">
          {lead.nextStep}
          {lead.nextStepDue ? ` · ${new Date(lead.nextStepDue).toLocaleDateString(i18n.language)}` : ''}
        </Text>
      )}
      <span aria-live="polite" className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden' }}>
        {announce}
      </span>
    </Card>
  );
}

function Board({ leads }: { leads: Lead[] }) {
  const { t } = useTranslation();
  const onDrop = (stage: LeadStage) => (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/lead-id');
    if (id) void usePipelineStore.getState().moveLead(id, stage);
  };
  return (
    <ScrollArea>
      <Group align="flex-start" wrap="nowrap" gap="sm" data-testid="pipeline-board">
        {LEAD_STAGES.map((stage) => (
          <Stack key={stage} w={190} gap="xs" onDragOver={(e) => e.preventDefault()} onDrop={onDrop(stage)} data-testid={`board-column-${stage}`} aria-label={t(`pipeline.stage.${stage}`)} role="list">
            <Text fw={600} size="sm">
              {t(`pipeline.stage.${stage}`)} <Badge size="xs">{leads.filter((l) => l.stage === stage).length}</Badge>
            </Text>
            {leads
              .filter((l) => l.stage === stage)
              .map((l) => (
                <div role="listitem" key={l.id}>
                  <LeadCard lead={l} />
                </div>
              ))}
          </Stack>
        ))}
      </Group>
    </ScrollArea>
  );
}

function List({ leads }: { leads: Lead[] }) {
  const { t, i18n } = useTranslation();
  if (leads.length === 0) return <Text c="dimmed">{t('pipeline.list.empty')}</Text>;
  return (
    <Table striped highlightOnHover data-testid="pipeline-list">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('pipeline.list.name')}</Table.Th>
          <Table.Th>{t('pipeline.list.filterStage')}</Table.Th>
          <Table.Th>{t('pipeline.list.value')}</Table.Th>
          <Table.Th>{t('pipeline.list.next')}</Table.Th>
          <Table.Th>{t('pipeline.list.likelihood')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {leads.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>
              <Button variant="subtle" size="compact-sm" onClick={() => void usePipelineStore.getState().openBrief(l.id)}>
                {l.name}
              </Button>
            </Table.Td>
            <Table.Td>{t(`pipeline.stage.${l.stage}`)}</Table.Td>
            <Table.Td>{l.dealValue !== null ? `${l.dealValue.toLocaleString(i18n.language)} ${l.currency ?? ''}` : ''}</Table.Td>
            <Table.Td>
              {l.nextStep ?? ''}
              {l.nextStepDue ? ` · ${new Date(l.nextStepDue).toLocaleString(i18n.language)}` : ''}
            </Table.Td>
            <Table.Td>{l.purchaseLikelihood !== null ? `${l.purchaseLikelihood}%` : ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function BriefModal() {
  const { t, i18n } = useTranslation();
  const brief = usePipelineStore((s) => s.brief);
  const none = <Text c="dimmed">{t('pipeline.brief.none')}</Text>;
  return (
    <Modal opened={brief !== null} onClose={() => void usePipelineStore.getState().openBrief(null)} title={brief ? t('pipeline.brief.title', { name: brief.lead.name }) : ''} size="lg">
      {brief && (
        <Stack data-testid="pre-call-brief">
          <Title order={5}>{t('pipeline.brief.archetypes')}</Title>
          {brief.archetypeHistory.length === 0 ? none : brief.archetypeHistory.map((a) => <Text key={a.at}>{a.archetype} · {new Date(a.at).toLocaleDateString(i18n.language)}</Text>)}
          <Title order={5}>{t('pipeline.brief.objections')}</Title>
          {brief.openObjections.length === 0 ? none : brief.openObjections.map((o) => <Text key={o.category}>{o.category} ×{o.times}</Text>)}
          <Title order={5}>{t('pipeline.brief.nextStep')}</Title>
          {brief.lastNextStep ? <Text>{brief.lastNextStep.text}</Text> : none}
          <Title order={5}>{t('pipeline.brief.promises')}</Title>
          {brief.promises.length === 0 ? none : brief.promises.map((p) => <Text key={`${p.at}${p.text}`}>„{p.text}”</Text>)}
          <Title order={5}>{t('pipeline.brief.worked')}</Title>
          {brief.whatWorked.length === 0 ? none : brief.whatWorked.map((w) => <Text key={w.knowledgeId}>{w.title} · {w.won}/{w.won + w.lost}</Text>)}
          <Title order={5}>{t('pipeline.outcome.record')}</Title>
          <OutcomeButtons leadId={brief.lead.id} />
          <SequencePanel lead={brief.lead} />
        </Stack>
      )}
    </Modal>
  );
}

/** Leads as a board (drag and drop, or ← → on a focused card) and as a list sorted and filtered. */
export function PipelinePage() {
  const { t } = useTranslation();
  const [view, setView] = useState<'board' | 'list'>('board');
  const leads = usePipelineStore((s) => s.leads);
  const stage = usePipelineStore((s) => s.stage);
  const sort = usePipelineStore((s) => s.sort);
  useEffect(() => {
    void usePipelineStore.getState().loadLeads();
  }, []);
  return (
    <Stack data-testid="pipeline-page">
      <Group justify="space-between">
        <Title order={2}>{t('pipeline.board.title')}</Title>
        <SegmentedControl value={view} onChange={(v) => setView(v === 'list' ? 'list' : 'board')} data={[{ value: 'board', label: t('pipeline.board.board') }, { value: 'list', label: t('pipeline.board.list') }]} />
      </Group>
      <Group>
        <Select
          label={t('pipeline.list.filterStage')}
          value={stage ?? ''}
          onChange={(v) => void usePipelineStore.getState().setFilter({ stage: (LEAD_STAGES as readonly string[]).includes(v ?? '') ? (v as LeadStage) : null })}
          data={[{ value: '', label: t('pipeline.list.allStages') }, ...LEAD_STAGES.map((s) => ({ value: s, label: t(`pipeline.stage.${s}`) }))]}
          allowDeselect={false}
        />
        <Select
          label={t('pipeline.list.sort')}
          value={sort}
          onChange={(v) => void usePipelineStore.getState().setFilter({ sort: (v ?? 'updated') as LeadSort })}
          data={[
            { value: 'updated', label: t('pipeline.list.sortUpdated') },
            { value: 'due', label: t('pipeline.list.sortDue') },
            { value: 'likelihood', label: t('pipeline.list.sortLikelihood') },
            { value: 'stage', label: t('pipeline.list.sortStage') },
          ]}
          allowDeselect={false}
        />
      </Group>
      <Text id="pipeline-move-hint" size="xs" c="dimmed">
        {t('pipeline.board.moveHint')}
      </Text>
      {view === 'board' ? <Board leads={leads} /> : <List leads={leads} />}
      <BriefModal />
    </Stack>
  );
}
