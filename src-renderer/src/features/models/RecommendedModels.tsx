import { Badge, Button, Group, Paper, Stack, Table, Text, Title, Tooltip, type MantineColor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Check, Download, ShieldAlert } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecommendedEntry } from '@shared/contract/models';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError } from '@renderer/errors/ui-error';
import { formatBytes, formatParameters } from './format';
import { useModelsStore } from './models-store';

const VERDICT_COLOR: Record<RecommendedEntry['fit']['verdict'], MantineColor> = { fits: 'teal', tight: 'yellow', too_big: 'red' };
const SPEED_COLOR: Record<RecommendedEntry['fit']['speed'], MantineColor> = { fast: 'teal', usable: 'blue', slow: 'yellow', too_slow: 'red' };

function Row({ model }: { model: RecommendedEntry }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'pl' ? 'pl' : 'en';
  const active = useModelsStore((s) => Object.values(s.active).some((a) => a.fileName === model.fileName));
  const size = formatBytes(model.sizeBytes, i18n.language);
  const tps = model.fit.tokensPerSecond.toLocaleString(i18n.language, { maximumFractionDigits: 0 });
  const download = async () => {
    try {
      const result = await useModelsStore.getState().downloadRecommended(model.id, model.fileName);
      if (result.state === 'completed') notifications.show({ color: 'teal', message: t('models.recommended.done', { name: model.name }) });
    } catch (error) {
      notifications.show({ color: 'red', message: toUiError(error).message });
    }
  };
  return (
    <Table.Tr data-testid="recommended-row" data-id={model.id} data-verdict={model.fit.verdict}>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {model.name}
          </Text>
          <Text size="xs" c="dimmed">
            {formatParameters(model.parameters, i18n.language)} · {model.quantisation} · {size}
          </Text>
          <Text size="xs" c="dimmed" maw={360} style={{ whiteSpace: 'normal' }}>
            {model.summary[lang]}
          </Text>
          <Group gap={4}>
            {model.goodFor.map((use) => (
              <Badge key={use} size="xs" variant="light" color="gray">
                {t(`models.recommended.goodFor.${use}`)}
              </Badge>
            ))}
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="xs">
          {t('models.recommended.polishLabel')}: {t(`models.recommended.polish.${model.polish}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {t('models.recommended.licence', { licence: model.licence })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge size="sm" color={VERDICT_COLOR[model.fit.verdict]} data-testid="recommended-verdict">
            {t(`models.recommended.verdict.${model.fit.verdict}`)}
          </Badge>
          <Badge size="sm" variant="light" color={SPEED_COLOR[model.fit.speed]}>
            {t(`models.recommended.speed.${model.fit.speed}`)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {model.fit.onGpu
            ? t('models.recommended.estimateGpu', { vram: formatBytes(model.fit.vramBytes, i18n.language), tps })
            : t('models.recommended.estimate', { ram: formatBytes(model.fit.ramBytes, i18n.language), tps })}
        </Text>
      </Table.Td>
      <Table.Td>
        {model.installedPath ? (
          <Badge color="teal" variant="light" leftSection={<Check size={12} />} data-testid="recommended-installed">
            {t('models.recommended.downloaded')}
          </Badge>
        ) : (
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-sm"
              leftSection={<Download size={12} />}
              onClick={() => void download()}
              loading={active}
              aria-label={t('models.recommended.downloadLabel', { name: model.name, size })}
              data-testid="recommended-download"
            >
              {t('models.recommended.download')}
            </Button>
            {!model.sha256 && (
              <Tooltip label={t('models.recommended.unverified')} multiline w={240}>
                <ShieldAlert size={14} aria-label={t('models.recommended.unverified')} />
              </Tooltip>
            )}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Settings → Models: the shipped catalog with a fit estimate for this computer and one-click download. */
export function RecommendedModels() {
  const { t, i18n } = useTranslation();
  const { recommended, recommendedError, loadRecommended } = useModelsStore();
  useEffect(() => {
    void loadRecommended();
  }, [loadRecommended]);
  return (
    <Paper withBorder p="md" data-testid="recommended-models">
      <Stack gap="xs">
        <Title order={4}>{t('models.recommended.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('models.recommended.intro')}
          {recommended && ` ${t('models.recommended.machine', { ram: formatBytes(recommended.machine.totalRamBytes, i18n.language), cores: recommended.machine.cpuCores })}`}
        </Text>
        <ErrorAlert error={recommendedError} onRetry={() => void loadRecommended()} testId="recommended-error" />
        {recommended ? (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs">
              <Table.Tbody>
                {recommended.models.map((model) => (
                  <Row key={model.id} model={model} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : (
          !recommendedError && (
            <Text size="sm" c="dimmed">
              {t('models.recommended.load')}
            </Text>
          )
        )}
      </Stack>
    </Paper>
  );
}
