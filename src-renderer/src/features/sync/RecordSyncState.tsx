import { Badge, ThemeIcon, Tooltip, type MantineColor } from '@mantine/core';
import { CloudCheck, CloudExclamationPoint, CloudUpload } from 'lucide-react';
import { useEffect, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordSyncState as State } from '@shared/contract/sync';
import { useSyncStore } from './sync-store';

interface Props {
  /** SQL name of a synced table: `leads`, `pallet_items`, … */
  table: string;
  id: string;
  /** Icon only (lists); the word is in the tooltip and the accessible name. */
  compact?: boolean;
}

const LOOK: Record<State, { color: MantineColor; Icon: ComponentType<{ size?: number }> }> = {
  pending: { color: 'yellow', Icon: CloudUpload },
  synced: { color: 'teal', Icon: CloudCheck },
  rejected: { color: 'red', Icon: CloudExclamationPoint },
};

/**
 * Whether this record reached the team server: pending / synced / rejected. Badges on one screen share
 * one `sync:recordStates` request and refresh when the sync status changes. Shows nothing until the
 * state is known, or while sync is not set up (then every record would read "pending").
 */
export function RecordSyncState({ table, id, compact = false }: Props) {
  const { t } = useTranslation();
  const entry = useSyncStore((s) => s.records[table]?.[id]);
  const configured = useSyncStore((s) => s.status?.configured);

  useEffect(() => useSyncStore.getState().watchRecord(table, id), [table, id]);

  if (!entry || configured === false) return null;
  const { color, Icon } = LOOK[entry.state];
  const label = t(`sync.record.${entry.state}`);
  const hint = entry.state === 'rejected' ? t('sync.record.rejectedHint', { reason: entry.reason ?? '' }) : t(`sync.record.${entry.state}Hint`);
  return (
    <Tooltip label={hint} multiline maw={320}>
      <span data-testid="record-sync-state" data-state={entry.state} data-record-id={id} role="img" aria-label={`${label}: ${hint}`} style={{ display: 'inline-flex' }}>
        {compact ? (
          <ThemeIcon size={20} radius="xl" variant="light" color={color}>
            <Icon size={12} />
          </ThemeIcon>
        ) : (
          <Badge size="xs" variant="light" color={color} leftSection={<Icon size={10} />}>
            {label}
          </Badge>
        )}
      </span>
    </Tooltip>
  );
}
