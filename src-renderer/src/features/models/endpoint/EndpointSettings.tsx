import { Alert, Badge, Button, Group, NumberInput, Paper, PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PlugZap, Save } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EndpointTestResult, EndpointView, LlmTask, TaskRoute, TaskRoutes } from '@shared/contract/endpoint';
import { ENDPOINT_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useEndpointStore } from './endpoint-store';

const TASKS: LlmTask[] = ['coachReply', 'customerAnalysis', 'roleplay', 'palletAssist'];
const ROUTES: TaskRoute[] = ['local', 'auto', 'endpoint'];

interface FormValues {
  baseUrl: string;
  model: string;
  key: string;
  routes: TaskRoutes;
  connectS: number;
  firstTokenS: number;
  idleS: number;
}

function formOf(view: EndpointView): FormValues {
  return {
    baseUrl: view.baseUrl,
    model: view.model,
    key: '',
    routes: view.routes,
    connectS: view.timeouts.connectMs / 1000,
    firstTokenS: view.timeouts.firstTokenMs / 1000,
    idleS: view.timeouts.idleMs / 1000,
  };
}

/**
 * Models → Endpoint: an OpenAI-compatible server (address, model, key), which tasks use it, its timeouts,
 * and a connection test. The key field is write-only: the saved key is never shown, only whether one is.
 */
