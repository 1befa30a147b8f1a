import { Badge } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineStatus } from '@shared/pallets/fields';
import { STATUS_COLOR } from './format';

/**
 * A badge never narrower than its label: Mantine's badge shrinks to the room it is given and cuts the
 * label with an ellipsis, and the Polish labels ("OSTRZEŻENIE", "ZABLOKOWANA") are long. Columns that
 * hold badges are sized for the longest label instead.
 */
export const WHOLE_LABEL: CSSProperties = { minWidth: 'max-content', flexShrink: 0 };

export function StatusBadge({ status, size = 'sm' }: { status: LineStatus; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size={size} data-status={status} style={WHOLE_LABEL}>
      {t(`pallets.status.${status}`)}
    </Badge>
  );
}

/** Three small counters (ok / warning / blocked), optionally clickable to filter by that status. */
export function StatusCounts({ statuses, onPick }: { statuses: Record<LineStatus, number>; onPick?: (status: LineStatus) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {(['ok', 'warning', 'blocked'] as const).map((status) => (
        <Badge
          key={status}
          color={STATUS_COLOR[status]}
          variant={statuses[status] > 0 ? 'light' : 'outline'}
          size="sm"
          data-testid={`count-${status}`}
          data-count={statuses[status]}
          style={onPick ? { cursor: 'pointer' } : undefined}
          onClick={onPick ? () => onPick(status) : undefined}
          component={onPick ? 'button' : 'div'}
          title={t(`pallets.status.${status}`)}
        >
          {t(`pallets.status.${status}`)}: {statuses[status].toLocaleString(i18n.language)}
        </Badge>
      ))}
    </>
  );
}
