import { CANONICAL_FIELDS, emptyLineValues, type CanonicalField, type CellValue, type ConditionGrade, type LineIssue, type LineStatus, type LineValues } from '@shared/pallets/fields';
import type { Rule, RuleAction, RuleType } from '@shared/pallets/rules';
import { EFFECT_PER_WEIGHT, type FiredRule, type ScoredLine } from '@shared/pallets/scoring';
import { describeCondition } from '@shared/pallets/rules';

/*
 * How one pallet line is stored. Values used by filters, sorts and the dashboard have their own columns
 * of `pallet_items`, and so do the rules that fired (drizzle/0006):
 *
 *   fired_rules     "|ruleId|ruleId|" — the rules that fired, in firing order (null: none); kept in
 *                   `pallet_items_dash_idx`, so "lines on which rule X fired" reads no wide row.
 *   blocking_rules  "|ruleId|" — the blocking rules among them (`pallet_items_blocking_idx`, for "rules
 *                   that blocked most").
 *
 * The rest is `data_json`, an object written once at import and never by a re-score:
 *
 *   i  the line's issues (rejected / guessed cells with reasons).
 *   x  canonical values that have no column (description, asin, unit, vat_rate, ...), non-null only.
 *   s  every source cell in header order (unmapped columns included); headers are in the analysis meta.
 *
 * Lines stored before drizzle/0006 also carry their old keys in data_json ('f', 'b'): never read.
 *
 * A fired rule's name, action, weight and condition are not repeated on 100k lines: the analysis keeps a
 * dictionary of the rules it was last scored with (see analyses-repo `AnalysisMeta.rules`).
 */

/** Canonical fields kept in their own columns (the column is the snake_case field name). */
export const COLUMN_FIELDS = ['pallet_id', 'name', 'category', 'brand', 'ean', 'sku', 'quantity', 'price_net', 'price_gross', 'retail_price', 'currency', 'condition'] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];
export type ExtraField = Exclude<CanonicalField, ColumnField>;
export const EXTRA_FIELDS = CANONICAL_FIELDS.filter((f): f is ExtraField => !(COLUMN_FIELDS as readonly string[]).includes(f));

export interface LineData {
  i: LineIssue[];
  x: Partial<Record<ExtraField, string | number>>;
  s: CellValue[];
}

/** Column order of the bulk insert (see lines-repo). */
export const LINE_INSERT_COLUMNS = [
  'id', 'created_at', 'updated_at', 'analysis_id', 'source_row',
  ...COLUMN_FIELDS,
  'score', 'status', 'data_json', 'fired_rules', 'blocking_rules',
] as const;

export function firedIds(key: string | null | undefined): string[] {
  return key ? key.slice(1, -1).split('|') : [];
}

/** The `instr` needle that finds one rule in a fired key. */
export function firedNeedle(ruleId: string): string {
  return `|${ruleId}|`;
}

const NO_KEYS = Object.freeze({ f: null, b: null });

/** The fired key ("|a|b|", null: none) and the blocking key of a scored line (a loop: 100k lines per pass). */
export function firedKeys(fired: readonly FiredRule[]): { f: string | null; b: string | null } {
  if (fired.length === 0) return NO_KEYS;
  let f = '|';
  let b: string | null = null;
  for (let i = 0; i < fired.length; i++) {
    const r = fired[i] as FiredRule;
    f += `${r.ruleId}|`;
    if (r.action === 'block') b = `${b ?? '|'}${r.ruleId}|`;
  }
  return { f, b };
}

const PIPE = 124; // '|'

/**
 * Whether `fired` is the rule list stored as `key`, without building the key: a re-score compares 100k
 * lines and most of them keep their rules.
 */
export function sameFiredKey(fired: readonly FiredRule[], key: string | null): boolean {
  if (fired.length === 0) return key === null;
  if (key === null || key.charCodeAt(0) !== PIPE) return false;
  let pos = 1;
  for (let i = 0; i < fired.length; i++) {
    const id = (fired[i] as FiredRule).ruleId;
    if (!key.startsWith(id, pos) || key.charCodeAt(pos + id.length) !== PIPE) return false;
    pos += id.length + 1;
  }
  return pos === key.length;
}

