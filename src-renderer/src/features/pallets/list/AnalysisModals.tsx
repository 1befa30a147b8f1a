import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PALLET_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { usePalletsStore, type AnalysisSummary } from '../pallets-store';

/** Rename an analysis (Enter saves, Escape closes). */
export function RenameModal({ analysis, onClose }: { analysis: AnalysisSummary | null; onClose(): void }) {
  const { t } = useTranslation();
  const rename = usePalletsStore((s) => s.rename);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    setName(analysis?.name ?? '');
    setError(null);
  }, [analysis]);

  const submit = async () => {
    if (!analysis || !name.trim()) return;
    setBusy(true);
    try {
      await rename(analysis.id, name.trim());
      onClose();
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={analysis !== null} onClose={onClose} title={t('pallets.list.renameTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack>
          {error && <ErrorAlert error={error} />}
          <TextInput label={t('pallets.list.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={PALLET_LIMITS.analysisNameChars} data-autofocus required data-testid="rename-input" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('pallets.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()} data-testid="rename-save">
              {t('pallets.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Confirm before an analysis and its lines are deleted. */
export function DeleteModal({ analysis, onClose }: { analysis: AnalysisSummary | null; onClose(): void }) {
  const { t } = useTranslation();
  const remove = usePalletsStore((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => setError(null), [analysis]);

  const confirm = async () => {
    if (!analysis) return;
    setBusy(true);
    try {
      await remove(analysis.id);
      onClose();
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={analysis !== null} onClose={onClose} title={t('pallets.list.deleteTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <Stack>
          {error && <ErrorAlert error={error} />}
          <Text size="sm">{t('pallets.list.deleteConfirm', { name: analysis?.name ?? '', lines: analysis?.lineCount ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('pallets.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy} data-autofocus data-testid="delete-confirm">
              {t('pallets.list.delete')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
