import { eq } from 'drizzle-orm';
import { v5 } from 'uuid';
import { AppError } from '@shared/contract/errors';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Condition, Rule } from '@shared/pallets/rules';
import { ConditionSchema, RuleActionSchema, RuleTypeSchema, type RuleDraft } from '@shared/pallets/schemas';
import type { Db } from '@main/db/open';
import { rules } from '@main/db/schema';
import { deleteSynced, insertSynced, updateSynced } from '@main/db/synced-repo';

export type StoredRule = Rule & { createdAt: number; updatedAt: number };

/** Namespace of the ids of rules copied from shipped templates (the same on every device). */
const TEMPLATE_RULE_NAMESPACE = '6f1d3c52-8a9b-4e27-b1f0-5d2a7c94e8b3';

export function templateRuleId(templateKey: string): string {
  return v5(`fieldmate-rule-template:${templateKey}`, TEMPLATE_RULE_NAMESPACE);
}

/**
 * `rules.condition_json` holds the rule's body: `{ when, description }` (the table has no description
 * column). A bare condition is accepted too.
 */
function encodeBody(when: Condition, description: string | undefined): string {
  return JSON.stringify(description ? { when, description } : { when });
}

function decodeBody(json: string): { when: Condition; description?: string } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const body = raw && typeof raw === 'object' && 'when' in raw ? (raw as { when: unknown; description?: unknown }) : { when: raw };
  const when = ConditionSchema.safeParse(body.when);
  if (!when.success) return null;
  return typeof body.description === 'string' && body.description !== '' ? { when: when.data, description: body.description.slice(0, 1000) } : { when: when.data };
}

type RuleRow = typeof rules.$inferSelect;

/** A stored row as a rule; null when the row cannot be understood (a newer app version's condition). */
function toRule(row: RuleRow): StoredRule | null {
  const body = decodeBody(row.conditionJson);
  const type = RuleTypeSchema.safeParse(row.type);
  const action = RuleActionSchema.safeParse(row.action);
  if (!body || !type.success || !action.success) return null;
  return {
    id: row.id,
    name: row.name,
    ...(body.description ? { description: body.description } : {}),
    type: type.data,
    action: action.data,
    weight: Math.min(10, Math.max(1, Math.round(row.weight))),
    enabled: row.enabled,
    // The shipped defaults (seeded copies) are global; anything the user made, from a template or not, is theirs.
    scope: row.templateKey && row.id === templateRuleId(row.templateKey) ? 'global' : 'user',
    templateId: row.templateKey,
    when: body.when,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const seeded = new WeakSet<Db>();

/**
 * Shipped templates into `rule_templates` (device-local, refreshed to this version's text), and a copy of
 * each into the user's `rules` the first time this store meets it — under an id derived from the template
 * key with a baseline clock, so every device seeds the same rows and any real edit or delete wins.
 * A copy the user deleted stays deleted (its tombstone keeps the id).
 */
export function ensureRulesSeeded(db: Db, now = Date.now()): void {
  if (seeded.has(db)) return;
  const upsert = db.$client.prepare(
    `INSERT INTO rule_templates (key, name, type, action, weight, condition_json, description) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET name = excluded.name, type = excluded.type, action = excluded.action, weight = excluded.weight, condition_json = excluded.condition_json, description = excluded.description`,
  );
  const exists = db.$client.prepare('SELECT 1 FROM rules WHERE id = ?');
  db.$client.transaction(() => {
    RULE_TEMPLATES.forEach((t, order) => {
      upsert.run(t.id, t.name, t.type, t.action, t.weight, JSON.stringify(t.when), t.description ?? '');
      const id = templateRuleId(t.id);
      if (exists.get(id)) return;
      // created_at keeps the templates' order, which is the order rules apply and explanations read.
      insertSynced(db, rules, { id, name: t.name, type: t.type, action: t.action, weight: t.weight, conditionJson: encodeBody(t.when, t.description), enabled: t.enabled, templateKey: t.id }, now + order, { baseline: true });
    });
    // Immediate: the existence checks and the inserts hold the write lock together, so two processes
    // opening the same store (the app and the CLI) cannot both seed a rule.
  }).immediate();
  seeded.add(db);
}

export function listTemplates(db: Db): Rule[] {
  const rows = db.$client.prepare('SELECT key, name, type, action, weight, condition_json, description FROM rule_templates ORDER BY key').all() as {
    key: string;
    name: string;
    type: string;
    action: string;
    weight: number;
    condition_json: string;
    description: string;
  }[];
  const out: Rule[] = [];
  for (const r of rows) {
    const when = decodeBody(r.condition_json);
    const type = RuleTypeSchema.safeParse(r.type);
    const action = RuleActionSchema.safeParse(r.action);
    if (!when || !type.success || !action.success) continue;
    out.push({ id: r.key, templateId: r.key, name: r.name, ...(r.description ? { description: r.description } : {}), type: type.data, action: action.data, weight: r.weight, enabled: true, scope: 'global', when: when.when });
  }
  return out;
}

/** The user's rules (seeded template copies included), oldest first: the order rules are applied in. */
export function listRules(db: Db): StoredRule[] {
  ensureRulesSeeded(db);
  const rows = db.select().from(rules).all();
  return rows
    .filter((r) => r.deletedAt === null)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    .map(toRule)
    .filter((r): r is StoredRule => r !== null);
}

export function getRule(db: Db, id: string): StoredRule {
  const row = db.select().from(rules).where(eq(rules.id, id)).get();
  const rule = row && row.deletedAt === null ? toRule(row) : null;
  if (!rule) throw new AppError('NOT_FOUND', 'This rule does not exist (it may have been deleted).');
  return rule;
}

export function saveRule(db: Db, id: string | undefined, draft: RuleDraft, now = Date.now()): StoredRule {
  ensureRulesSeeded(db);
  const values = {
    name: draft.name.trim(),
    type: draft.type,
    action: draft.action,
    weight: draft.weight,
    enabled: draft.enabled,
    conditionJson: encodeBody(draft.when, draft.description?.trim() || undefined),
    templateKey: draft.templateId ?? null,
  };
  if (id === undefined) {
    const row = insertSynced(db, rules, values, now);
    return toRule(row) as StoredRule;
  }
  getRule(db, id);
  return toRule(updateSynced(db, rules, id, values, now)) as StoredRule;
}

export function deleteRule(db: Db, id: string, now = Date.now()): void {
  getRule(db, id);
  deleteSynced(db, rules, id, now);
}
