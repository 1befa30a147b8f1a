import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RuleAction } from '@shared/pallets/rules';
import { WHOLE_LABEL } from '../StatusBadge';

export const ACTION_COLOR: Record<RuleAction, string> = { block: 'red', warn: 'yellow', prefer: 'teal' };

/** A rule's action (block / warn / prefer), never cut short. */
export function ActionBadge({ action, size }: { action: RuleAction; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge color={ACTION_COLOR[action]} variant="light" size={size} style={WHOLE_LABEL} data-action={action}>
      {t(`pallets.rules.actions.${action}`)}
    </Badge>
  );
}