export function EndpointSettings() {
  const { t } = useTranslation();
  const { view, loadError, load, save, test } = useEndpointStore();
  const [values, setValues] = useState<FormValues | null>(null);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [modelError, setModelError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [failure, setFailure] = useState<UiError | null>(null);
  const [tested, setTested] = useState<EndpointTestResult | null>(null);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (view && values === null) setValues(formOf(view));
  }, [view, values]);

  if (!view || !values) return <ErrorAlert error={loadError} onRetry={() => void load()} testId="endpoint-load-error" />;
  const update = (patch: Partial<FormValues>) => setValues({ ...values, ...patch });
  const ms = (seconds: number) => Math.round(seconds * 1000);

  const persist = async (): Promise<boolean> => {
    const url = values.baseUrl.trim();
    if (url && !/^https?:\/\/[^\s/?#]+/i.test(url)) {
      setUrlError(t('models.endpoint.urlInvalid'));
      return false;
    }
    // A task sent to an endpoint that has no address or model would silently stay local.
    const usesEndpoint = TASKS.some((task) => values.routes[task] !== 'local');
    if (usesEndpoint && (!url || !values.model.trim())) {
      setUrlError(url ? null : t('models.endpoint.urlRequired'));
      setModelError(values.model.trim() ? null : t('models.endpoint.modelRequired'));
      return false;
    }
    setUrlError(null);
    setModelError(null);
    setFailure(null);
    try {
      const saved = await save({
        baseUrl: url,
        model: values.model.trim(),
        routes: values.routes,
        timeouts: { connectMs: ms(values.connectS), firstTokenMs: ms(values.firstTokenS), idleMs: ms(values.idleS) },
        ...(values.key.trim() ? { key: values.key.trim() } : {}),
      });
      setValues(formOf(saved));
      return true;
    } catch (error) {
      setFailure(toUiError(error));
      return false;
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    if (await persist()) notifications.show({ color: 'teal', message: t('models.endpoint.saved'), autoClose: 1500 });
    setBusy(null);
  };
  const runTest = async () => {
    setBusy('test');
    setTested(null);
    try {
      if (await persist()) setTested(await test());
    } catch (error) {
      setFailure(toUiError(error));
    } finally {
      setBusy(null);
    }
  };
  const removeKey = async () => {
    setFailure(null);
    try {
      await save({ key: null });
      notifications.show({ color: 'teal', message: t('models.endpoint.keyRemoved'), autoClose: 1500 });
    } catch (error) {
      setFailure(toUiError(error));
    }
  };

  const health = view.health;
  const keyDescription = view.hasKey
    ? t(view.keyPersistent ? 'models.endpoint.keySaved' : 'models.endpoint.keySession')
    : t(view.keyPersistent ? 'models.endpoint.keyNone' : 'models.endpoint.keyWillSession');
  return (
    <Paper withBorder p="md" data-testid="endpoint-settings">
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="endpoint-title">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={4} id="endpoint-title">
                {t('models.endpoint.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('models.endpoint.intro')}
              </Text>
            </div>
            <Badge color={health.state === 'ok' ? 'teal' : health.state === 'down' ? 'red' : 'gray'} variant="light" data-testid="endpoint-health" data-state={health.state}>
              {t(`models.endpoint.health.${health.state}`)}
            </Badge>
          </Group>
          {health.state === 'down' && health.lastError && (
            <Alert color="orange" data-testid="endpoint-down">
              {t('models.endpoint.downHint', { reason: health.lastError.replace(/\.$/, '') })}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('models.endpoint.url')}
              description={t('models.endpoint.urlHint')}
              placeholder="http://localhost:11434/v1"
              value={values.baseUrl}
              maxLength={ENDPOINT_LIMITS.urlChars}
              onChange={(e) => update({ baseUrl: e.currentTarget.value })}
              error={urlError}
              data-testid="endpoint-url"
            />
            <TextInput
              label={t('models.endpoint.model')}
              description={t('models.endpoint.modelHint')}
              placeholder="llama3.1:8b"
              value={values.model}
              maxLength={ENDPOINT_LIMITS.modelChars}
              onChange={(e) => update({ model: e.currentTarget.value })}
              error={modelError}
              data-testid="endpoint-model"
            />
          </SimpleGrid>
          <Group align="flex-end" gap="xs">
            <PasswordInput
              style={{ flex: 1 }}
              label={t('models.endpoint.key')}
              description={keyDescription}
              placeholder={view.hasKey ? '••••••••' : t('models.endpoint.keyPlaceholder')}
              autoComplete="new-password"
              value={values.key}
              maxLength={ENDPOINT_LIMITS.keyChars}
              onChange={(e) => update({ key: e.currentTarget.value })}
              data-testid="endpoint-key"
            />
            {view.hasKey && (
              <Button variant="subtle" color="red" onClick={() => void removeKey()} data-testid="endpoint-key-remove">
                {t('models.endpoint.keyRemove')}
              </Button>
            )}
          </Group>
          <Stack gap={6} role="group" aria-label={t('models.endpoint.tasksTitle')}>
            <Text size="sm" fw={500}>
              {t('models.endpoint.tasksTitle')}
            </Text>
            {TASKS.map((task) => (
              <Group key={task} justify="space-between" wrap="nowrap">
                <Text size="sm" id={`endpoint-task-${task}`}>
                  {t(`models.endpoint.task.${task}`)}
                </Text>
                <SegmentedControl
                  size="xs"
                  aria-labelledby={`endpoint-task-${task}`}
                  value={values.routes[task]}
                  onChange={(value) => update({ routes: { ...values.routes, [task]: ROUTES.find((r) => r === value) ?? 'local' } })}
                  data={ROUTES.map((route) => ({ value: route, label: t(`models.endpoint.route.${route}`) }))}
                  data-testid={`endpoint-route-${task}`}
                />
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              {t('models.endpoint.routesHint')}
            </Text>
          </Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NumberInput label={t('models.endpoint.connect')} suffix=" s" decimalScale={1} min={ENDPOINT_LIMITS.connectMs.min / 1000} max={ENDPOINT_LIMITS.connectMs.max / 1000} value={values.connectS} onChange={(v) => update({ connectS: Number(v) || values.connectS })} data-testid="endpoint-connect" />
            <NumberInput label={t('models.endpoint.firstToken')} suffix=" s" decimalScale={1} min={ENDPOINT_LIMITS.firstTokenMs.min / 1000} max={ENDPOINT_LIMITS.firstTokenMs.max / 1000} value={values.firstTokenS} onChange={(v) => update({ firstTokenS: Number(v) || values.firstTokenS })} data-testid="endpoint-first-token" />
            <NumberInput label={t('models.endpoint.idle')} suffix=" s" decimalScale={1} min={ENDPOINT_LIMITS.idleMs.min / 1000} max={ENDPOINT_LIMITS.idleMs.max / 1000} value={values.idleS} onChange={(v) => update({ idleS: Number(v) || values.idleS })} data-testid="endpoint-idle" />
          </SimpleGrid>
          <ErrorAlert error={failure} title={t('models.endpoint.failed')} onClose={() => setFailure(null)} testId="endpoint-error" />
          {tested && (
            <Alert color={tested.ok && tested.modelListed !== false ? 'teal' : 'orange'} data-testid="endpoint-test-result" data-ok={String(tested.ok)}>
              {tested.ok
                ? `${t('models.endpoint.testOk', { ms: tested.latencyMs ?? 0, count: tested.models.length })}${tested.modelListed === false ? ` ${t('models.endpoint.testModelMissing', { model: values.model })}` : ''}`
                : t('models.endpoint.testFailed', { reason: tested.message ?? '' })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" leftSection={<PlugZap size={14} />} onClick={() => void runTest()} loading={busy === 'test'} disabled={!values.baseUrl.trim()} data-testid="endpoint-test">
              {t('models.endpoint.test')}
            </Button>
            <Button type="submit" leftSection={<Save size={14} />} loading={busy === 'save'} data-testid="endpoint-save">
              {t('models.endpoint.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
