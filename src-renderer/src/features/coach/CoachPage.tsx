import { Badge, Group, Tabs, Title, Tooltip } from '@mantine/core';
import { BarChart3, BookOpen, Bot, DatabaseZap, Dumbbell, MessagesSquare } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NextStep } from '../help/first-run/NextStep';
import { CoachTab } from './chat/CoachTab';
import { CoachingDashboard } from './dashboard/CoachingDashboard';
import { KnowledgeTab } from './knowledge/KnowledgeTab';
import { PracticeTab } from './practice/PracticeTab';
import { useCoachStore, type CoachTab as Tab } from './coach-store';

const TABS: { value: Tab; icon: ReactNode }[] = [
  { value: 'coach', icon: <MessagesSquare size={16} /> },
  { value: 'knowledge', icon: <BookOpen size={16} /> },
  { value: 'practice', icon: <Dumbbell size={16} /> },
  { value: 'insights', icon: <BarChart3 size={16} /> },
];

const STATUS_POLL_MS = 30_000;

/** Whether a model answers; without one the knowledge base still coaches (and says so). */
function ModelBadge() {
  const { t } = useTranslation();
  const status = useCoachStore((s) => s.status);
  if (!status) return null;
  return (
    <Tooltip label={t('coach.status.entries', { n: status.knowledgeEntries })}>
      <Badge
        size="lg"
        variant="light"
        color={status.modelReady ? 'teal' : 'orange'}
        leftSection={status.modelReady ? <Bot size={14} /> : <DatabaseZap size={14} />}
        data-testid="coach-model-status"
        data-ready={status.modelReady}
      >
        {status.modelReady ? t('coach.status.modelReady') : t('coach.status.noModel')}
      </Badge>
    </Tooltip>
  );
}

export function CoachPage() {
  const { t } = useTranslation();
  const tab = useCoachStore((s) => s.tab);
  const setTab = useCoachStore((s) => s.setTab);

  useEffect(() => {
    const { refreshStatus, loadCitations } = useCoachStore.getState();
    void refreshStatus();
    void loadCitations();
    const timer = setInterval(() => void useCoachStore.getState().refreshStatus(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={2} data-testid="page-title">
          {t('coach.title')}
        </Title>
        <ModelBadge />
      </Group>
      <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map(({ value, icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={icon} data-testid={`coach-tab-${value}`}>
              {t(`coach.tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="coach">
          <NextStep />
          <CoachTab />
        </Tabs.Panel>
        <Tabs.Panel value="knowledge">
          <KnowledgeTab />
        </Tabs.Panel>
        <Tabs.Panel value="practice">
          <PracticeTab />
        </Tabs.Panel>
        <Tabs.Panel value="insights">
          <CoachingDashboard withTitle={false} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
