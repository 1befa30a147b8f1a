import { CONDITION_GRADES, NUMBER_FIELDS, CANONICAL_FIELDS } from '@shared/pallets/fields';
import { VIRTUAL_FIELDS, type Condition, type LeafCondition, type Rule, type RuleAction, type RuleField, type RuleType } from '@shared/pallets/rules';
import { RuleDraftSchema, type RuleDraft } from '@shared/pallets/schemas';

/**
 * The rule editor's model: a tree of groups (all / any / none) and leaves whose values are still text
 * as the user types them. It converts to and from the contract's Condition; a rule whose condition
 * the editor cannot show faithfully does not exist (every Condition maps onto this tree).
 */

export const RULE_FIELDS: readonly RuleField[] = [...CANONICAL_FIELDS, ...VIRTUAL_FIELDS];
export const OPS = ['equals', 'in', 'contains', 'matches', 'gt', 'gte', 'lt', 'lte', 'between', 'missing'] as const satisfies readonly LeafCondition['op'][];
export type Op = (typeof OPS)[number];
export type GroupMode = 'all' | 'any' | 'none';

const NUMERIC = new Set<RuleField>([...NUMBER_FIELDS, 'unit_cost', 'line_cost', 'line_retail', 'discount']);
export const isNumericField = (field: RuleField): boolean => NUMERIC.has(field);

/** Fields with a closed set of values: the editor offers them in a select. */
export function valueChoices(field: RuleField): readonly string[] | null {
  if (field === 'condition') return CONDITION_GRADES;
  if (field === 'ean_status') return ['valid', 'invalid', 'missing'];
  if (field === 'issues') return CANONICAL_FIELDS;
  return null;
}

/** Operators that make sense for a field (numbers compare; text matches). */
export function opsFor(field: RuleField): readonly Op[] {
  if (isNumericField(field)) return ['equals', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'missing'];
  if (valueChoices(field)) return ['equals', 'in', 'missing'];
  return ['equals', 'in', 'contains', 'matches', 'missing'];
}

export interface LeafNode {
  kind: 'leaf';
  key: string;
  field: RuleField;
  op: Op;
  value: string;
  values: string[];
  min: string;
  max: string;
  ignoreCase: boolean;
}

export interface GroupNode {
  kind: 'group';
  key: string;
  mode: GroupMode;
  items: ConditionNode[];
}

export type ConditionNode = LeafNode | GroupNode;

export interface RuleForm {
  name: string;
  description: string;
  type: RuleType;
  action: RuleAction;
  weight: number;
  enabled: boolean;
  templateId: string | null;
  root: GroupNode;
}

let seq = 0;
const nextKey = () => `n${++seq}`;

export function newLeaf(field: RuleField = 'category'): LeafNode {
  return { kind: 'leaf', key: nextKey(), field, op: opsFor(field)[0] ?? 'equals', value: '', values: [], min: '', max: '', ignoreCase: true };
}

export function newGroup(mode: GroupMode = 'all', items: ConditionNode[] = [newLeaf()]): GroupNode {
  return { kind: 'group', key: nextKey(), mode, items };
}

function leafFrom(c: LeafCondition): LeafNode {
  const leaf = { ...newLeaf(c.field), op: c.op };
  switch (c.op) {
    case 'equals':
    case 'contains':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { ...leaf, value: String(c.value) };
    case 'in':
      return { ...leaf, values: c.values.map(String) };
    case 'matches':
      return { ...leaf, value: c.pattern, ignoreCase: (c.flags ?? '').includes('i') };
    case 'between':
      return { ...leaf, min: String(c.min), max: String(c.max) };
    case 'missing':
      return leaf;
  }
}

function nodeFrom(c: Condition): ConditionNode {
  if ('all' in c) return newGroup('all', c.all.map(nodeFrom));
  if ('any' in c) return newGroup('any', c.any.map(nodeFrom));
  if ('not' in c) return newGroup('none', 'any' in c.not ? c.not.any.map(nodeFrom) : [nodeFrom(c.not)]);
  return leafFrom(c);
}

export function groupFrom(c: Condition): GroupNode {
  const node = nodeFrom(c);
  return node.kind === 'group' ? node : newGroup('all', [node]);
}

