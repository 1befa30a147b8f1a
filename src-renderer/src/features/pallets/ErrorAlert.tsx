import { Alert, Button, Group, Text } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { UiError } from './errors';

const KNOWN = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'CANCELLED', 'TIMEOUT', 'UNAVAILABLE', 'IMPORT_ERROR', 'UNKNOWN_CHANNEL', 'INTERNAL']);

/** One error: a translated heading from its code and the sentence the main process wrote. */
export function ErrorAlert({ error, onRetry, onClose, testId = 'pallets-error' }: { error: UiError; onRetry?: () => void; onClose?: () => void; testId?: string }) {
  const { t } = useTranslation();
  const code = KNOWN.has(error.code) ? error.code : 'INTERNAL';
  return (
    <Alert
      color={error.code === 'CANCELLED' ? 'gray' : 'red'}
      variant="light"
      icon={<CircleAlert size={18} />}
      title={t(`pallets.errorTitle.${code}`)}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      data-testid={testId}
      data-code={error.code}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">{error.message}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('pallets.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
