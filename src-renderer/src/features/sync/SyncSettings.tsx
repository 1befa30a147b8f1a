import { Alert, Anchor, Badge, Button, Group, Loader, NumberInput, Paper, PasswordInput, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { KeyRound, PlugZap, Save } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncConfig, SyncConfigPatch, TestConnectionResult } from '../../../../src-shared/contract/sync';
import { toUiError, useSyncStore, type TestInput, type UiError } from './store';
import { TestResultView } from './TestResultView';
import { validateSyncForm, type SyncFormErrors, type SyncFormValues } from './validate';

const fromConfig = (config: SyncConfig): SyncFormValues => ({
  serverUrl: config.serverUrl ?? '',
  user: config.user ?? '',
  password: '',
  enabled: config.enabled,
  intervalMinutes: config.intervalMinutes,
});

const FIELD_ORDER: (keyof SyncFormValues)[] = ['serverUrl', 'user', 'password', 'intervalMinutes'];

/** Server address, user, password (write-only), enable and interval; test the connection before saving. */
export function SyncSettings() {
  const { t } = useTranslation();
  const config = useSyncStore((s) => s.config);
  const configError = useSyncStore((s) => s.configError);

  useEffect(() => {
    void useSyncStore.getState().loadConfig();
  }, []);

  return (
    <Paper withBorder p="md" style={{ flex: '1 1 420px', minWidth: 0, maxWidth: 640 }} data-testid="sync-settings">
      <Title order={4}>{t('sync.settings.title')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('sync.settings.intro')}
      </Text>
      {configError && (
        <Alert color="red" variant="light" role="alert" mb="sm">
          {configError.message}
        </Alert>
      )}
      {config ? <SyncForm config={config} /> : !configError && <Loader size="sm" />}
    </Paper>
  );
}

