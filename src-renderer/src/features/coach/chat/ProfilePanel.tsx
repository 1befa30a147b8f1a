import { Alert, Badge, Blockquote, Group, List, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { UserRound } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CONFIDENCE_COLOR, SENTIMENT_COLOR, when } from '../labels';
import { useCoachStore } from '../coach-store';

function Section({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}

const likelihoodColor = (value: number) => (value >= 65 ? 'teal' : value >= 35 ? 'yellow' : 'red');

/** The client profile beside the chat: the latest analysis of the lead, live. */
export function ProfilePanel() {
  const { t, i18n } = useTranslation();
  const profile = useCoachStore((s) => s.profile);
  const profileError = useCoachStore((s) => s.profileError);
  const lead = useCoachStore((s) => s.leads.find((l) => l.id === s.leadId) ?? null);
  const sessionId = useCoachStore((s) => s.sessionId);
  const analysis = profile?.analysis;
  const none = <Text size="sm" c="dimmed">—</Text>;

  return (
    // The panel scrolls inside itself (focusable, so the keyboard can scroll it too); the page never does.
    <Paper
      withBorder
      p="sm"
      data-testid="profile-panel"
      aria-label={t('coach.profile.title')}
      role="region"
      tabIndex={0}
      style={{ maxHeight: 'calc(100dvh - 230px)', overflowY: 'auto', overflowWrap: 'anywhere' }}
    >
      <Stack gap="sm">
        <Group gap={6} wrap="nowrap">
          <UserRound size={18} />
          <Title order={5}>{t('coach.profile.title')}</Title>
        </Group>
        {(lead || profile) && (
          <Group justify="space-between" gap={6} wrap="nowrap">
            <Text size="sm" fw={500} lineClamp={1}>
              {lead?.name}
              {lead?.company ? ` · ${lead.company}` : ''}
            </Text>
            {profile && (
              <Badge size="xs" variant="light" color={profile.source === 'model' ? 'teal' : 'orange'} style={{ flexShrink: 0 }} data-testid="profile-source">
                {profile.source === 'model' ? t('coach.profile.fromModel') : t('coach.profile.fromFallback')}
              </Badge>
            )}
          </Group>
        )}
        {profileError && (
          <Alert color="yellow" variant="light" py={6} data-testid="profile-error">
            <Text size="xs">{t('coach.profile.rejected', { reason: profileError })}</Text>
          </Alert>
        )}
        {!analysis ? (
          <Text size="sm" c="dimmed" data-testid="profile-empty">
            {sessionId ? t('coach.profile.empty') : t('coach.profile.noSession')}
          </Text>
        ) : (
          <>
            <Section label={t('coach.profile.archetype')} testId="profile-archetype">
              <Group gap={6}>
                <Text fw={600}>{t(`coach.archetypes.${analysis.archetype}`)}</Text>
                <Badge size="sm" variant="light" color={CONFIDENCE_COLOR[analysis.archetype_confidence]}>
                  {t('coach.profile.confidence', { level: t(`coach.confidence.${analysis.archetype_confidence}`) })}
                </Badge>
              </Group>
            </Section>
            {profile && profile.archetypeEvidence.length > 0 && (
              <Section label={t('coach.profile.evidence')} testId="profile-archetype-evidence">
                <List size="xs" spacing={2}>
                  {profile.archetypeEvidence.map((phrase) => (
                    <List.Item key={phrase}>{t('coach.rating.quoted', { text: phrase })}</List.Item>
                  ))}
                </List>
              </Section>
            )}
            {profile && profile.archetypeHistory.length > 1 && (
              <Section label={t('coach.profile.history')} testId="profile-archetype-history">
                <Group gap={4}>
                  {profile.archetypeHistory.map((h, i) => (
                    <Badge key={`${h.at}-${i}`} size="xs" variant={i === profile.archetypeHistory.length - 1 ? 'filled' : 'light'} title={when(h.at, i18n.language)}>
                      {t(`coach.archetypes.${h.archetype}`)}
                    </Badge>
                  ))}
                </Group>
              </Section>
            )}
            <Section label={t('coach.profile.likelihood')} testId="profile-likelihood">
              <Group gap="xs" wrap="nowrap">
                <Progress value={analysis.purchase_likelihood} color={likelihoodColor(analysis.purchase_likelihood)} size="lg" radius="xl" style={{ flex: 1 }} aria-label={t('coach.profile.likelihood')} />
                <Text size="sm" fw={600} w={42} ta="right">
                  {analysis.purchase_likelihood}%
                </Text>
              </Group>
            </Section>
            <Section label={t('coach.profile.sentiment')}>
              <Badge variant="light" color={SENTIMENT_COLOR[analysis.sentiment]}>
                {t(`coach.sentiment.${analysis.sentiment}`)}
              </Badge>
            </Section>
            <Section label={t('coach.profile.objections')} testId="profile-objections">
              {analysis.objections.length === 0
                ? none
                : analysis.objections.map((o, i) => (
                    <Stack key={`${o.category}-${i}`} gap={2}>
                      <Badge size="sm" color="red" variant="light">
                        {t(`coach.categories.${o.category}`)}
                      </Badge>
                      {o.quote && (
                        <Blockquote p={6} pl="sm" fz="xs" color="red" iconSize={0}>
                          {o.quote}
                        </Blockquote>
                      )}
                    </Stack>
                  ))}
            </Section>
            <Section label={t('coach.profile.needs')}>
              {analysis.needs.length === 0 ? none : <List size="sm" spacing={2}>{analysis.needs.map((n) => <List.Item key={n}>{n}</List.Item>)}</List>}
            </Section>
            <Section label={t('coach.profile.signals')}>
              {analysis.buying_signals.length === 0 ? none : <List size="sm" spacing={2}>{analysis.buying_signals.map((n) => <List.Item key={n}>{n}</List.Item>)}</List>}
            </Section>
            <Section label={t('coach.profile.nextQuestion')} testId="profile-next-question">
              {analysis.next_best_question ? (
                <Text size="sm" fw={500} c="var(--mantine-primary-color-filled)">
                  {analysis.next_best_question}
                </Text>
              ) : (
                none
              )}
            </Section>
            {profile && (
              <Text size="xs" c="dimmed">
                {t('coach.profile.updated', { when: when(profile.updatedAt, i18n.language) })}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
