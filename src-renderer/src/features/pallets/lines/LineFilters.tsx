import { Button, Chip, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { FilterX, Search } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINE_STATUSES, type LineStatus } from '@shared/pallets/fields';
import { formatNumber } from '../format';
import { categoryLabel } from '../labels';
import { useRulesStore } from '../rules/rules-store';
import { usePalletsStore } from '../pallets-store';

const withValue = (data: { value: string; label: string }[], value: string | undefined) => (value && !data.some((d) => d.value === value) ? [...data, { value, label: value }] : data);

/** Search, status chips, category / pallet / rule selects. The state lives in the store (the dashboard links into it). */
export function LineFilters() {
  const { t, i18n } = useTranslation();
  const filter = usePalletsStore((s) => s.filter);
  const setFilter = usePalletsStore((s) => s.setFilter);
  const clearFilter = usePalletsStore((s) => s.clearFilter);
  const info = usePalletsStore((s) => s.analysis);
  const total = usePalletsStore((s) => s.table.total);
  const rules = useRulesStore((s) => s.rules);
  const templates = useRulesStore((s) => s.templates);
  const [search, setSearch] = useState(filter.search ?? '');
  const commitSearch = useDebouncedCallback((value: string) => setFilter({ search: value }), 300);

  useEffect(() => {
    if (!useRulesStore.getState().loaded) void useRulesStore.getState().load();
  }, []);
  useEffect(() => setSearch(filter.search ?? ''), [filter.search]);

  const categories = useMemo(() => (info?.categories ?? []).map((c) => ({ value: c, label: categoryLabel(t, c) })), [info, t]);
  const pallets = useMemo(() => (info?.palletIds ?? []).map((p) => ({ value: p, label: p })), [info]);
  const ruleOptions = useMemo(() => {
    const own = rules.map((r) => ({ value: r.id, label: r.name }));
    const shipped = templates.filter((tpl) => !rules.some((r) => r.id === tpl.id || r.templateId === tpl.id)).map((tpl) => ({ value: tpl.id, label: `${tpl.name} (${t('pallets.rules.template')})` }));
    return [...own, ...shipped];
  }, [rules, templates, t]);
  const active = Object.keys(filter).length > 0;

  return (
    <Group gap="xs" align="flex-end" data-testid="line-filters">
      <TextInput
        size="xs"
        w={200}
        leftSection={<Search size={14} />}
        placeholder={t('pallets.filters.search')}
        aria-label={t('pallets.filters.search')}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          commitSearch(e.currentTarget.value);
        }}
        data-testid="filter-search"
      />
      <Chip.Group multiple value={filter.status ?? []} onChange={(value) => setFilter({ status: value as LineStatus[] })}>
        <Group gap={4}>
          {LINE_STATUSES.map((s) => (
            <Chip key={s} value={s} size="xs" color={s === 'ok' ? 'teal' : s === 'warning' ? 'yellow' : 'red'} wrapperProps={{ 'data-testid': `filter-status-${s}` }}>
              {t(`pallets.status.${s}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Select
        size="xs"
        w={170}
        placeholder={t('pallets.filters.category')}
        aria-label={t('pallets.filters.category')}
        data={withValue(categories, filter.category)}
        value={filter.category ?? null}
        onChange={(value) => setFilter({ category: value ?? undefined })}
        clearable
        searchable
        data-testid="filter-category"
      />
      <Select
        size="xs"
        w={140}
        placeholder={t('pallets.filters.pallet')}
        aria-label={t('pallets.filters.pallet')}
        data={withValue(pallets, filter.palletId)}
        value={filter.palletId ?? null}
        onChange={(value) => setFilter({ palletId: value ?? undefined })}
        clearable
        searchable
        data-testid="filter-pallet"
      />
      <Select
        size="xs"
        w={210}
        placeholder={t('pallets.filters.rule')}
        aria-label={t('pallets.filters.rule')}
        data={withValue(ruleOptions, filter.ruleId)}
        value={filter.ruleId ?? null}
        onChange={(value) => setFilter({ ruleId: value ?? undefined })}
        clearable
        searchable
        data-testid="filter-rule"
      />
      {active && (
        <Button size="xs" variant="subtle" leftSection={<FilterX size={14} />} onClick={clearFilter} data-testid="filter-clear">
          {t('pallets.filters.clear')}
        </Button>
      )}
      <Text size="xs" c="dimmed" ml="auto" data-testid="lines-total" data-total={total ?? ''}>
        {total === null ? t('pallets.loading') : t('pallets.filters.count', { count: total, n: formatNumber(total, i18n.language) })}
      </Text>
    </Group>
  );
}