export function encodeLineData(line: Pick<ScoredLine, 'values' | 'issues' | 'source'>): string {
  const x: Partial<Record<ExtraField, string | number>> = {};
  for (const field of EXTRA_FIELDS) {
    const value = line.values[field];
    if (value !== null) x[field] = value;
  }
  return JSON.stringify({ i: line.issues, x, s: line.source });
}

/** Row values for LINE_INSERT_COLUMNS (id and timestamps supplied by the caller). */
export function lineRowValues(id: string, now: number, analysisId: string, line: ScoredLine): unknown[] {
  const v = line.values;
  const { f, b } = firedKeys(line.fired);
  return [id, now, now, analysisId, line.row, v.pallet_id, v.name, v.category, v.brand, v.ean, v.sku, v.quantity, v.price_net, v.price_gross, v.retail_price, v.currency, v.condition, line.score, line.status, encodeLineData(line), f, b];
}

/** The columns of a stored line, as SELECTed by the repositories. */
export interface LineColumns {
  pallet_id: string | null;
  name: string | null;
  category: string | null;
  brand: string | null;
  ean: string | null;
  sku: string | null;
  quantity: number | null;
  price_net: number | null;
  price_gross: number | null;
  retail_price: number | null;
  currency: string | null;
  condition: string | null;
}

export const LINE_VALUE_SQL = COLUMN_FIELDS.join(', ');

/** Canonical values from the columns plus the extra values of data_json. */
export function lineValues(columns: LineColumns, extra: LineData['x'] | null): LineValues {
  const values = emptyLineValues();
  values.pallet_id = columns.pallet_id;
  values.name = columns.name;
  values.category = columns.category;
  values.brand = columns.brand;
  values.ean = columns.ean;
  values.sku = columns.sku;
  values.quantity = columns.quantity;
  values.price_net = columns.price_net;
  values.price_gross = columns.price_gross;
  values.retail_price = columns.retail_price;
  values.currency = columns.currency;
  values.condition = (columns.condition ?? 'unknown') as ConditionGrade;
  if (extra) readExtraValues(values, extra);
  return values;
}

/** Sets every value that has no column from data_json's x (absent ones to null: `values` may be reused). */
export function readExtraValues(values: LineValues, extra: LineData['x']): void {
  for (const field of EXTRA_FIELDS) {
    const value = extra[field];
    if (value === undefined) values[field] = null;
    else if (field === 'vat_rate' || field === 'market_price') values[field] = typeof value === 'number' ? value : null;
    else values[field] = String(value);
  }
}

export function parseLineData(json: string): LineData {
  const raw = JSON.parse(json) as Partial<LineData> | null;
  return {
    i: Array.isArray(raw?.i) ? raw.i : [],
    x: raw?.x && typeof raw.x === 'object' ? raw.x : {},
    s: Array.isArray(raw?.s) ? raw.s : [],
  };
}

// ---------------------------------------------------------------------------------------------
// The rules an analysis was scored with

/** What a line's explanation needs of a rule, kept once per analysis. */
export interface RuleSnapshot {
  name: string;
  type: RuleType;
  action: RuleAction;
  weight: number;
  condition: string;
}

export type RuleDictionary = Record<string, RuleSnapshot>;

export function ruleDictionary(rules: readonly Rule[]): RuleDictionary {
  const out: RuleDictionary = {};
  for (const r of rules) if (r.enabled) out[r.id] = { name: r.name, type: r.type, action: r.action, weight: r.weight, condition: describeCondition(r.when) };
  return out;
}

/** Fired rules of a line from its key and the analysis's dictionary (an unknown id is still shown). */
export function firedRules(key: string | null, rules: RuleDictionary): FiredRule[] {
  return firedIds(key).map((ruleId) => {
    const r = Object.hasOwn(rules, ruleId) ? rules[ruleId] : undefined;
    if (!r) return { ruleId, name: ruleId, type: 'quality', action: 'warn', weight: 1, effect: 0, condition: 'rule no longer known' };
    return { ruleId, name: r.name, type: r.type, action: r.action, weight: r.weight, effect: EFFECT_PER_WEIGHT[r.action] * r.weight, condition: r.condition };
  });
}

export function isLineStatus(value: string): value is LineStatus {
  return value === 'ok' || value === 'warning' || value === 'blocked';
}
