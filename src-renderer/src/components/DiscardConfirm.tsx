import { Button, Group, Modal, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface DiscardConfirmProps {
  opened: boolean;
  onKeep(): void;
  onDiscard(): void;
}

/**
 * "Discard changes?" over an edit dialog. Keep editing has the focus, so Enter and Escape both return
 * to the form: throwing work away takes a deliberate Tab to Discard (or a click). Escape is read from
 * the dialog's own keys, not from the window as Mantine does: the Escape that opened the question is
 * still being dispatched to window listeners when it appears, and must not answer it at once.
 */
export function DiscardConfirm({ opened, onKeep, onDiscard }: DiscardConfirmProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onKeep} closeOnEscape={false} withCloseButton={false} title={t('discard.title')} size="sm" zIndex={400} centered data-testid="discard-confirm">
      <div
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.stopPropagation();
          onKeep();
        }}
      >
        <Text size="sm">{t('discard.text')}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onKeep} data-autofocus data-testid="discard-keep">
            {t('discard.keep')}
          </Button>
          <Button color="red" onClick={onDiscard} data-testid="discard-discard">
            {t('discard.discard')}
          </Button>
        </Group>
      </div>
    </Modal>
  );
}

/**
 * Guards an edit dialog's close (Escape, ×, Cancel, click outside): a clean form closes at once, a
 * changed one asks first. While the question is on screen the dialog passes `asking` to its
 * closeOnEscape and trapFocus (as Mantine's Modal.Stack does for the modal below the top one), so one
 * Escape never reaches both dialogs and the dialog's focus trap does not pull the focus back to itself.
 */
export function useDiscardGuard(dirty: boolean, close: () => void) {
  const [asking, setAsking] = useState(false);
  const requestClose = useCallback(() => (dirty ? setAsking(true) : close()), [dirty, close]);
  const keep = useCallback(() => setAsking(false), []);
  const discard = useCallback(() => {
    setAsking(false);
    close();
  }, [close]);
  return { requestClose, asking, confirmProps: { opened: asking, onKeep: keep, onDiscard: discard } };
}
