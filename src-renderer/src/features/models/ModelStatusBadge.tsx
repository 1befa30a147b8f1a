import { Stack, Text, type MantineColor } from '@mantine/core';
import { BrainCircuit, CircleOff, LoaderCircle, RotateCw } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LlmStatus } from '@shared/contract/llm';
import { StatusBarBadge } from '@renderer/components/StatusBarBadge';
import { useModelsStore } from './models-store';

type BadgeState = 'none' | 'loading' | 'restarting' | 'ready';

function badgeState(status: LlmStatus | null): BadgeState {
  if (status?.state === 'crashed') return 'restarting';
  if (status?.state === 'loading') return 'loading';
  return status?.model ? 'ready' : 'none';
}

const LOOK: Record<BadgeState, { color: MantineColor; icon: ReactNode }> = {
  none: { color: 'gray', icon: <CircleOff size={12} /> },
  loading: { color: 'blue', icon: <LoaderCircle size={12} /> },
  restarting: { color: 'orange', icon: <RotateCw size={12} /> },
  ready: { color: 'teal', icon: <BrainCircuit size={12} /> },
};

/** Status-bar item: the loaded model and the last generation speed, live from `llm:status`. */
export function ModelStatusBadge() {
  const { t, i18n } = useTranslation();
  const status = useModelsStore((s) => s.status);
  const open = useModelsStore((s) => s.openModelsSettings);

  useEffect(() => {
    void useModelsStore.getState().loadStatus();
  }, []);

  const state = badgeState(status);
  const model = status?.model ?? null;
  const speed = status?.lastGeneration ? t('models.badge.speed', { tps: status.lastGeneration.tokensPerSecond.toLocaleString(i18n.language, { maximumFractionDigits: 0 }) }) : null;
  const name = model ? (model.name ?? model.fileName) : null;
  const labels: Record<BadgeState, string> = {
    none: t('models.badge.none'),
    loading: status?.loading
      ? t('models.badge.loadingProgress', { name: status.loading.fileName, percent: Math.round(status.loading.progress * 100) })
      : t('models.badge.loading'),
    restarting: t('models.badge.restarting'),
    ready: [name, speed].filter(Boolean).join(' · '),
  };
  const label = labels[state];

  const details = (
    <Stack gap={2}>
      {model && <Text size="xs">{model.fileName}</Text>}
      {status?.lastError && (
        <Text size="xs" maw={360} style={{ whiteSpace: 'normal' }}>
          {status.lastError}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('models.badge.open')}
      </Text>
    </Stack>
  );

  return (
    <StatusBarBadge
      label={label}
      actionHint={t('models.badge.open')}
      color={LOOK[state].color}
      icon={LOOK[state].icon}
      details={details}
      onClick={open}
      maw={320}
      testId="model-status-badge"
      state={state}
    />
  );
}
