import { Badge, Group, Text } from '@mantine/core';
import { Database, Wifi, WifiOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ModelStatusBadge } from '../features/models/ModelStatusBadge';
import { SyncStatusBadge } from '../features/sync/SyncStatusBadge';
import { useSystemStore } from '../stores/system-store';

/** Bottom bar: connectivity and database health, always visible. */
export function StatusBar() {
  const { t } = useTranslation();
  const status = useSystemStore((s) => s.status);
  if (!status) {
    return (
      <Text size="xs" c="dimmed" data-testid="status-connecting">
        {t('status.connecting')}
      </Text>
    );
  }
  return (
    <Group gap="md" wrap="nowrap" data-testid="status-bar">
      <Badge
        variant="light"
        color={status.online ? 'teal' : 'gray'}
        leftSection={status.online ? <Wifi size={12} /> : <WifiOff size={12} />}
        data-testid="status-online"
      >
        {status.online ? t('status.online') : t('status.offline')}
      </Badge>
      <Badge variant="light" color={status.db.ok ? 'teal' : 'red'} leftSection={<Database size={12} />} data-testid="status-db">
        {status.db.ok ? t('status.dbOk') : t('status.dbError')} · {t('status.schema', { applied: status.db.schemaApplied, available: status.db.schemaAvailable })}
      </Badge>
      <SyncStatusBadge />
      <ModelStatusBadge />
    </Group>
  );
}
