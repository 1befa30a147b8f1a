import { Button, Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** An empty page or panel: what is missing, what to do next, and a button that does it. */
export function EmptyState({ icon, title, hint, action, onAction, testId }: { icon?: ReactNode; title: string; hint: string; action?: string; onAction?: () => void; testId: string }) {
  return (
    <Paper withBorder p="xl" data-testid={testId}>
      <Center>
        <Stack align="center" gap="sm" maw={460}>
          {icon}
          <Text ta="center" fw={600}>
            {title}
          </Text>
          <Text ta="center" size="sm" c="dimmed">
            {hint}
          </Text>
          {action && onAction && (
            <Button onClick={onAction} data-testid={`${testId}-action`}>
              {action}
            </Button>
          )}
        </Stack>
      </Center>
    </Paper>
  );
}
