import { Paper, Text, type MantineSize } from '@mantine/core';
import type { ReactNode } from 'react';

/** One headline number of a dashboard: a small upper-case label over the value. */
export function KpiCard({ label, value, testId, size = 'lg', padding = 'xs' }: { label: string; value: ReactNode; testId: string; size?: MantineSize; padding?: MantineSize }) {
  return (
    <Paper withBorder p={padding} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size={size} data-testid="kpi-value">
        {value}
      </Text>
    </Paper>
  );
}
