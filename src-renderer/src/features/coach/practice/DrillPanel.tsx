import { Accordion, Badge, Button, Group, Loader, Paper, RingProgress, Stack, Text, Textarea, Title } from '@mantine/core';
import { Dumbbell, SkipForward } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { TEXT_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { usePracticeStore, type DrillResult } from './practice-store';

const VERDICT_COLOR = { strong: 'teal', partial: 'yellow', weak: 'red' } as const;

function Words({ words, color, variant }: { words: readonly string[]; color: string; variant: 'light' | 'outline' }) {
  return (
    <Group gap={4}>
      {words.map((w) => (
        <Badge key={w} size="sm" color={color} variant={variant} tt="none">
          {w}
        </Badge>
      ))}
    </Group>
  );
}

function DrillFeedback({ result }: { result: DrillResult }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="drill-result">
      <Group gap="md" align="center">
        <RingProgress
          size={84}
          thickness={8}
          roundCaps
          sections={[{ value: result.score, color: VERDICT_COLOR[result.verdict] }]}
          label={
            <Text ta="center" fw={700} data-testid="drill-score">
              {result.score}
            </Text>
          }
        />
        <Stack gap={2}>
          <Badge size="lg" color={VERDICT_COLOR[result.verdict]} data-testid="drill-verdict">
            {t(`coach.practice.verdict.${result.verdict}`)}
          </Badge>
          {result.best && (
            <Text size="sm" c="dimmed">
              {t('coach.practice.closest', { title: result.best.title })}
            </Text>
          )}
        </Stack>
      </Group>
      {result.best && (
        <>
          <Text size="sm" fw={600}>
            {t('coach.practice.matched')}
          </Text>
          {result.best.matchedWords.length ? <Words words={result.best.matchedWords} color="teal" variant="light" /> : <Text size="sm">—</Text>}
          <Text size="sm" fw={600}>
            {t('coach.practice.missing')}
          </Text>
          <Words words={result.best.missingWords} color="gray" variant="outline" />
        </>
      )}
      <Text size="sm" fw={600}>
        {t('coach.practice.recommended')}
      </Text>
      <Accordion variant="separated" defaultValue={result.recommended[0]?.id ?? null}>
        {result.recommended.map((r) => (
          <Accordion.Item key={r.id} value={r.id} data-testid="drill-recommended">
            <Accordion.Control>
              <Group justify="space-between" wrap="nowrap" pr="sm">
                <Text size="sm" fw={500}>
                  {r.title}
                </Text>
                <Badge variant="light" color="gray">
                  {Math.round(r.overlap * 100)}%
                </Badge>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="sm">{r.text}</Text>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}

/** Practice without a model: answer an objection from the pack, compared with the recommended responses. */
export function DrillPanel() {
  const { t } = useTranslation();
  const drill = usePracticeStore((s) => s.drill);
  const nextDrill = usePracticeStore((s) => s.nextDrill);
  const setAnswer = usePracticeStore((s) => s.setDrillAnswer);
  const answerDrill = usePracticeStore((s) => s.answerDrill);
  const submit = () => {
    if (drill.answer.trim()) void answerDrill();
  };

  return (
    <Paper withBorder p="md" data-testid="drill-panel">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap={6}>
            <Dumbbell size={18} />
            <Title order={4}>{t('coach.practice.drill')}</Title>
          </Group>
          <Button size="xs" variant="light" leftSection={<SkipForward size={14} />} onClick={() => void nextDrill()} loading={drill.loading && !drill.objection} data-testid="drill-next">
            {t('coach.practice.nextObjection')}
          </Button>
        </Group>
        <ErrorAlert error={drill.error} onRetry={drill.objection ? undefined : () => void nextDrill()} />
        {!drill.objection && drill.loading && <Loader size="sm" />}
        {drill.objection && (
          <>
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                {t('coach.practice.customerSays')}
              </Text>
              {drill.objection.category && (
                <Badge size="sm" color="red" variant="light">
                  {t(`coach.categories.${drill.objection.category}`)}
                </Badge>
              )}
            </Group>
            <Text size="lg" fw={600} data-testid="drill-objection">
              “{drill.objection.title}”
            </Text>
            <Text size="sm" c="dimmed">
              {drill.objection.body}
            </Text>
            <Textarea
              autosize
              minRows={3}
              maxRows={8}
              maxLength={TEXT_LIMITS.pastedChars}
              label={t('coach.practice.yourAnswer')}
              description={t('coach.practice.answerHint', { n: drill.recommendedCount })}
              value={drill.answer}
              onChange={(e) => setAnswer(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  submit();
                }
              }}
              data-testid="drill-answer"
            />
            <Group justify="flex-end">
              <Button onClick={submit} disabled={!drill.answer.trim()} loading={drill.loading} data-testid="drill-submit">
                {t('coach.practice.check')}
              </Button>
            </Group>
            {drill.result && <DrillFeedback result={drill.result} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}
