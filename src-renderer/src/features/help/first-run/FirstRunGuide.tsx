import { Alert, Button, Code, Group, Modal, Radio, SegmentedControl, Stack, Stepper, Text } from '@mantine/core';
import { FolderOpen } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, Settings } from '@shared/contract/settings';

type Language = Settings['language'];
import { call } from '@renderer/api/client';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { notifyError } from '@renderer/errors/notify-error';
import { setLanguage } from '@renderer/i18n';
import { useNavStore } from '@renderer/stores/nav-store';
import { useSettingsStore } from '@renderer/stores/settings-store';
import { useSystemStore } from '@renderer/stores/system-store';
import { useCoachStore } from '@renderer/features/coach/coach-store';
import { useImportStore } from '@renderer/features/pallets/import/import-store';
import { usePalletsStore } from '@renderer/features/pallets/pallets-store';
import { useFirstRunStore } from './first-run-store';
import { useNextStepStore } from './next-step-store';

const ROLES: Role[] = ['sales', 'pallets', 'both'];

/**
 * The welcome guide: language, what the person does, where the data lives, and sample data. Skippable at
 * every step; "finish" or "skip" records it as done; Settings → General reopens it.
 */
export function FirstRunGuide() {
  const { t } = useTranslation();
  const settings = useSettingsStore((s) => s.settings);
  const update = useSettingsStore((s) => s.update);
  const open = useFirstRunStore((s) => s.open);
  const sample = useFirstRunStore((s) => s.sample);
  const sampleBusy = useFirstRunStore((s) => s.sampleBusy);
  const sampleError = useFirstRunStore((s) => s.sampleError);
  const info = useSystemStore((s) => s.info);
  const [step, setStep] = useState(0);
  const [role, setRole] = useState<Role>(settings?.role ?? 'both');

  useEffect(() => {
    if (settings && !settings.firstRunDone) useFirstRunStore.getState().offerOnce();
  }, [settings]);
  useEffect(() => {
    if (!open) return;
    setStep(0);
    setRole(useSettingsStore.getState().settings?.role ?? 'both');
    void useFirstRunStore.getState().loadSampleStatus();
  }, [open]);

  if (!settings) return null;

  const chooseLanguage = (language: Language) => {
    setLanguage(language);
    void update({ language }).catch((error: unknown) => notifyError(error, t));
  };

  const close = async (finished: boolean) => {
    useFirstRunStore.getState().hide();
    try {
      await update(finished ? { firstRunDone: true, role } : { firstRunDone: true });
    } catch (error) {
      notifyError(error, t);
    }
    if (!finished) return;
    // Where the person starts: the coach with a next step, or the import wizard.
    if (role === 'pallets') {
      usePalletsStore.getState().setTab('analyses');
      useNavStore.getState().go('pallets');
      useImportStore.getState().start();
      return;
    }
    const current = useFirstRunStore.getState().sample;
    const coach = useCoachStore.getState();
    useNavStore.getState().go('coach');
    coach.setTab('coach');
    if (current?.loaded && current.leadId) {
      await coach.loadLeads();
      await coach.selectLead(current.leadId);
      if (current.sessionId) await coach.selectSession(current.sessionId);
      const name = useCoachStore.getState().leads.find((l) => l.id === current.leadId)?.name ?? '';
      useNextStepStore.getState().set(t('help.firstRun.nextSalesSample', { name }));
    } else {
      useNextStepStore.getState().set(t('help.firstRun.nextSales'));
      await coach.startSession();
    }
  };

  const openFolder = () => {
    call('system:openPath', { target: 'dataDir' }).catch((error: unknown) => notifyError(error, t));
  };

  const last = 3;
  return (
    <Modal opened={open} onClose={() => void close(false)} title={t('help.firstRun.title')} size="lg" data-testid="first-run" closeOnClickOutside={false}>
      <Stepper active={step} size="sm" mb="md">
        <Stepper.Step label={t('help.firstRun.languageStep')} />
        <Stepper.Step label={t('help.firstRun.roleStep')} />
        <Stepper.Step label={t('help.firstRun.folderStep')} />
        <Stepper.Step label={t('help.firstRun.sampleStep')} />
      </Stepper>
      {step === 0 && (
        <Stack>
          <Text size="sm">{t('help.firstRun.languageIntro')}</Text>
          <SegmentedControl
            value={settings.language}
            onChange={(value) => chooseLanguage(value as Language)}
            data={[
              { value: 'pl', label: 'Polski' },
              { value: 'en', label: 'English' },
            ]}
            data-testid="first-run-language"
          />
        </Stack>
      )}
      {step === 1 && (
        <Stack>
          <Text size="sm">{t('help.firstRun.roleIntro')}</Text>
          <Radio.Group value={role} onChange={(value) => setRole(value as Role)}>
            <Stack gap="sm">
              {ROLES.map((r) => (
                <Radio key={r} value={r} label={t(`help.firstRun.roles.${r}`)} description={t(`help.firstRun.roles.${r}Hint`)} data-testid={`first-run-role-${r}`} />
              ))}
            </Stack>
          </Radio.Group>
        </Stack>
      )}
      {step === 2 && (
        <Stack>
          <Text size="sm">{t('help.firstRun.folderIntro')}</Text>
          <Code block data-testid="first-run-folder">
            {info?.dataDir ?? ''}
          </Code>
          <Group>
            <Button variant="light" leftSection={<FolderOpen size={16} />} onClick={openFolder}>
              {t('help.firstRun.openFolder')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('help.firstRun.folderChange')}
          </Text>
        </Stack>
      )}
      {step === 3 && (
        <Stack>
          <Text size="sm">{t('help.firstRun.sampleIntro')}</Text>
          <ErrorAlert error={sampleError} />
          {sample?.loaded ? (
            <Alert color="teal" data-testid="first-run-sample-loaded">
              {t('help.firstRun.sampleLoaded')}
            </Alert>
          ) : (
            <Group>
              <Button loading={sampleBusy} onClick={() => void useFirstRunStore.getState().loadSample(settings.language)} data-testid="first-run-sample-load">
                {t('help.firstRun.sampleLoad')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <Group justify="space-between" mt="xl">
        <Button variant="subtle" color="gray" onClick={() => void close(false)} data-testid="first-run-skip">
          {t('help.firstRun.skip')}
        </Button>
        <Group>
          {step > 0 && (
            <Button variant="default" onClick={() => setStep(step - 1)}>
              {t('help.firstRun.back')}
            </Button>
          )}
          {step < last ? (
            <Button onClick={() => setStep(step + 1)} data-testid="first-run-next">
              {t('help.firstRun.next')}
            </Button>
          ) : (
            <Button onClick={() => void close(true)} disabled={sampleBusy} data-testid="first-run-finish">
              {t('help.firstRun.finish')}
            </Button>
          )}
        </Group>
      </Group>
    </Modal>
  );
}
