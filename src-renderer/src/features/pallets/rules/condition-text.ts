import type { TFunction } from 'i18next';
import { CANONICAL_FIELDS } from '@shared/pallets/fields';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Condition, Rule, RuleField } from '@shared/pallets/rules';
import { categoryLabel } from '../labels';

const CANONICAL = new Set<string>(CANONICAL_FIELDS);

/** A rule field's label in the user's language (canonical or virtual field). */
export function fieldLabel(t: TFunction, field: RuleField): string {
  return CANONICAL.has(field) ? t(`pallets.fields.${field}`) : t(`pallets.virtualFields.${field}`, { defaultValue: field });
}

/** A value as the user knows it: categories, condition grades, EAN states and field names translated. */
function valueLabel(t: TFunction, field: RuleField, value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (field === 'category') return categoryLabel(t, value);
  if (field === 'condition') return t(`pallets.conditions.${value}`, { defaultValue: value });
  if (field === 'ean_status') return t(`pallets.eanStatus.${value}`, { defaultValue: value });
  if (field === 'issues' && CANONICAL.has(value)) return t(`pallets.fields.${value}`);
  return t('pallets.rules.quoted', { value });
}

/**
 * A condition in the user's language ("Stan EAN jest błędny"), the translated counterpart of the
 * shared describeCondition, which stays English for explanations, exports and the CLI.
 */
export function conditionText(t: TFunction, c: Condition): string {
  const join = (items: Condition[], word: string) => (items.length === 1 && items[0] ? conditionText(t, items[0]) : `(${items.map((i) => conditionText(t, i)).join(` ${word} `)})`);
  if ('all' in c) return join(c.all, t('pallets.rules.join.and'));
  if ('any' in c) return join(c.any, t('pallets.rules.join.or'));
  if ('not' in c) return `${t('pallets.rules.join.not')} ${conditionText(t, c.not)}`;
  const field = fieldLabel(t, c.field);
  const op = t(`pallets.ops.${c.op}`);
  switch (c.op) {
    case 'in':
      return `${field} ${op} [${c.values.slice(0, 8).map((v) => valueLabel(t, c.field, v)).join(', ')}${c.values.length > 8 ? ', …' : ''}]`;
    case 'matches':
      return `${field} ${op} /${c.pattern}/${c.flags ?? ''}`;
    case 'between':
      return `${field} ${op} ${c.min} ${t('pallets.rules.join.and')} ${c.max}`;
    case 'missing':
      return `${field}: ${op}`;
    default:
      return `${field} ${op} ${valueLabel(t, c.field, c.value)}`;
  }
}

const TEMPLATES = new Map(RULE_TEMPLATES.map((tpl) => [tpl.id, tpl]));

/** The shipped template a rule still speaks for: its own id or template id, with the name unchanged. */
function shippedTemplate(rule: Pick<Rule, 'id' | 'templateId' | 'name'>): Rule | null {
  const tpl = TEMPLATES.get(rule.templateId ?? rule.id) ?? TEMPLATES.get(rule.id);
  return tpl && tpl.name === rule.name ? tpl : null;
}

/** A rule's name, translated when it is a shipped template's (a name the user changed stays theirs). */
export function ruleName(t: TFunction, rule: Pick<Rule, 'id' | 'templateId' | 'name'>): string {
  const tpl = shippedTemplate(rule);
  return tpl ? t(`pallets.templateTexts.${tpl.id}.name`, { defaultValue: rule.name }) : rule.name;
}

/** A rule's description, translated when it is a shipped template's unchanged description. */
export function ruleDescription(t: TFunction, rule: Pick<Rule, 'id' | 'templateId' | 'name' | 'description'>): string {
  const tpl = shippedTemplate(rule);
  const description = rule.description ?? '';
  return tpl && tpl.description === description ? t(`pallets.templateTexts.${tpl.id}.description`, { defaultValue: description }) : description;
}
