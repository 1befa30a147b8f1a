import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { FilePlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useModelsStore } from './models-store';

/** "Add GGUF file…": a path typed in (a browser window has no native file dialog), copied or linked. */
export function AddModelForm() {
  const { t } = useTranslation();
  const add = useModelsStore((s) => s.add);
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<'copy' | 'link'>('copy');
  const [busy, setBusy] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [failure, setFailure] = useState<UiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!path.trim()) return setPathError(t('models.add.pathRequired'));
    setPathError(null);
    setFailure(null);
    setBusy(true);
    try {
      const entry = await add(path.trim(), mode);
      setPath('');
      notifications.show({ color: 'teal', message: t('models.add.done', { name: entry.fileName }) });
    } catch (error) {
      setFailure(toUiError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="models-add">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <Title order={4}>{t('models.add.title')}</Title>
          <TextInput label={t('models.add.path')} description={t('models.add.pathHint')} value={path} onChange={(e) => setPath(e.currentTarget.value)} error={pathError} data-testid="add-path" />
          <div>
            <Text size="sm" fw={500} mb={4} id="add-mode-label">
              {t('models.add.mode')}
            </Text>
            <SegmentedControl
              aria-labelledby="add-mode-label"
              value={mode}
              onChange={(value) => setMode(value === 'link' ? 'link' : 'copy')}
              data={[
                { value: 'copy', label: t('models.add.copy') },
                { value: 'link', label: t('models.add.link') },
              ]}
              data-testid="add-mode"
            />
          </div>
          <ErrorAlert error={failure} title={t('models.add.failed')} onClose={() => setFailure(null)} testId="add-error" />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<FilePlus size={14} />} loading={busy} data-testid="add-submit">
              {t('models.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
