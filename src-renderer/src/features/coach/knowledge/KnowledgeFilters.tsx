import { Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { archetypeOptions, categoryOptions, kindOptions, languageOptions } from '../labels';
import { useKnowledgeStore, type KnowledgeFilters as Filters } from './knowledge-store';

/** Kind, language, objection category and archetype filters (shared by the list and the search). */
export function KnowledgeFilters() {
  const { t } = useTranslation();
  const filters = useKnowledgeStore((s) => s.filters);
  const setFilter = useKnowledgeStore((s) => s.setFilter);
  const select = <K extends keyof Filters>(key: K, label: string, data: { value: string; label: string }[]) => (
    <Select
      size="xs"
      w={170}
      label={label}
      placeholder={t('coach.knowledge.any')}
      data={data}
      value={filters[key]}
      clearable
      onChange={(value) => setFilter(key, value as Filters[K])}
      data-testid={`knowledge-filter-${key}`}
    />
  );
  return (
    <Group gap="xs" align="flex-end">
      {select('kind', t('coach.knowledge.kind'), kindOptions(t))}
      {select('language', t('coach.knowledge.language'), languageOptions(t))}
      {select('category', t('coach.knowledge.category'), categoryOptions(t))}
      {select('archetype', t('coach.knowledge.archetype'), archetypeOptions(t))}
    </Group>
  );
}
