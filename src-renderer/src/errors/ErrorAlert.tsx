import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ERROR_COLORS, errorTextKeys } from './error-texts';
import type { UiError } from './ui-error';

interface ErrorAlertProps {
  error: UiError | null;
  onRetry?: () => void;
  onClose?: () => void;
  testId?: string;
  /** What failed, when the screen knows better than the code ("Could not add the model"). */
  title?: string;
  /** Translation namespace whose `errors` (ErrorTextOverrides) word some codes for this screen. */
  scope?: string;
  icon?: ReactNode;
  /** Shown after the hint, on the same line ("at 14:02"). */
  footer?: ReactNode;
}

/**
 * Every error on screen: a title and a hint translated from the contract's code, the sentence the core
 * wrote between them, and optional Retry / close. `data-code` carries the code for tests.
 */
export function ErrorAlert({ error, onRetry, onClose, testId = 'error-alert', title, scope, icon, footer }: ErrorAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const keys = errorTextKeys(error.code, scope);
  return (
    <Alert
      color={ERROR_COLORS[error.code]}
      variant="light"
      icon={icon ?? <CircleAlert size={18} />}
      title={title ?? t(keys.title)}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      role="alert"
      data-testid={testId}
      data-code={error.code}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          <Text size="sm">{error.message}</Text>
          <Text size="xs" c="dimmed">
            {t(keys.hint)}
            {footer && <> · {footer}</>}
          </Text>
        </Stack>
        {onRetry && (
          <Button size="compact-xs" variant="light" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
