import { Alert, Button, Group } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { UiError } from './errors';

const KNOWN = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'CANCELLED', 'TIMEOUT', 'UNAVAILABLE', 'MODEL_ERROR', 'IMPORT_ERROR', 'INTERNAL']);

/** An ApiError for people: a translated heading from its code and the main process's sentence. */
export function ErrorAlert({ error, onRetry, onClose, testId }: { error: UiError | null; onRetry?: () => void; onClose?: () => void; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = KNOWN.has(error.code) ? error.code : 'INTERNAL';
  return (
    <Alert
      color={code === 'VALIDATION' ? 'yellow' : 'red'}
      variant="light"
      icon={<CircleAlert size={18} />}
      title={t(`coach.errorTitle.${code}`)}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      role="alert"
      data-testid={testId ?? 'coach-error'}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <span>{error.message}</span>
        {onRetry && (
          <Button size="compact-xs" variant="light" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
