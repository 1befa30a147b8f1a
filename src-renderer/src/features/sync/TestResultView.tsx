import { Alert, Flex, Text } from '@mantine/core';
import { CircleCheck, PlugZap } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { TestConnectionResult } from '@shared/contract/sync';
import { useSystemStore } from '@renderer/stores/system-store';

/** The outcome of "Test connection": the main process's sentence and what it learnt about the server. */
export function TestResultView({ result, onClose }: { result: TestConnectionResult; onClose(): void }) {
  const { t } = useTranslation();
  const unknown = t('sync.settings.unknown');
  // The local database's schema exactly as the status bar shows it; the sync versions are a different number.
  const db = useSystemStore((s) => s.status?.db);
  const facts: [string, string, string][] = [
    ['team', t('sync.settings.team'), result.team ?? unknown],
    ['server-schema', t('sync.settings.serverSchema'), result.serverSchema === null ? unknown : String(result.serverSchema)],
    ['client-schema', t('sync.settings.clientSchema'), String(result.clientSchema)],
    ['store-schema', t('sync.settings.storeSchema'), db ? `${db.schemaApplied}/${db.schemaAvailable}` : unknown],
    ['latency', t('sync.settings.latency'), result.latencyMs === null ? unknown : t('sync.settings.latencyValue', { ms: Math.max(1, Math.round(result.latencyMs)) })],
  ];
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      variant="light"
      icon={result.ok ? <CircleCheck size={18} /> : <PlugZap size={18} />}
      title={result.ok ? t('sync.settings.testOk') : t('sync.settings.testFailed')}
      withCloseButton
      closeButtonLabel={t('common.close')}
      onClose={onClose}
      role={result.ok ? 'status' : 'alert'}
      data-testid="sync-test-result"
      data-ok={result.ok}
    >
      <Text size="sm" data-testid="sync-test-message">
        {result.message}
      </Text>
      <Flex columnGap="lg" rowGap={2} mt={6} wrap="wrap">
        {facts
          .filter(([key]) => result.ok || key === 'client-schema' || key === 'store-schema' || (key === 'server-schema' && result.serverSchema !== null))
          .map(([key, label, value]) => (
            <Text key={key} size="xs" c="dimmed" data-testid={`sync-test-${key}`}>
              {label}:{' '}
              <Text span fw={600} c="var(--mantine-color-text)" size="xs">
                {value}
              </Text>
            </Text>
          ))}
      </Flex>
    </Alert>
  );
}
