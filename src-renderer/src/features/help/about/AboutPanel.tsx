import { Button, Code, Group, Table, Text, Title } from '@mantine/core';
import { FileText, FolderOpen } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Licence } from '@shared/contract/system';
import { call } from '@renderer/api/client';
import { notifyError } from '@renderer/errors/notify-error';
import { useSystemStore } from '@renderer/stores/system-store';

/** Version, where the data and the log are (each opened with one click), and the bundled components' licences. */
export function AboutPanel() {
  const { t } = useTranslation();
  const info = useSystemStore((s) => s.info);
  const [licences, setLicences] = useState<Licence[] | null>(null);
  const [showAll, setShowAll] = useState(false);
  useEffect(() => {
    call('system:licences', {})
      .then(({ components }) => setLicences(components))
      .catch((error: unknown) => notifyError(error, t));
  }, [t]);
  if (!info) return null;
  const open = (target: 'dataDir' | 'logFile') => void call('system:openPath', { target }).catch((error: unknown) => notifyError(error, t));
  const logFile = `${info.dataDir}${info.dataDir.includes('\\') ? '\\' : '/'}logs${info.dataDir.includes('\\') ? '\\' : '/'}fieldmate.log`;
  return (
    <>
      <Title order={4} mb="xs">
        {t('help.about.title')}
      </Title>
      <Table withRowBorders={false} data-testid="about-table">
        <Table.Tbody>
          <Table.Tr>
            <Table.Td fw={500}>{t('help.about.version')}</Table.Td>
            <Table.Td>
              <Code data-testid="about-version">{info.appVersion}</Code>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td fw={500}>{t('help.about.runningAs')}</Table.Td>
            <Table.Td>
              <Code>{`${info.transport} · ${info.platform}`}</Code>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td fw={500}>{t('help.about.dataDir')}</Table.Td>
            <Table.Td>
              <Group gap="xs">
                <Code data-testid="about-data-dir">{info.dataDir}</Code>
                <Button size="compact-xs" variant="light" leftSection={<FolderOpen size={12} />} onClick={() => open('dataDir')} data-testid="about-open-data">
                  {t('help.about.open')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td fw={500}>{t('help.about.logFile')}</Table.Td>
            <Table.Td>
              <Group gap="xs">
                <Code>{logFile}</Code>
                <Button size="compact-xs" variant="light" leftSection={<FileText size={12} />} onClick={() => open('logFile')} data-testid="about-open-log">
                  {t('help.about.open')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Title order={5} mt="lg" mb="xs">
        {t('help.about.licences')}
      </Title>
      {licences && (
        <>
          <Button size="xs" variant="subtle" onClick={() => setShowAll(!showAll)} data-testid="about-licences-toggle">
            {showAll ? t('help.about.licencesHide') : t('help.about.licencesShow', { count: licences.length })}
          </Button>
          {showAll && (
            <Table striped data-testid="about-licences">
              <Table.Tbody>
                {licences.map((l) => (
                  <Table.Tr key={`${l.name}@${l.version}`}>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {l.version}
                      </Text>
                    </Table.Td>
                    <Table.Td>{l.license}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </>
  );
}