export function formFromRule(rule: Pick<Rule, 'name' | 'description' | 'type' | 'action' | 'weight' | 'enabled' | 'templateId' | 'when'> | null): RuleForm {
  if (!rule) return { name: '', description: '', type: 'category', action: 'block', weight: 5, enabled: true, templateId: null, root: newGroup('all') };
  return {
    name: rule.name,
    description: rule.description ?? '',
    type: rule.type,
    action: rule.action,
    weight: rule.weight,
    enabled: rule.enabled,
    templateId: rule.templateId ?? null,
    root: groupFrom(rule.when),
  };
}

/** Text → number as people type it ("1 234,5" included); null when it is not a number. */
export function parseNumber(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (cleaned === '' || !/^-?\d*\.?\d+$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

export type Problem = { key: string; problem: 'value' | 'number' | 'values' | 'range' | 'empty' };

function leafCondition(leaf: LeafNode, problems: Problem[]): LeafCondition | null {
  const numeric = isNumericField(leaf.field);
  const fail = (problem: Problem['problem']) => {
    problems.push({ key: leaf.key, problem });
    return null;
  };
  const num = (text: string) => parseNumber(text);
  switch (leaf.op) {
    case 'missing':
      return { field: leaf.field, op: 'missing' };
    case 'equals': {
      if (!leaf.value.trim()) return fail('value');
      if (numeric) {
        const n = num(leaf.value);
        return n === null ? fail('number') : { field: leaf.field, op: 'equals', value: n };
      }
      return { field: leaf.field, op: 'equals', value: leaf.value.trim() };
    }
    case 'contains':
      return leaf.value.trim() ? { field: leaf.field, op: 'contains', value: leaf.value.trim() } : fail('value');
    case 'matches':
      return leaf.value ? { field: leaf.field, op: 'matches', pattern: leaf.value, ...(leaf.ignoreCase ? { flags: 'i' } : {}) } : fail('value');
    case 'in': {
      const items = leaf.values.map((v) => v.trim()).filter((v) => v !== '');
      if (items.length === 0) return fail('values');
      if (numeric) {
        const nums = items.map(num);
        return nums.some((n) => n === null) ? fail('number') : { field: leaf.field, op: 'in', values: nums as number[] };
      }
      return { field: leaf.field, op: 'in', values: items };
    }
    case 'between': {
      const min = num(leaf.min);
      const max = num(leaf.max);
      if (min === null || max === null) return fail('number');
      return min > max ? fail('range') : { field: leaf.field, op: 'between', min, max };
    }
    default: {
      const n = num(leaf.value);
      return n === null ? fail('number') : { field: leaf.field, op: leaf.op, value: n };
    }
  }
}

function nodeCondition(node: ConditionNode, problems: Problem[]): Condition | null {
  if (node.kind === 'leaf') return leafCondition(node, problems);
  const parts = node.items.map((n) => nodeCondition(n, problems));
  if (parts.length === 0) {
    problems.push({ key: node.key, problem: 'empty' });
    return null;
  }
  if (parts.some((p) => p === null)) return null;
  const list = parts as Condition[];
  if (node.mode === 'none') return { not: list.length === 1 && list[0] ? list[0] : { any: list } };
  return node.mode === 'all' ? { all: list } : { any: list };
}

export interface DraftResult {
  draft: RuleDraft | null;
  problems: Problem[];
  /** The schema's own sentence (unsafe pattern, too deep, …) when the tree is complete but invalid. */
  schemaError: string | null;
}

export function draftFromForm(form: RuleForm): DraftResult {
  const problems: Problem[] = [];
  const when = nodeCondition(form.root, problems);
  if (!when || problems.length > 0) return { draft: null, problems, schemaError: null };
  const candidate = {
    name: form.name.trim() || '…',
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    type: form.type,
    action: form.action,
    weight: form.weight,
    enabled: form.enabled,
    templateId: form.templateId,
    when,
  };
  const parsed = RuleDraftSchema.safeParse(candidate);
  if (!parsed.success) return { draft: null, problems, schemaError: parsed.error.issues[0]?.message ?? 'Invalid rule.' };
  return { draft: parsed.data, problems, schemaError: null };
}

/** Immutable update of one node in the tree, found by key. */
export function updateNode(root: GroupNode, key: string, change: (node: ConditionNode) => ConditionNode | null): GroupNode {
  const visit = (node: ConditionNode): ConditionNode | null => {
    if (node.key === key) return change(node);
    if (node.kind === 'leaf') return node;
    const items = node.items.map(visit).filter((n): n is ConditionNode => n !== null);
    return { ...node, items };
  };
  const result = visit(root);
  return result && result.kind === 'group' ? result : root;
}
