import { Badge, Tooltip, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';

interface StatusBarBadgeProps {
  label: string;
  /** What a click does, said to screen readers after the label. */
  actionHint: string;
  color: MantineColor;
  icon: ReactNode;
  details: ReactNode;
  onClick(): void;
  testId: string;
  state: string;
  maw?: number;
}

/** A status-bar item: one word or two, a tooltip with the details, and a click that opens its settings. */
export function StatusBarBadge({ label, actionHint, color, icon, details, onClick, testId, state, maw }: StatusBarBadgeProps) {
  return (
    <Tooltip label={details} multiline>
      <Badge
        component="button"
        type="button"
        variant="light"
        color={color}
        leftSection={icon}
        onClick={onClick}
        aria-label={`${label}. ${actionHint}`}
        maw={maw}
        style={{ cursor: 'pointer' }}
        data-testid={testId}
        data-state={state}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
