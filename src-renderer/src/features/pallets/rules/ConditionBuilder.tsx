import { ActionIcon, Button, Checkbox, Group, MultiSelect, Paper, SegmentedControl, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { Plus, X } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORY_KEYS } from '@shared/pallets/categories';
import { CANONICAL_FIELDS } from '@shared/pallets/fields';
import type { RuleField } from '@shared/pallets/rules';
import { categoryLabel } from '../labels';
import { isNumericField, newGroup, newLeaf, opsFor, RULE_FIELDS, updateNode, valueChoices, type ConditionNode, type GroupMode, type GroupNode, type LeafNode, type Op, type Problem } from './condition-model';

const MAX_DEPTH = 3;

interface Ctx {
  root: GroupNode;
  onChange(root: GroupNode): void;
  problems: Problem[];
  /** Categories worth offering: the canonical ones plus those of the previewed analysis. */
  categories: string[];
}

/** All / any / none groups of conditions: field, operator, value(s). */
export function ConditionBuilder({ root, onChange, problems, categories }: Omit<Ctx, 'categories'> & { categories: readonly string[] }) {
  const all = useMemo(() => [...new Set([...CATEGORY_KEYS, ...categories])], [categories]);
  return <GroupEditor group={root} depth={0} ctx={{ root, onChange, problems, categories: all }} />;
}

