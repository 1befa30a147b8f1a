import { Alert, Button, Group, Kbd, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { Send, Square } from 'lucide-react';
import { useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sanitizeText } from '@shared/coaching/normalize';
import { TEXT_LIMITS } from '@shared/contract/limits';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { useCoachStore, type Speaker } from '../coach-store';

/** A paste notice shown right away, before anything is sent. */
interface PasteNote {
  length: number;
  cut: boolean;
  controls: number;
}

const EMPTY = { text: '', role: 'client' as Speaker };

/**
 * The message box: what the client (or the salesperson) said. Enter or Ctrl/⌘+Enter sends,
 * Shift+Enter adds a line, Esc stops a streaming reply. The draft lives in the store per session.
 */
export function Composer({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const draft = useCoachStore((s) => s.drafts[sessionId]) ?? EMPTY;
  const setDraft = useCoachStore((s) => s.setDraft);
  const send = useCoachStore((s) => s.send);
  const sending = useCoachStore((s) => s.sending);
  const sendError = useCoachStore((s) => s.sendError);
  const clearSendError = useCoachStore((s) => s.clearSendError);
  const stop = useCoachStore((s) => s.stop);
  const streaming = useCoachStore((s) => Object.values(s.replies).find((r) => r.sessionId === sessionId && r.forMessageId !== null));
  const [hint, setHint] = useState<string | null>(null);
  const [paste, setPaste] = useState<PasteNote | null>(null);

  const submit = async () => {
    if (!draft.text.trim()) return setHint(draft.role === 'client' ? t('coach.composer.emptyClient') : t('coach.composer.emptySalesperson'));
    setHint(null);
    if (await send()) setPaste(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape' && streaming) {
      event.preventDefault();
      void stop(streaming.requestId);
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = event.clipboardData.getData('text');
    const target = event.currentTarget;
    const next = target.value.slice(0, target.selectionStart) + pasted + target.value.slice(target.selectionEnd);
    const controls = sanitizeText(pasted, Number.MAX_SAFE_INTEGER).removedControl;
    if (next.length <= TEXT_LIMITS.pastedChars && pasted.length < 2000 && controls === 0) return setPaste(null);
    setPaste({ length: next.length, cut: next.length > TEXT_LIMITS.pastedChars, controls });
    if (next.length > TEXT_LIMITS.pastedChars) {
      // Longer than a message may be: keep the beginning, and say so (the contract would refuse it whole).
      event.preventDefault();
      setDraft(sessionId, { text: next.slice(0, TEXT_LIMITS.pastedChars) });
    }
  };

  return (
    <Stack gap={6} data-testid="composer">
      <Group justify="space-between" gap="xs">
        <SegmentedControl
          size="xs"
          value={draft.role}
          onChange={(value) => setDraft(sessionId, { role: value === 'salesperson' ? 'salesperson' : 'client' })}
          data={[
            { value: 'client', label: t('coach.composer.client') },
            { value: 'salesperson', label: t('coach.composer.salesperson') },
          ]}
          aria-label={t('coach.composer.role')}
          data-testid="composer-role"
        />
        <Text size="xs" c="dimmed" visibleFrom="sm">
          <Kbd size="xs">Enter</Kbd> {t('coach.composer.send')} · <Kbd size="xs">Shift</Kbd>+<Kbd size="xs">Enter</Kbd> {t('coach.composer.newline')}
          {streaming && (
            <>
              {' · '}
              <Kbd size="xs">Esc</Kbd> {t('coach.chat.stop')}
            </>
          )}
        </Text>
      </Group>
      {paste && (
        <Alert variant="light" color="yellow" py={6} withCloseButton onClose={() => setPaste(null)} data-testid="paste-notice">
          <Text size="sm">
            {paste.cut ? t('coach.composer.pasteCut', { max: TEXT_LIMITS.pastedChars.toLocaleString(i18n.language) }) : t('coach.composer.pasteLong', { length: paste.length.toLocaleString(i18n.language) })}
            {paste.controls > 0 && ` ${t('coach.composer.pasteControls', { n: paste.controls })}`}
          </Text>
        </Alert>
      )}
      <Textarea
        autosize
        minRows={2}
        maxRows={7}
        placeholder={draft.role === 'client' ? t('coach.composer.placeholderClient') : t('coach.composer.placeholderSalesperson')}
        aria-label={draft.role === 'client' ? t('coach.composer.placeholderClient') : t('coach.composer.placeholderSalesperson')}
        value={draft.text}
        onChange={(e) => {
          setDraft(sessionId, { text: e.currentTarget.value.slice(0, TEXT_LIMITS.pastedChars) });
          if (hint) setHint(null);
          if (sendError) clearSendError();
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        error={hint}
        data-testid="composer-input"
      />
      <ErrorAlert error={sendError} onClose={clearSendError} testId="send-error" />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {draft.text.length > 1000 ? t('coach.composer.length', { length: draft.text.length.toLocaleString(i18n.language) }) : ''}
        </Text>
        <Group gap="xs">
          {streaming && (
            <Button variant="light" color="red" leftSection={<Square size={14} />} onClick={() => void stop(streaming.requestId)} loading={streaming.stopping} data-testid="composer-stop">
              {t('coach.chat.stop')}
            </Button>
          )}
          <Button leftSection={<Send size={14} />} onClick={() => void submit()} loading={sending} data-testid="composer-send">
            {t('coach.composer.sendButton')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
