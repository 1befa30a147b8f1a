import { Alert, Button, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { Dumbbell, Play } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Archetype, CoachLanguage } from '@shared/coaching/keys';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { archetypeOptions, languageOptions } from '../labels';
import { appLanguage, usePracticeStore } from './practice-store';
import { DrillPanel } from './DrillPanel';
import { RoleplayChat } from './RoleplayChat';
import { ScorecardView } from './ScorecardView';

/** Practice before the meeting: roleplay with the model as the customer, or the objection drill without one. */
export function PracticeTab() {
  const { t } = useTranslation();
  const archetype = usePracticeStore((s) => s.archetype);
  const language = usePracticeStore((s) => s.language) ?? appLanguage();
  const starting = usePracticeStore((s) => s.starting);
  const error = usePracticeStore((s) => s.error);
  const notice = usePracticeStore((s) => s.notice);
  const objections = usePracticeStore((s) => s.objections);
  const session = usePracticeStore((s) => s.session);
  const drillOpen = usePracticeStore((s) => s.drillOpen);
  const opening = usePracticeStore((s) => s.starting && Boolean(s.pending?.text));
  const configure = usePracticeStore((s) => s.configure);
  const start = usePracticeStore((s) => s.start);
  const openDrill = usePracticeStore((s) => s.openDrill);
  const reset = usePracticeStore((s) => s.reset);

  return (
    <Stack gap="sm" data-testid="practice-tab">
      <Paper withBorder p="sm">
        <Group align="flex-end" gap="sm">
          <Select
            label={t('coach.practice.archetype')}
            data={archetypeOptions(t)}
            value={archetype}
            allowDeselect={false}
            onChange={(v) => v && configure({ archetype: v as Archetype })}
            w={200}
            data-testid="practice-archetype"
          />
          <Select label={t('coach.knowledge.language')} data={languageOptions(t)} value={language} allowDeselect={false} onChange={(v) => v && configure({ language: v as CoachLanguage })} w={140} />
          <Button leftSection={<Play size={14} />} onClick={() => void start()} loading={starting} data-testid="practice-start">
            {t('coach.practice.start')}
          </Button>
          <Button variant="default" leftSection={<Dumbbell size={14} />} onClick={() => void openDrill()} data-testid="practice-drill">
            {t('coach.practice.drill')}
          </Button>
          {(session || drillOpen) && (
            <Button variant="subtle" onClick={reset}>
              {t('coach.practice.reset')}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed" mt={6}>
          {t('coach.practice.hint')}
        </Text>
      </Paper>
      <ErrorAlert error={error} />
      {notice && (
        <Alert color="orange" variant="light" title={t('coach.practice.noModelTitle')} data-testid="practice-notice">
          <Text size="sm">{t('coach.practice.noModel')}</Text>
          {objections.length > 0 && (
            <Text size="sm" mt={4}>
              {t('coach.practice.drillObjections', { list: objections.map((o) => `“${o.title}”`).join(', ') })}
            </Text>
          )}
        </Alert>
      )}
      {(session || opening) && <RoleplayChat />}
      {session?.scorecard && <ScorecardView scorecard={session.scorecard} />}
      {drillOpen && <DrillPanel />}
    </Stack>
  );
}
