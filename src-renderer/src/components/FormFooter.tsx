import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface FormFooterProps {
  busy: boolean;
  onCancel(): void;
  /** Shown only when editing an existing record; the first click asks, the second deletes. */
  onDelete?: () => void;
  deleteLabel: string;
  confirmDeleteLabel: string;
  confirmingDelete: boolean;
  deleteTestId: string;
  saveTestId: string;
}

/** The bottom row of an edit form: delete (with a confirming second click) on the left, cancel / save on the right. */
export function FormFooter({ busy, onCancel, onDelete, deleteLabel, confirmDeleteLabel, confirmingDelete, deleteTestId, saveTestId }: FormFooterProps) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="xs">
      {onDelete ? (
        <Button variant="subtle" color="red" onClick={onDelete} disabled={busy} data-testid={deleteTestId}>
          {confirmingDelete ? confirmDeleteLabel : deleteLabel}
        </Button>
      ) : (
        <span />
      )}
      <Group gap="xs">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={busy} data-testid={saveTestId}>
          {t('common.save')}
        </Button>
      </Group>
    </Group>
  );
}
