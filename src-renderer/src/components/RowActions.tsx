import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { Pencil, Trash2 } from 'lucide-react';

interface RowActionsProps {
  editLabel: string;
  deleteLabel: string;
  onEdit(): void;
  onDelete(): void;
  editTestId: string;
  deleteTestId: string;
}

/** The edit / delete icon pair at the end of a table row, labelled for screen readers and tooltips. */
export function RowActions({ editLabel, deleteLabel, onEdit, onDelete, editTestId, deleteTestId }: RowActionsProps) {
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <Tooltip label={editLabel}>
        <ActionIcon variant="subtle" onClick={onEdit} aria-label={editLabel} data-testid={editTestId}>
          <Pencil size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={deleteLabel}>
        <ActionIcon variant="subtle" color="red" onClick={onDelete} aria-label={deleteLabel} data-testid={deleteTestId}>
          <Trash2 size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
