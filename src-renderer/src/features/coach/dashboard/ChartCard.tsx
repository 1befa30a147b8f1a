import { Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled frame for one chart, with a quiet message when there is nothing to draw yet. */
export function ChartCard({ title, empty, emptyText, children, testId }: { title: string; empty: boolean; emptyText: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId} data-empty={empty}>
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {empty ? (
          <Center h={200}>
            <Text size="sm" c="dimmed" ta="center">
              {emptyText}
            </Text>
          </Center>
        ) : (
          children
        )}
      </Stack>
    </Paper>
  );
}