function SyncForm({ config }: { config: SyncConfig }) {
  const { t } = useTranslation();
  const saveConfig = useSyncStore((s) => s.saveConfig);
  const testConnection = useSyncStore((s) => s.testConnection);
  const [values, setValues] = useState<SyncFormValues>(() => fromConfig(config));
  const [errors, setErrors] = useState<SyncFormErrors>({});
  const [formError, setFormError] = useState<UiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<TestConnectionResult | null>(null);
  const refs = useRef<Partial<Record<keyof SyncFormValues, HTMLInputElement | null>>>({});

  const saved = fromConfig(config);
  const dirty = values.password !== '' || (Object.keys(saved) as (keyof SyncFormValues)[]).some((k) => String(values[k]) !== String(saved[k]));

  const change = <K extends keyof SyncFormValues>(key: K, value: SyncFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
    setFormError(null);
  };

  /** Shows the problems and puts the cursor in the first field that has one. */
  const check = (purpose: 'save' | 'test'): boolean => {
    const found = validateSyncForm(values, config.hasPassword, purpose);
    setErrors(found);
    const first = FIELD_ORDER.find((k) => found[k]);
    if (first) refs.current[first]?.focus();
    return !first;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !check('save')) return;
    const patch: SyncConfigPatch = {
      serverUrl: values.serverUrl.trim() || null,
      user: values.user.trim() || null,
      enabled: values.enabled,
      intervalMinutes: Number(values.intervalMinutes),
    };
    if (values.password) patch.password = values.password;
    setSaving(true);
    try {
      const next = await saveConfig(patch);
      setValues(fromConfig(next));
      setFormError(null);
      notifications.show({ message: t('sync.settings.saved'), color: 'teal', autoClose: 1500 });
    } catch (error) {
      setFormError(toUiError(error));
    } finally {
      setSaving(false);
    }
  };

  const runTest = async () => {
    if (testing || !check('test')) return;
    const input: TestInput = { serverUrl: values.serverUrl.trim(), user: values.user.trim() };
    if (values.password) input.password = values.password;
    setTesting(true);
    setTest(null);
    try {
      setTest(await testConnection(input));
    } catch (error) {
      setFormError(toUiError(error));
    } finally {
      setTesting(false);
    }
  };

  const forgetPassword = async () => {
    try {
      await saveConfig({ password: null });
      notifications.show({ message: t('sync.settings.passwordForgotten'), color: 'teal', autoClose: 1500 });
    } catch (error) {
      setFormError(toUiError(error));
    }
  };

  const passwordState = config.hasPassword ? (config.passwordPersistent ? 'passwordSaved' : 'passwordSession') : config.passwordPersistent ? 'passwordNone' : 'passwordWillSession';
  const fieldError = (key: keyof SyncFormValues) => (errors[key] ? t(errors[key]) : undefined);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('sync.settings.title')}>
      <Stack gap="sm">
        <TextInput
          ref={(el) => void (refs.current.serverUrl = el)}
          label={t('sync.settings.serverUrl')}
          description={t('sync.settings.serverUrlHint')}
          placeholder="postgres://server:5432/fieldmate"
          value={values.serverUrl}
          onChange={(e) => change('serverUrl', e.currentTarget.value)}
          error={fieldError('serverUrl')}
          maxLength={2048}
          autoComplete="off"
          spellCheck={false}
          data-testid="sync-url"
        />
        <TextInput
          ref={(el) => void (refs.current.user = el)}
          label={t('sync.settings.user')}
          description={t('sync.settings.userHint')}
          value={values.user}
          onChange={(e) => change('user', e.currentTarget.value)}
          error={fieldError('user')}
          maxLength={63}
          autoComplete="username"
          spellCheck={false}
          data-testid="sync-user"
        />
        <div>
          <PasswordInput
            ref={(el) => void (refs.current.password = el)}
            label={t('sync.settings.password')}
            description={t(`sync.settings.${passwordState}`)}
            leftSection={<KeyRound size={14} />}
            value={values.password}
            onChange={(e) => change('password', e.currentTarget.value)}
            error={fieldError('password')}
            maxLength={1024}
            autoComplete="new-password"
            data-testid="sync-password"
            data-password-state={passwordState}
          />
          {config.hasPassword && (
            <Anchor component="button" type="button" size="xs" mt={4} onClick={() => void forgetPassword()} data-testid="sync-forget-password">
              {t('sync.settings.forgetPassword')}
            </Anchor>
          )}
        </div>
        <Group align="flex-end" gap="lg" wrap="wrap">
          <Switch
            label={t('sync.settings.enabled')}
            description={t('sync.settings.enabledHint')}
            checked={values.enabled}
            onChange={(e) => change('enabled', e.currentTarget.checked)}
            style={{ flex: '1 1 240px' }}
            data-testid="sync-enabled"
          />
          <NumberInput
            ref={(el) => void (refs.current.intervalMinutes = el)}
            label={t('sync.settings.interval')}
            min={1}
            max={1440}
            step={5}
            allowDecimal={false}
            allowNegative={false}
            value={values.intervalMinutes}
            onChange={(value) => change('intervalMinutes', value)}
            error={fieldError('intervalMinutes')}
            w={140}
            data-testid="sync-interval"
          />
        </Group>
        <Group justify="space-between" wrap="wrap">
          <Button variant="default" leftSection={<PlugZap size={16} />} loading={testing} onClick={() => void runTest()} data-testid="sync-test">
            {t('sync.settings.test')}
          </Button>
          <Group gap="sm">
            {dirty && (
              <Badge variant="dot" color="yellow" data-testid="sync-unsaved">
                {t('sync.settings.unsaved')}
              </Badge>
            )}
            <Button type="submit" leftSection={<Save size={16} />} loading={saving} data-testid="sync-save">
              {t('sync.settings.save')}
            </Button>
          </Group>
        </Group>
        {formError && (
          <Alert color={formError.code === 'VALIDATION' ? 'yellow' : 'red'} variant="light" role="alert" withCloseButton onClose={() => setFormError(null)} data-testid="sync-form-error">
            {formError.message}
          </Alert>
        )}
        {test && <TestResultView result={test} onClose={() => setTest(null)} />}
      </Stack>
    </form>
  );
}
