import { Code, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSystemStore } from '../../stores/system-store';

export function AboutPanel() {
  const { t } = useTranslation();
  const info = useSystemStore((s) => s.info);
  if (!info) return null;
  const rows: [string, string][] = [
    [t('settings.version'), info.appVersion],
    [t('settings.transport'), `${info.transport} · ${info.platform}`],
    [t('settings.dataDir'), info.dataDir],
    [t('settings.dbFile'), info.dbFile],
  ];
  return (
    <>
      <Title order={4} mt="xl" mb="xs">
        {t('settings.about')}
      </Title>
      <Table withRowBorders={false} data-testid="about-table">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td fw={500}>{label}</Table.Td>
              <Table.Td>
                <Code>{value}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
