import { Kbd, Modal, Table } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useShortcutsStore } from './shortcuts-store';

/** Every keyboard shortcut of the app, shown with `?` (Shift+/) anywhere outside a text field. */
const SHORTCUTS: { keys: string[]; label: string }[] = [
  { keys: ['Ctrl', '1'], label: 'coach' },
  { keys: ['Ctrl', '2'], label: 'pallets' },
  { keys: ['Ctrl', '3'], label: 'dashboard' },
  { keys: ['Ctrl', '4'], label: 'settings' },
  { keys: ['?'], label: 'help' },
  { keys: ['Enter'], label: 'send' },
  { keys: ['Shift', 'Enter'], label: 'newline' },
  { keys: ['Esc'], label: 'close' },
];

export function ShortcutsDialog() {
  const { t } = useTranslation();
  const open = useShortcutsStore((s) => s.open);
  const setOpen = useShortcutsStore((s) => s.setOpen);
  // `?` is Shift+/ on most layouts; Mantine ignores hotkeys typed into inputs by default.
  useHotkeys([
    ['shift+/', () => setOpen(true)],
    ['shift+?', () => setOpen(true)],
  ]);
  return (
    <Modal opened={open} onClose={() => setOpen(false)} title={t('help.shortcuts.title')} data-testid="shortcuts">
      <Table withRowBorders={false}>
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.label}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{t(`help.shortcuts.keys.${s.label}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
