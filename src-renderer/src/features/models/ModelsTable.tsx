import { Badge, Group, Table, Text } from '@mantine/core';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ModelEntry } from '@shared/contract/models';
import { formatBytes, formatNumber, formatParameters, formatQuantisation } from './format';

interface Props {
  models: ModelEntry[];
  selected: string | null;
  onSelect(path: string): void;
}

/** One row per GGUF file; a row is selectable by click or Enter / Space. */
export function ModelsTable({ models, selected, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = t('models.unknown');
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="models-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('models.col.file')}</Table.Th>
            <Table.Th>{t('models.col.source')}</Table.Th>
            <Table.Th ta="right">{t('models.col.size')}</Table.Th>
            <Table.Th>{t('models.col.architecture')}</Table.Th>
            <Table.Th ta="right">{t('models.col.parameters')}</Table.Th>
            <Table.Th>{t('models.col.quantisation')}</Table.Th>
            <Table.Th ta="right">{t('models.col.context')}</Table.Th>
            <Table.Th>{t('models.col.chatTemplate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {models.map((m) => {
            const s = m.summary;
            const problem = m.broken ?? m.error ?? (s && !s.loadable ? s.problems.join(' ') : null);
            const isSelected = m.path === selected;
            return (
              <Table.Tr
                key={m.path}
                tabIndex={0}
                aria-selected={isSelected}
                aria-label={t('models.select', { name: m.fileName })}
                onClick={() => onSelect(m.path)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  onSelect(m.path);
                }}
                bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ cursor: 'pointer' }}
                data-testid="model-row"
                data-file={m.fileName}
                data-selected={isSelected}
              >
                <Table.Td miw={200} maw={320}>
                  <Text size="sm" fw={500} truncate="end" title={m.path} data-testid="model-file">
                    {m.fileName}
                  </Text>
                  {(m.loaded || problem) && (
                    <Group gap={4} mt={2}>
                      {m.loaded && (
                        <Badge size="sm" color="teal" variant="light" leftSection={<CircleCheck size={12} />} data-testid="model-loaded">
                          {t('models.loaded')}
                        </Badge>
                      )}
                      {problem && (
                        <Badge size="sm" color="red" variant="light" leftSection={<CircleAlert size={12} />}>
                          {m.broken ? t('models.broken') : t('models.problems')}
                        </Badge>
                      )}
                    </Group>
                  )}
                  {problem && (
                    <Text size="xs" c="red" lineClamp={2} title={problem} data-testid="model-problem">
                      {problem}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {t(`models.source.${m.source}`)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatBytes(m.sizeBytes, lang)}
                </Table.Td>
                <Table.Td data-testid="model-architecture">{s?.architecture ?? dash}</Table.Td>
                <Table.Td ta="right">{s?.parameterCount != null ? formatParameters(s.parameterCount, lang) : dash}</Table.Td>
                <Table.Td>{s?.quantisation ? formatQuantisation(s.quantisation) : dash}</Table.Td>
                <Table.Td ta="right">{s?.contextLength != null ? formatNumber(s.contextLength, lang) : dash}</Table.Td>
                <Table.Td data-testid="model-chat-template">{s ? (s.chatTemplate ? t('models.yes') : t('models.no')) : dash}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
