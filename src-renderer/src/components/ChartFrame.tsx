import { Badge, Center, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface ChartLink {
  key: string;
  label: string;
  count: string;
  color?: string;
  onClick?: () => void;
}

/**
 * A titled frame for one chart, with a quiet message when there is nothing to draw, and the chart's
 * items as small buttons below it (the keyboard's way to follow a chart into the filtered lines).
 */
export function ChartFrame({ title, empty, emptyText, children, testId, links }: { title: string; empty: boolean; emptyText: string; children: ReactNode; testId: string; links?: ChartLink[] }) {
  return (
    <Paper withBorder p="sm" data-testid={testId} data-empty={empty}>
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {empty ? (
          <Center h={220}>
            <Text size="sm" c="dimmed" ta="center">
              {emptyText}
            </Text>
          </Center>
        ) : (
          children
        )}
        {!empty && links && links.length > 0 && (
          <Group gap={4}>
            {links.map((l) => (
              <Badge
                key={l.key}
                variant="light"
                color={l.color ?? 'gray'}
                tt="none"
                component={l.onClick ? 'button' : undefined}
                onClick={l.onClick}
                style={l.onClick ? { cursor: 'pointer' } : undefined}
                data-testid="chart-link"
                data-key={l.key}
              >
                {l.label}: {l.count}
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
