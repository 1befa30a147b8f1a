import { Alert, Anchor, Badge, Button, FileInput, Group, Loader, NumberInput, Paper, PasswordInput, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { KeyRound, PlugZap, Save, ShieldAlert, ShieldCheck } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncConfig, SyncConfigPatch, TestConnectionResult } from '@shared/contract/sync';
import { SYNC_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useSyncStore, type TestInput } from './sync-store';
import { TestResultView } from './TestResultView';
import { validateSyncForm, type SyncFormErrors, type SyncFormValues } from './validate';

const fromConfig = (config: SyncConfig): SyncFormValues => ({
  serverUrl: config.serverUrl ?? '',
  user: config.user ?? '',
  password: '',
  enabled: config.enabled,
  intervalMinutes: config.intervalMinutes,
  allowInsecure: config.allowInsecure,
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
      <ErrorAlert error={configError} scope="sync.panel" testId="sync-config-error" />
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
  // The chosen CA file's text (undefined: keep the saved one; null: remove it). Read here, so the
  // main process never opens a path the renderer names.
  const [caPem, setCaPem] = useState<{ name: string; pem: string } | null | undefined>(undefined);
  const refs = useRef<Partial<Record<keyof SyncFormValues, HTMLInputElement | null>>>({});

  const saved = fromConfig(config);
  const dirty = values.password !== '' || caPem !== undefined || (Object.keys(saved) as (keyof SyncFormValues)[]).some((k) => String(values[k]) !== String(saved[k]));

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
    patch.allowInsecure = values.allowInsecure;
    if (caPem !== undefined) patch.caCertificate = caPem?.pem ?? null;
    setSaving(true);
    try {
      const next = await saveConfig(patch);
      setValues(fromConfig(next));
      setCaPem(undefined);
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
    input.allowInsecure = values.allowInsecure;
    if (caPem !== undefined) input.caCertificate = caPem?.pem ?? null;
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

  // A fixed-key store (Linux without a keyring) is persistent but not a secret: say so instead of "encrypted".
  const passwordState = !config.passwordPersistent
    ? (config.hasPassword ? 'passwordSession' : 'passwordWillSession')
    : config.passwordWeaklyEncrypted
      ? (config.hasPassword ? 'passwordSavedWeak' : 'passwordWillWeak')
      : (config.hasPassword ? 'passwordSaved' : 'passwordNone');
  const chooseCa = async (file: File | null) => {
    if (!file) return setCaPem(config.caCertificate ? null : undefined);
    setFormError(null);
    setCaPem({ name: file.name, pem: await file.text() });
  };

  const caDescription =
    caPem === null
      ? t('sync.settings.caWillRemove')
      : caPem
        ? t('sync.settings.caChosen')
        : config.caCertificate
          ? t(config.caCertificate.inKeychain ? 'sync.settings.caSavedKeychain' : 'sync.settings.caSavedSettings', { subject: config.caCertificate.subject })
          : t('sync.settings.caNone');
  const fieldError = (key: keyof SyncFormValues) => (errors[key] ? t(errors[key], { max: SYNC_LIMITS.intervalMinutesMax }) : undefined);

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
          maxLength={SYNC_LIMITS.serverUrlChars}
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
          maxLength={SYNC_LIMITS.userChars}
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
            maxLength={SYNC_LIMITS.passwordChars}
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
        <FileInput
          label={t('sync.settings.caFile')}
          description={caDescription}
          placeholder={config.caCertificate && caPem === undefined ? config.caCertificate.subject : t('sync.settings.caPick')}
          leftSection={<ShieldCheck size={14} />}
          accept=".pem,.crt,.cer,application/x-pem-file"
          value={null}
          onChange={(file) => void chooseCa(file)}
          clearable={false}
          data-testid="sync-ca-file"
          data-ca-state={caPem === undefined ? (config.caCertificate ? 'saved' : 'none') : caPem ? 'chosen' : 'remove'}
        />
        {(config.caCertificate || caPem) && caPem !== null && (
          <Anchor component="button" type="button" size="xs" mt={-6} style={{ alignSelf: 'flex-start' }} onClick={() => setCaPem(config.caCertificate ? null : undefined)} data-testid="sync-remove-ca">
            {t('sync.settings.caRemove')}
          </Anchor>
        )}
        <Switch
          label={t('sync.settings.insecure')}
          description={t('sync.settings.insecureHint')}
          color="red"
          checked={values.allowInsecure}
          onChange={(e) => change('allowInsecure', e.currentTarget.checked)}
          data-testid="sync-insecure"
        />
        {values.allowInsecure && (
          <Alert color="red" variant="light" icon={<ShieldAlert size={16} />} data-testid="sync-insecure-warning">
            {t('sync.settings.insecureWarning')}
          </Alert>
        )}
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
            max={SYNC_LIMITS.intervalMinutesMax}
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
        <ErrorAlert error={formError} scope="sync.panel" onClose={() => setFormError(null)} testId="sync-form-error" />
        {test && <TestResultView result={test} onClose={() => setTest(null)} />}
      </Stack>
    </form>
  );
}
