import { Badge, Button, Group, Loader, Modal, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Play, Power, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MODEL_LIMITS } from '@shared/contract/limits';
import type { FitEstimate, ModelEntry } from '@shared/contract/models';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { formatBytes, formatNumber } from './format';
import { useModelsStore, type Inspection } from './models-store';

const VERDICT_COLOR: Record<FitEstimate['verdict'], string> = { fits: 'teal', tight: 'yellow', too_big: 'red' };
const DEFAULT_CONTEXT = 4096;

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}

function FitView({ fit }: { fit: FitEstimate }) {
  const { t, i18n } = useTranslation();
  const b = (n: number) => formatBytes(n, i18n.language);
  const m = fit.machine;
  return (
    <Stack gap={6} data-testid="model-fit">
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {t('models.details.fit')}
        </Text>
        <Badge color={VERDICT_COLOR[fit.verdict]} data-testid="fit-verdict" data-verdict={fit.verdict}>
          {t(`models.details.verdict.${fit.verdict}`)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {t('models.details.fitFor', { context: formatNumber(fit.contextSize, i18n.language) })}
      </Text>
      <SimpleGrid cols={2} spacing="xs">
        <Fact label={t('models.details.ram')} value={`${b(fit.ramBytes)} · ${t('models.details.machineRam', { free: b(m.freeRamBytes), total: b(m.totalRamBytes) })}`} testId="fit-ram" />
        <Fact
          label={t('models.details.vram')}
          value={m.gpu ? `${b(fit.vramBytes)} · ${t('models.details.machineVram', { free: b(m.freeVramBytes), total: b(m.totalVramBytes), gpu: m.gpu })}` : t('models.details.noGpu')}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** The selected model: header facts, the fit estimate, Load / Unload and Delete. */
export function ModelDetails({ model }: { model: ModelEntry }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const store = useModelsStore.getState();
  const trained = model.summary?.contextLength ?? null;
  const [context, setContext] = useState<number | string>(trained ? Math.min(DEFAULT_CONTEXT, trained) : DEFAULT_CONTEXT);
  const [gpuLayers, setGpuLayers] = useState<number | string>('');
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [inspectError, setInspectError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState<'load' | 'unload' | 'delete' | null>(null);
  const [actionError, setActionError] = useState<{ title: string; error: UiError } | null>(null);
  const [confirming, setConfirming] = useState(false);

  const contextValid = typeof context === 'number' && Number.isInteger(context) && context >= MODEL_LIMITS.contextMin && context <= MODEL_LIMITS.contextMax;
  const fitContext = contextValid ? context : DEFAULT_CONTEXT;

  useEffect(() => {
    let current = true;
    setInspectError(null);
    useModelsStore
      .getState()
      .inspect(model.path, fitContext)
      .then((result) => current && setInspection(result))
      .catch((error: unknown) => current && setInspectError(toUiError(error)));
    return () => {
      current = false;
    };
    // The estimate follows the file and the context size.
  }, [model.path, fitContext]);

  const load = async () => {
    if (!contextValid) return;
    setBusy('load');
    setActionError(null);
    try {
      const loaded = await store.load(model.path, context, typeof gpuLayers === 'number' ? gpuLayers : 'auto');
      notifications.show({ color: 'teal', message: t('models.load.loaded', { name: loaded.fileName, ms: Math.round(loaded.loadMs), threads: loaded.threads }) });
    } catch (error) {
      setActionError({ title: t('models.load.failed'), error: toUiError(error) });
    } finally {
      setBusy(null);
    }
  };

  const unload = async () => {
    setBusy('unload');
    setActionError(null);
    try {
      await store.unload();
      notifications.show({ message: t('models.load.unloaded') });
    } catch (error) {
      setActionError({ title: t('models.load.unloadFailed'), error: toUiError(error) });
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('delete');
    setActionError(null);
    try {
      await store.remove(model.path);
      setConfirming(false);
      notifications.show({ message: t('models.remove.done', { name: model.fileName }) });
    } catch (error) {
      setConfirming(false);
      setActionError({ title: t('models.remove.failed'), error: toUiError(error) });
    } finally {
      setBusy(null);
    }
  };

  const s = inspection?.summary ?? model.summary;
  const dash = t('models.unknown');
  const num = (n: number | null | undefined) => (n == null ? dash : formatNumber(n, lang));
  const loadable = !model.error && !model.broken && (s?.loadable ?? false);

  return (
    <Paper withBorder p="md" data-testid="model-details" aria-labelledby="model-details-title">
      <Stack gap="sm">
        <Title order={4} id="model-details-title" style={{ overflowWrap: 'anywhere' }}>
          {model.fileName}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
          <Fact label={t('models.details.name')} value={s?.name ?? dash} />
          <Fact label={t('models.details.layers')} value={num(s?.layers)} />
          <Fact label={t('models.details.embedding')} value={num(s?.embeddingLength)} />
          <Fact label={t('models.details.heads')} value={num(s?.heads)} />
          <Fact label={t('models.details.vocab')} value={num(s?.vocabSize)} />
          <Fact label={t('models.details.version')} value={num(s?.ggufVersion)} />
        </SimpleGrid>
        <Fact label={t('models.details.path')} value={model.path} />
        {!inspection && !inspectError && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              {t('models.details.inspecting')}
            </Text>
          </Group>
        )}
        <ErrorAlert error={inspectError} testId="inspect-error" />
        {inspection?.fit && <FitView fit={inspection.fit} />}
        {inspection?.fitError && (
          <Text size="sm" c="orange">
            {t('models.details.fitError', { message: inspection.fitError })}
          </Text>
        )}
        <Group align="flex-start" grow>
          <NumberInput
            label={t('models.load.context')}
            description={t('models.load.contextHint')}
            min={MODEL_LIMITS.contextMin}
            max={MODEL_LIMITS.contextMax}
            step={512}
            allowDecimal={false}
            value={context}
            onChange={setContext}
            error={contextValid ? undefined : t('models.load.contextInvalid')}
            data-testid="model-context"
          />
          <NumberInput
            label={t('models.load.gpuLayers')}
            description={t('models.load.gpuLayersHint')}
            placeholder={t('models.load.gpuAuto')}
            min={0}
            max={MODEL_LIMITS.gpuLayersMax}
            allowDecimal={false}
            value={gpuLayers}
            onChange={setGpuLayers}
            data-testid="model-gpu-layers"
          />
        </Group>
        {actionError && <ErrorAlert error={actionError.error} title={actionError.title} onClose={() => setActionError(null)} testId="model-action-error" />}
        <Group justify="space-between">
          <Group gap="xs">
            <Button leftSection={<Play size={14} />} onClick={() => void load()} loading={busy === 'load'} disabled={!loadable || !contextValid || busy !== null} data-testid="model-load">
              {model.loaded ? t('models.load.reload') : t('models.load.load')}
            </Button>
            {model.loaded && (
              <Button variant="default" leftSection={<Power size={14} />} onClick={() => void unload()} loading={busy === 'unload'} disabled={busy !== null} data-testid="model-unload">
                {t('models.load.unload')}
              </Button>
            )}
          </Group>
          <Button variant="subtle" color="red" leftSection={<Trash2 size={14} />} onClick={() => setConfirming(true)} disabled={model.loaded || busy !== null} data-testid="model-delete">
            {t('models.remove.button')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('models.remove.title', { name: model.fileName })} data-testid="model-delete-confirm">
        <Text size="sm" mb="md">
          {model.source === 'added' ? t('models.remove.bodyAdded') : t('models.remove.bodyFile')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
            {t('models.remove.cancel')}
          </Button>
          <Button color="red" onClick={() => void remove()} loading={busy === 'delete'} data-testid="model-delete-yes">
            {t('models.remove.confirm')}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}
