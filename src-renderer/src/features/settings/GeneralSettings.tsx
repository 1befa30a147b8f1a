import { NumberInput, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Settings } from '@shared/contract/settings';
import { SETTINGS_LIMITS } from '@shared/contract/limits';
import { notifyError } from '@renderer/errors/notify-error';
import { useSettingsStore } from '@renderer/stores/settings-store';

/** Language, theme and defaults; every change is saved at once through IPC. */
export function GeneralSettings() {
  const { t } = useTranslation();
  const settings = useSettingsStore((s) => s.settings);
  const update = useSettingsStore((s) => s.update);
  if (!settings) return <Text>{t('common.loading')}</Text>;

  const save = (patch: Partial<Settings>) =>
    update(patch)
      .then(() => notifications.show({ message: t('common.saved'), color: 'teal', autoClose: 1200 }))
      .catch((error: unknown) => notifyError(error, t));

  return (
    <Stack maw={420}>
      <Select
        label={t('settings.language')}
        data={[
          { value: 'pl', label: 'Polski' },
          { value: 'en', label: 'English' },
        ]}
        value={settings.language}
        allowDeselect={false}
        onChange={(value) => value && void save({ language: value as Settings['language'] })}
        data-testid="settings-language"
      />
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('settings.theme')}
        </Text>
        <SegmentedControl
          value={settings.theme}
          onChange={(value) => void save({ theme: value as Settings['theme'] })}
          data={[
            { value: 'light', label: t('settings.themeLight') },
            { value: 'dark', label: t('settings.themeDark') },
            { value: 'system', label: t('settings.themeSystem') },
          ]}
          data-testid="settings-theme"
        />
      </div>
      <NumberInput
        label={t('settings.threads')}
        description={t('settings.threadsHint')}
        min={1}
        max={SETTINGS_LIMITS.threadsMax}
        value={settings.llmThreads ?? ''}
        onBlur={(event) => {
          const raw = event.currentTarget.value.trim();
          const value = raw === '' ? null : Number(raw);
          if (value === settings.llmThreads || (value !== null && (!Number.isInteger(value) || value < 1))) return;
          void save({ llmThreads: value });
        }}
        data-testid="settings-threads"
      />
      <NumberInput
        label={t('settings.vatRate')}
        min={0}
        max={SETTINGS_LIMITS.vatRateMax}
        decimalScale={2}
        defaultValue={settings.vatRate}
        onBlur={(event) => {
          const value = Number(event.currentTarget.value.replace(',', '.'));
          if (Number.isFinite(value) && value !== settings.vatRate && value >= 0 && value <= 100) void save({ vatRate: value });
        }}
        data-testid="settings-vat"
      />
    </Stack>
  );
}