function GroupEditor({ group, depth, ctx }: { group: GroupNode; depth: number; ctx: Ctx }) {
  const { t } = useTranslation();
  const change = (fn: (node: ConditionNode) => ConditionNode | null) => ctx.onChange(updateNode(ctx.root, group.key, fn));
  const add = (node: ConditionNode) => change((g) => (g.kind === 'group' ? { ...g, items: [...g.items, node] } : g));
  const empty = ctx.problems.some((p) => p.key === group.key);

  return (
    <Paper withBorder p="xs" radius="md" bg={depth % 2 === 1 ? 'var(--mantine-color-default-hover)' : undefined} data-testid="condition-group" data-depth={depth}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={group.mode}
            onChange={(mode) => change((g) => (g.kind === 'group' ? { ...g, mode: mode as GroupMode } : g))}
            data={(['all', 'any', 'none'] as const).map((m) => ({ value: m, label: t(`pallets.rules.group.${m}`) }))}
            data-testid="group-mode"
          />
          {depth > 0 && (
            <ActionIcon variant="subtle" color="gray" onClick={() => change(() => null)} aria-label={t('pallets.rules.removeGroup')}>
              <X size={16} />
            </ActionIcon>
          )}
        </Group>
        {group.items.map((item) =>
          item.kind === 'leaf' ? <LeafEditor key={item.key} leaf={item} ctx={ctx} /> : <GroupEditor key={item.key} group={item} depth={depth + 1} ctx={ctx} />,
        )}
        {empty && (
          <Text size="xs" c="red">
            {t('pallets.rules.problem.empty')}
          </Text>
        )}
        <Group gap="xs">
          <Button size="compact-xs" variant="light" leftSection={<Plus size={12} />} onClick={() => add(newLeaf())} data-testid="add-condition">
            {t('pallets.rules.addCondition')}
          </Button>
          {depth + 1 < MAX_DEPTH && (
            <Button size="compact-xs" variant="subtle" leftSection={<Plus size={12} />} onClick={() => add(newGroup(group.mode === 'all' ? 'any' : 'all'))} data-testid="add-group">
              {t('pallets.rules.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function LeafEditor({ leaf, ctx }: { leaf: LeafNode; ctx: Ctx }) {
  const { t } = useTranslation();
  const change = (patch: Partial<LeafNode>) => ctx.onChange(updateNode(ctx.root, leaf.key, (n) => (n.kind === 'leaf' ? { ...n, ...patch } : n)));
  const problem = ctx.problems.find((p) => p.key === leaf.key)?.problem;
  const error = problem ? t(`pallets.rules.problem.${problem}`) : undefined;
  const fields = useMemo(
    () => RULE_FIELDS.map((f) => ({ value: f, label: (CANONICAL_FIELDS as readonly string[]).includes(f) ? t(`pallets.fields.${f}`) : t(`pallets.virtualFields.${f}`) })),
    [t],
  );
  const ops = opsFor(leaf.field);
  const closed = valueChoices(leaf.field);
  const choices = closed
    ? closed.map((v) => ({ value: v, label: leaf.field === 'condition' ? t(`pallets.conditions.${v}`) : leaf.field === 'issues' ? t(`pallets.fields.${v}`) : t(`pallets.eanStatus.${v}`) }))
    : leaf.field === 'category'
      ? ctx.categories.map((c) => ({ value: c, label: categoryLabel(t, c) }))
      : null;
  const numeric = isNumericField(leaf.field);

  const value = (() => {
    switch (leaf.op) {
      case 'missing':
        return null;
      case 'in':
        return choices ? (
          <MultiSelect size="xs" data={choices} value={leaf.values} onChange={(values) => change({ values })} searchable error={error} placeholder={t('pallets.rules.pickValues')} aria-label={t('pallets.rules.values')} style={{ flex: 1 }} data-testid="condition-values" />
        ) : (
          <TagsInput size="xs" value={leaf.values} onChange={(values) => change({ values })} error={error} placeholder={t('pallets.rules.typeValues')} aria-label={t('pallets.rules.values')} style={{ flex: 1 }} data-testid="condition-values" />
        );
      case 'between':
        return (
          <Group gap={4} wrap="nowrap" style={{ flex: 1 }}>
            <TextInput size="xs" inputMode="decimal" value={leaf.min} onChange={(e) => change({ min: e.currentTarget.value })} error={error} placeholder={t('pallets.rules.min')} aria-label={t('pallets.rules.min')} data-testid="condition-min" />
            <Text size="xs">–</Text>
            <TextInput size="xs" inputMode="decimal" value={leaf.max} onChange={(e) => change({ max: e.currentTarget.value })} error={error ? ' ' : undefined} placeholder={t('pallets.rules.max')} aria-label={t('pallets.rules.max')} data-testid="condition-max" />
          </Group>
        );
      case 'matches':
        return (
          <Group gap={6} wrap="nowrap" style={{ flex: 1 }}>
            <TextInput size="xs" ff="monospace" value={leaf.value} onChange={(e) => change({ value: e.currentTarget.value })} error={error} placeholder={t('pallets.rules.pattern')} aria-label={t('pallets.rules.pattern')} style={{ flex: 1 }} data-testid="condition-value" />
            <Checkbox size="xs" label={t('pallets.rules.ignoreCase')} checked={leaf.ignoreCase} onChange={(e) => change({ ignoreCase: e.currentTarget.checked })} />
          </Group>
        );
      default:
        return choices && leaf.op === 'equals' ? (
          <Select size="xs" data={choices} value={leaf.value || null} onChange={(v) => change({ value: v ?? '' })} searchable error={error} aria-label={t('pallets.rules.value')} style={{ flex: 1 }} data-testid="condition-value" />
        ) : (
          <TextInput size="xs" inputMode={numeric ? 'decimal' : 'text'} value={leaf.value} onChange={(e) => change({ value: e.currentTarget.value })} error={error} aria-label={t('pallets.rules.value')} style={{ flex: 1 }} data-testid="condition-value" />
        );
    }
  })();

  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="condition-leaf">
      <Select
        size="xs"
        w={170}
        data={fields}
        value={leaf.field}
        allowDeselect={false}
        searchable
        onChange={(f) => {
          if (!f) return;
          const field = f as RuleField;
          const nextOps = opsFor(field);
          change({ field, op: nextOps.includes(leaf.op) ? leaf.op : (nextOps[0] ?? 'equals'), value: '', values: [] });
        }}
        aria-label={t('pallets.rules.field')}
        data-testid="condition-field"
      />
      <Select
        size="xs"
        w={130}
        data={ops.map((op) => ({ value: op, label: t(`pallets.ops.${op}`) }))}
        value={leaf.op}
        allowDeselect={false}
        onChange={(op) => op && change({ op: op as Op })}
        aria-label={t('pallets.rules.operator')}
        data-testid="condition-op"
      />
      {value ?? <div style={{ flex: 1 }} />}
      <ActionIcon variant="subtle" color="gray" mt={2} onClick={() => ctx.onChange(updateNode(ctx.root, leaf.key, () => null))} aria-label={t('pallets.rules.removeCondition')} data-testid="remove-condition">
        <X size={16} />
      </ActionIcon>
    </Group>
  );
}
